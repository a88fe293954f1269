using JobsModule.Accounts;

namespace JobsModule.Engine;

/// <summary>The caller's events, with every key the module knows taken out of what goes to them.</summary>
internal sealed class RedactingEvents : IJobEvents
{
    private readonly IJobEvents _inner;
    private readonly Redactor _secrets;

    public RedactingEvents(IJobEvents inner, Redactor secrets)
    {
        _inner = inner;
        _secrets = secrets;
    }

    public static Problem Redacted(Problem problem, Redactor secrets) => problem with
    {
        Message = secrets.Redact(problem.Message),
        Target = secrets.RedactOrNull(problem.Target),
        Failure = problem.Failure?.Redact(secrets),
        Setting = problem.Setting?.Redact(secrets),
    };

    public void Output(ProviderJob job) => _inner.Output(job);

    public void Saved(string path, string provider, string jobId, string? account) => _inner.Saved(path, provider, jobId, account);

    public void Output(JobChange change) => _inner.Output(change);

    public void Warning(string text) => _inner.Warning(_secrets.Redact(text));

    public void Verbose(string text) => _inner.Verbose(_secrets.Redact(text));

    public void Debug(string text) => _inner.Debug(_secrets.Redact(text));

    public void Problem(Problem problem) => _inner.Problem(Redacted(problem, _secrets));

    public void Progress(int id, int? parentId, string? activity, string status, int percentComplete, bool completed) =>
        _inner.Progress(id, parentId, activity is null ? null : _secrets.Redact(activity), _secrets.Redact(status), percentComplete, completed);

    public bool Confirm(string target, string action) => _inner.Confirm(_secrets.Redact(target), action);
}
