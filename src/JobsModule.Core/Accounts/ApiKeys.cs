using JobsModule.Engine;

namespace JobsModule.Accounts;

/// <summary>What a key must be before it goes into a header: checked where each key enters (parameters, accounts, variables).</summary>
internal static class ApiKeys
{
    public const int MaxLength = 4096;

    /// <summary>
    /// Throws <see cref="InvalidSettingException"/> naming <paramref name="source"/> (never the key) when the
    /// key is blank, too long, or holds a character a header value cannot carry: anything but printable
    /// ASCII and inner spaces. A line break would end the header, and a non-ASCII letter fails inside HTTP.
    /// </summary>
    public static string Check(string? key, string source)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new InvalidSettingException(SettingProblem.ApiKeyEmpty, Strings.ApiKeyBlank(source), source);
        }

        if (key!.Length > MaxLength)
        {
            throw new InvalidSettingException(SettingProblem.ApiKey, Strings.ApiKeyTooLong(source, MaxLength), source);
        }

        for (var i = 0; i < key.Length; i++)
        {
            var character = key[i];
            var edge = i == 0 || i == key.Length - 1;
            if (character is < ' ' or > '~' || (character == ' ' && edge))
            {
                throw new InvalidSettingException(SettingProblem.ApiKey, Strings.ApiKeyCharacter(source, character, i), source);
            }
        }

        return key;
    }
}
