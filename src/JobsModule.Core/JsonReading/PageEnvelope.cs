using System.Text.Json;

namespace JobsModule.JsonReading;

/// <summary>What a page said besides its jobs: its other top-level fields, how many items it had, and its last item.</summary>
internal sealed class PageEnvelope
{
    private readonly IReadOnlyDictionary<string, JsonElement> _fields;

    internal PageEnvelope(IReadOnlyDictionary<string, JsonElement> fields, int itemCount, JsonElement? lastItem)
    {
        _fields = fields;
        ItemCount = itemCount;
        LastItem = lastItem;
    }

    /// <summary>How many items the page's array held, jobs that could not be read included.</summary>
    public int ItemCount { get; }

    /// <summary>The page's last item, as sent (whether or not it could be read as a job).</summary>
    public JsonElement? LastItem { get; }

    /// <summary>A top-level field of the page; null when it is absent or null.</summary>
    public JsonElement? Field(string name) =>
        _fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A top-level field the page must have; a <see cref="ProviderResponseShapeException"/> when it does not.</summary>
    public JsonElement RequireField(string name) =>
        _fields.TryGetValue(name, out var value) ? value : throw new ProviderResponseShapeException($"expected a '{name}' property");
}
