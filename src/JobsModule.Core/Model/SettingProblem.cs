namespace JobsModule;

/// <summary>What is wrong with a setting the user gave (a parameter or an environment variable).</summary>
public enum SettingProblem
{
    /// <summary>A base URL that is not an absolute http(s) URL, or carries a query or user info.</summary>
    BaseUri,

    /// <summary>A plain http base URL to a host other than this machine: the key would travel unencrypted.</summary>
    InsecureBaseUri,

    /// <summary>An API version that cannot be sent, or one given for a provider without versions.</summary>
    ApiVersion,

    /// <summary>A key with a character an HTTP header cannot carry (a line break, a non-ASCII letter), or too long.</summary>
    ApiKey,

    /// <summary>A key that is empty or blank.</summary>
    ApiKeyEmpty,
}
