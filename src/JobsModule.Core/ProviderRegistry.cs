using System;
using System.Collections.Generic;
using System.Linq;

namespace JobsModule;

/// <summary>Every provider adapter in this assembly, found once: a new provider is one new IJobProvider class.</summary>
public static class ProviderRegistry
{
    private static readonly Lazy<IReadOnlyList<IJobProvider>> Providers = new(() =>
        typeof(IJobProvider).Assembly.GetTypes()
            .Where(type => typeof(IJobProvider).IsAssignableFrom(type) && type.IsClass && !type.IsAbstract)
            .Select(type => (IJobProvider)Activator.CreateInstance(type)!)
            .OrderBy(provider => provider.Info.Name, StringComparer.OrdinalIgnoreCase)
            .ToList());

    public static IReadOnlyList<IJobProvider> All => Providers.Value;

    public static IEnumerable<string> Names => All.Select(provider => provider.Info.Name);

    public static IJobProvider? Find(string name) =>
        All.FirstOrDefault(provider => string.Equals(provider.Info.Name, name, StringComparison.OrdinalIgnoreCase));
}
