namespace JobsModule.Listing;

/// <summary>
/// What -IncludeTotalCount writes for a call that lists several accounts: the sum of their totals,
/// exact only when every account's total is known.
/// </summary>
internal readonly struct ListingTotal
{
    private ListingTotal(ulong count, bool known)
    {
        Count = count;
        Known = known;
    }

    /// <summary>The sum of the totals that are known.</summary>
    public ulong Count { get; }

    /// <summary>True when every account reported its total.</summary>
    public bool Known { get; }

    /// <summary>PowerShell's accuracy of a total count: 1 when exact, 0 when unknown.</summary>
    public double Accuracy => Known ? 1.0 : 0.0;

    public static ListingTotal Of(IEnumerable<long?> totals)
    {
        ulong count = 0;
        var known = true;
        foreach (var total in totals)
        {
            known &= total is not null;
            count += (ulong)(total ?? 0);
        }

        return new ListingTotal(count, known);
    }
}
