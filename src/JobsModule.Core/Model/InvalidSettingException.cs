using JobsModule.Accounts;
using JobsModule.Engine;

namespace JobsModule;

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
