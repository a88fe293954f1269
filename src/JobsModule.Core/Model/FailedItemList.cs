using System.Collections.Generic;
using System.Collections.ObjectModel;
using JobsModule.JsonReading;

namespace JobsModule;

/// <summary>
/// The failed parts of a job (<see cref="ProviderJob.FailedItems"/>). ToString gives compact JSON, as
/// <see cref="JobDataObject"/> does, so that Export-Csv writes data that reads back with ConvertFrom-Json
/// rather than a .NET type name; ConvertTo-Json writes it as an array of objects.
/// </summary>
public sealed class FailedItemList : ReadOnlyCollection<FailedItem>
{
    internal FailedItemList(IList<FailedItem> items)
        : base(items)
    {
    }

    /// <summary>How many parts failed in all (the items' counts added up).</summary>
    public int Total
    {
        get
        {
            var total = 0;
            foreach (var item in this)
            {
                total += item.Count;
            }

            return total;
        }
    }

    public override string ToString() => JobData.ToJson(this);
}
