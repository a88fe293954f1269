namespace JobsModule.Listing;

internal enum QueryProblemKind
{
    PageSizeOutOfRange,
    FilterNotSupported,
    InvalidKind,
}
