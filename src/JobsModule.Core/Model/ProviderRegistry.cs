using JobsModule.Providers;

namespace JobsModule;

/// <summary>
/// The providers the module knows, found once in this assembly: a new provider is one new IJobProvider class.
/// Scripts read <see cref="Providers"/>, each provider's facts; the adapters themselves stay inside the module.
/// </summary>
public static class ProviderRegistry
{
    private static readonly Lazy<IReadOnlyList<IJobProvider>> Adapters = new(() =>
        typeof(IJobProvider).Assembly.GetTypes()
            .Where(type => typeof(IJobProvider).IsAssignableFrom(type) && type.IsClass && !type.IsAbstract)
            .Select(type => (IJobProvider)Activator.CreateInstance(type, nonPublic: true)!)
            .OrderBy(provider => provider.Info.Name, StringComparer.OrdinalIgnoreCase)
            .ToList());

    private static readonly Lazy<IReadOnlyList<ProviderInfo>> Infos = new(() => Adapters.Value.Select(provider => provider.Info).ToList());

    /// <summary>Each provider's facts (name, variables, page maximum, order, statuses), by name.</summary>
    public static IReadOnlyList<ProviderInfo> Providers => Infos.Value;

    internal static IReadOnlyList<IJobProvider> All => Adapters.Value;

    internal static IEnumerable<string> Names => All.Select(provider => provider.Info.Name);

    /// <summary>The facts of the provider named <paramref name="name"/> (any case), or null.</summary>
    internal static ProviderInfo? FindInfo(string name) => Find(name)?.Info;

    internal static IJobProvider? Find(string name) =>
        All.FirstOrDefault(provider => string.Equals(provider.Info.Name, name, StringComparison.OrdinalIgnoreCase));
}
