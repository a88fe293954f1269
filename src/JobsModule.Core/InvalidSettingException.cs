using System;

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

/// <summary>A setting that cannot be used, found before anything is sent; the message names where it came from.</summary>
public sealed class InvalidSettingException : ArgumentException
{
    public InvalidSettingException(SettingProblem problem, string message, string setting)
        : base(message)
    {
        Problem = problem;
        Setting = setting;
    }

    public SettingProblem Problem { get; }

    /// <summary>The parameter (-BaseUri) or environment variable the value came from.</summary>
    public string Setting { get; }

    /// <summary>This error with every known key taken out of its message (a base URL is shown as given, and may hold one); itself when there was none.</summary>
    internal InvalidSettingException Redact(Redactor redactor)
    {
        var message = redactor.Redact(Message);
        return message == Message ? this : new InvalidSettingException(Problem, message, Setting);
    }
}
