using JobsModule.Engine;
using JobsModule.Operations;

namespace JobsModule.Tests.Support;

/// <summary>Records what a wait or an action tells its caller, in order; answers confirmations as told.</summary>
internal sealed class RecordingEvents : IJobEvents
{
    private readonly bool _confirm;

    public RecordingEvents(bool confirm = true)
    {
        _confirm = confirm;
    }

    public List<ProviderJob> Outputs { get; } = new();

    public List<string> Warnings { get; } = new();

    public List<JobProblem> Problems { get; } = new();

    public List<(int Finished, int Total)> ProgressReports { get; } = new();

    public List<(string Target, string Action)> Confirmations { get; } = new();

    public int Heartbeats { get; private set; }

    public IReadOnlyList<string> OutputIds => Outputs.Select(job => job.Id).ToList();

    public void Output(ProviderJob job) => Outputs.Add(job);

    public void Warning(string text) => Warnings.Add(text);

    public void Problem(JobProblem problem) => Problems.Add(problem);

    public void Progress(int finished, int total) => ProgressReports.Add((finished, total));

    public void Heartbeat() => Heartbeats++;

    public bool Confirm(string target, string action)
    {
        Confirmations.Add((target, action));
        return _confirm;
    }
}
