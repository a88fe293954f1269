using System.Collections;

namespace JobsModule;

/// <summary>The values a parameter was bound to: each item of a list (of any kind but a string), or the one value.</summary>
internal static class BoundValues
{
    public static IEnumerable Of(object value) => value is IEnumerable list and not string ? list : new[] { value };
}
