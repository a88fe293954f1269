using JobsModule.Providers;

namespace JobsModule.Listing;

/// <summary>What reading a page found: where it leads, which route served it, the size asked for, and how many items it had.</summary>
internal sealed record PageRead(PageEnd End, IJobListRoute Route, int Size, int ItemCount);
