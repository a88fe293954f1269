namespace JobsModule.Tests.Support;

/// <summary>Records what the engine tells its caller, in order; answers confirmations as told.</summary>
internal sealed class RecordingEvents : IJobEvents
{
    private readonly bool _confirm;

    public RecordingEvents(bool confirm = true)
    {
        _confirm = confirm;
    }

    public List<ProviderJob> Outputs { get; } = new();

    public List<(string Path, string Provider, string JobId, string? Account)> Files { get; } = new();
    public List<JobChange> Changes { get; } = new();

    public List<string> Warnings { get; } = new();

    public List<string> Verboses { get; } = new();

    public List<string> Debugs { get; } = new();

    public List<Problem> Problems { get; } = new();

    public List<(int Id, int? ParentId, string? Activity, string Status, int Percent, bool Completed)> ProgressReports { get; } = new();

    public List<(string Target, string Action)> Confirmations { get; } = new();

    public IReadOnlyList<string> OutputIds => Outputs.Select(job => job.Id).ToList();

    public void Output(ProviderJob job) => Outputs.Add(job);

    public void Saved(string path, string provider, string jobId, string? account) => Files.Add((path, provider, jobId, account));
    public void Output(JobChange change) => Changes.Add(change);

    public void Warning(string text) => Warnings.Add(text);

    public void Verbose(string text) => Verboses.Add(text);

    public void Debug(string text) => Debugs.Add(text);

    public void Problem(Problem problem) => Problems.Add(problem);

    public void Progress(int id, int? parentId, string? activity, string status, int percentComplete, bool completed) =>
        ProgressReports.Add((id, parentId, activity, status, percentComplete, completed));

    public bool Confirm(string target, string action)
    {
        Confirmations.Add((target, action));
        return _confirm;
    }
}
