namespace JobsModule;

/// <summary>Rejects, while PowerShell binds the parameter, a value that is blank: an empty kind or filter would be sent as one.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateNotBlankAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        foreach (var value in BoundValues.Of(arguments))
        {
            if (string.IsNullOrWhiteSpace(value?.ToString()))
            {
                throw new ValidationMetadataException("The value is blank. Give a value, or leave the parameter out.");
            }
        }
    }
}
