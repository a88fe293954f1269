namespace JobsModule.Operations;

internal enum StopRefusalKind
{
    Finished,
    StatusUnknown,
}
