using JobsModule.Engine;

namespace JobsModule;

/// <summary>Rejects, while PowerShell binds the parameter, a wildcard pattern PowerShell cannot read (such as '[').</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateWildcardPatternAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        foreach (var value in BoundValues.Of(arguments).Cast<object?>())
        {
            var pattern = value?.ToString() ?? string.Empty;
            try
            {
                // A pattern is parsed when it is first matched.
                WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase).IsMatch(string.Empty);
            }
            catch (WildcardPatternException)
            {
                throw new ValidationMetadataException(
                    $"'{Strings.Shorten(pattern, 80)}' is not a wildcard pattern PowerShell can read: '[' opens a set of characters that needs its ']'. Write '`[' for a literal '['.");
            }
        }
    }
}
