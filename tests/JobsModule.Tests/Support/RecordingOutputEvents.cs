using JobsModule.Operations;
using JobsModule.Outputs;

namespace JobsModule.Tests.Support;

/// <summary>Records what saving outputs tells its caller; answers confirmations as told.</summary>
internal sealed class RecordingOutputEvents : IOutputEvents
{
    private readonly bool _confirm;

    public RecordingOutputEvents(bool confirm = true)
    {
        _confirm = confirm;
    }

    public List<SavedOutput> Files { get; } = new();

    public List<OutputProblem> Problems { get; } = new();

    public List<JobProblem> JobProblems { get; } = new();

    public List<SaveProgress> ProgressReports { get; } = new();

    public List<(string Target, string Action)> Confirmations { get; } = new();

    public int Heartbeats { get; private set; }

    public void Saved(SavedOutput file) => Files.Add(file);

    public void Problem(OutputProblem problem) => Problems.Add(problem);

    public void Problem(JobProblem problem) => JobProblems.Add(problem);

    public void Progress(SaveProgress progress) => ProgressReports.Add(progress);

    public void Heartbeat() => Heartbeats++;

    public bool Confirm(string target, string action)
    {
        Confirmations.Add((target, action));
        return _confirm;
    }
}
