using JobsModule.Engine;

namespace JobsModule;

/// <summary>Rejects provider names the module does not know, at binding time, before anything is sent.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateProviderNameAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var names = BoundValues.Of(arguments).Cast<object>();
        foreach (var name in names)
        {
            if (ProviderRegistry.FindInfo(name?.ToString() ?? string.Empty) is null)
            {
                throw new ValidationMetadataException(Strings.UnknownProvider(name?.ToString() ?? string.Empty, ProviderRegistry.Names));
            }
        }
    }
}
