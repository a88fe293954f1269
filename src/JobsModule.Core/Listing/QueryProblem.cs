namespace JobsModule.Listing;

/// <summary>A query a provider cannot answer: what is wrong, the parameter it is about, and the sentence for the user.</summary>
internal readonly record struct QueryProblem(QueryProblemKind Kind, string Parameter, string Message);
