namespace JobsModule.Listing;

internal readonly struct QueryProblem
{
    public QueryProblem(QueryProblemKind kind, string parameter, string message)
    {
        Kind = kind;
        Parameter = parameter;
        Message = message;
    }

    public QueryProblemKind Kind { get; }

    public string Parameter { get; }

    public string Message { get; }
}
