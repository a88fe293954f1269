using System;
using System.IO;
using System.Management.Automation;
using JobsModule.Engine;
using JobsModule.Operations;
using JobsModule.Outputs;
using JobsModule.Transport;

namespace JobsModule.Commands;

/// <summary>
/// Save-ProviderJobOutput: saves what finished jobs produced to &lt;Path&gt;/&lt;Provider&gt;/&lt;job id&gt;/,
/// from piped jobs or a provider and ids. The cmdlet resolves -Path and writes what the engine's
/// <see cref="OutputSaver"/> reports; where outputs are and how they are fetched is the engine's.
/// </summary>
[Cmdlet(VerbsData.Save, "ProviderJobOutput", DefaultParameterSetName = JobSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class SaveProviderJobOutputCommand : JobReferenceCommandBase
{
    /// <summary>The type name of the files -PassThru writes, which the module's view shows.</summary>
    internal const string SavedTypeName = "JobsModule.SavedJobOutput";

    private const int MaxThrottleLimit = 64;
    private OutputSaver? _saver;
    private IOutputEvents? _events;

    /// <summary>The folder to save under (created when missing); default: the current location.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Writes a FileInfo for each file saved, with the job's Provider, JobId and Account.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Replaces files that are already there; without it, such a file is an error and is left as it was.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>How many files are downloaded at once.</summary>
    [Parameter]
    [ValidateRange(1, MaxThrottleLimit)]
    public int ThrottleLimit { get; set; } = 5;

    protected override void BeginProcessing()
    {
        var root = ResolveFolder();
        _saver = new OutputSaver(new JobLister(), new OutputClient(), new SaveSettings(root, Force, ThrottleLimit), RequestOptions, Log, Cancellation.Token);
        _events = new SaveEvents(this);
    }

    protected override void ProcessRecord()
    {
        foreach (var reference in References())
        {
            if (EndpointsFor(reference.Provider, reference.Account) is { Count: > 0 } endpoints && !RunUnlessStopped(() => _saver!.Save(endpoints, reference.Id, reference.Job, _events!)))
            {
                return;
            }
        }
    }

    protected override void EndProcessing()
    {
        try
        {
            RunUnlessStopped(() => _saver!.Finish(_events!));
        }
        finally
        {
            _saver!.Dispose();
            WriteProgress(new ProgressRecord(1, "Save-ProviderJobOutput", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    /// <summary>Runs <paramref name="work"/>; false when the pipeline was stopped (Ctrl+C), which PowerShell ends itself.</summary>
    private bool RunUnlessStopped(Action work)
    {
        try
        {
            work();
            return true;
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>-Path as a full file-system path (PowerShell's current location when left out); a terminating error when it cannot be a folder.</summary>
    private string ResolveFolder()
    {
        if (Path is null)
        {
            return SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        }

        string? resolved = null;
        string? problem;
        try
        {
            resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path, out var provider, out _);
            problem = provider.Name != "FileSystem" ? Strings.OutputPathNotFileSystem(Path, provider.Name)
                : File.Exists(resolved) ? Strings.OutputPathIsFile(Path)
                : null;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or SessionStateException or ProviderInvocationException)
        {
            problem = Strings.OutputPathUnusable(Path);
        }

        if (problem is not null)
        {
            ThrowTerminatingError(ErrorRecords.InvalidArgument("InvalidOutputPath", problem, Path));
        }

        return resolved!;
    }

    /// <summary>A saved file as -PassThru writes it: a FileInfo, with the job it came from, under the module's view.</summary>
    private static PSObject SavedFile(SavedOutput saved)
    {
        var file = PSObject.AsPSObject(new FileInfo(saved.Path));
        file.TypeNames.Insert(0, SavedTypeName);
        file.Properties.Add(new PSNoteProperty("Provider", saved.Provider));
        file.Properties.Add(new PSNoteProperty("JobId", saved.JobId));
        file.Properties.Add(new PSNoteProperty("Account", saved.Account));
        return file;
    }

    private sealed class SaveEvents : IOutputEvents
    {
        private readonly SaveProviderJobOutputCommand _command;

        public SaveEvents(SaveProviderJobOutputCommand command)
        {
            _command = command;
        }

        public void Saved(SavedOutput file)
        {
            if (_command.PassThru)
            {
                _command.WriteObject(SavedFile(file));
            }
        }

        public void Problem(OutputProblem problem) => _command.WriteError(ErrorRecords.From(problem, _command.Secrets));

        public void Problem(JobProblem problem) => _command.WriteError(ErrorRecords.From(problem, _command.Secrets));

        public void Progress(SaveProgress progress) =>
            _command.WriteProgress(new ProgressRecord(1, "Save-ProviderJobOutput", Strings.SaveProgressText(progress))
            {
                PercentComplete = progress.FilesQueued == 0 ? 0 : 100 * progress.FilesEnded / progress.FilesQueued,
            });

        public void Heartbeat() => _command.Drain();

        public bool Confirm(string target, string action) => _command.ShouldProcess(DisplayText.Inert(target), DisplayText.Inert(action));
    }
}
