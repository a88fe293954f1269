using System.Security;
using JobsModule.Engine;
using JobsModule.Transport;

namespace JobsModule.Commands;

/// <summary>
/// What the module's cmdlets share: the engine (<see cref="JobsEngine"/>), made once the parameters are
/// bound, over this runspace's accounts, with a cancellation token wired to StopProcessing (Ctrl+C); and
/// the engine's events written as they come, on the pipeline thread, with anything that would act on
/// the terminal escaped (DisplayText). PowerShell disposes a cmdlet that is IDisposable once its
/// pipeline ends, however it ends (done, stopped or failed), so the token's source is released there, once.
/// </summary>
public abstract class ProviderCommandBase : PSCmdlet, IDisposable
{
    private bool? _verboseAsDebug;
    private bool _disposed;
    private JobsEngine? _engine;

    private protected CancellationTokenSource Cancellation { get; } = new();

    /// <summary>The engine, made on first use (after binding): every request and every error goes through it.</summary>
    private protected JobsEngine Engine => _engine ??= new JobsEngine(
        AccountStore.Current.Connected,
        System.Environment.GetEnvironmentVariable,
        (pattern, name) => WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase).IsMatch(name),
        KeysGiven(),
        Policy,
        new PipelineEvents(this),
        Cancellation.Token);

    /// <summary>How hard each request tries; the cmdlets that send requests take it from their parameters.</summary>
    private protected virtual RequestPolicy Policy => RequestPolicy.Default;

    // PowerShell turns -Debug alone into VerbosePreference Inquire, a prompt per verbose line;
    // debug output is a superset of verbose, so the lines go there instead.
    private bool VerboseAsDebug =>
        _verboseAsDebug ??= MyInvocation.BoundParameters.ContainsKey("Debug") && !MyInvocation.BoundParameters.ContainsKey("Verbose");

    protected override void StopProcessing()
    {
        try
        {
            Cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Stopped after the pipeline ended: nothing is left to cancel.
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _engine?.Dispose();
        Cancellation.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Keys given on the command line (-ApiKey, -Credential), besides the accounts' and the environment's.</summary>
    private protected virtual IEnumerable<SecureString?> KeysGiven() => Array.Empty<SecureString?>();

    /// <summary>Ends the call with <paramref name="stop"/> when there is one (a problem found before anything was sent).</summary>
    private protected void StopOn(Problem? stop)
    {
        if (stop is not null)
        {
            ThrowTerminatingError(ErrorRecords.From(stop));
        }
    }

    // Every warning, verbose and debug line goes out through these three: keys taken out (by the engine, or
    // here for what the cmdlet says itself), and anything that would act on the terminal (an escape
    // sequence, a line break, a direction override) escaped by DisplayText. Error records get the same from ErrorRecords.
    private protected void WriteVerboseText(string text)
    {
        if (VerboseAsDebug)
        {
            WriteDebugText(text);
        }
        else
        {
            WriteVerbose(DisplayText.Inert(Engine.Redact(text))!);
        }
    }

    // A request and its response are several lines of the module's own; what a server sent in them is
    // escaped where the engine puts it in, so only those line breaks are left standing.
    private void WriteDebugText(string text) => WriteDebug(string.Join("\n", Engine.Redact(text).Split('\n').Select(DisplayText.Inert)));

    /// <summary>A saved file as -PassThru writes it: a FileInfo, with the job it came from, under the module's view (JobsModule.SavedJobOutput).</summary>
    private static PSObject SavedFile(string path, string provider, string jobId, string? account)
    {
        var file = PSObject.AsPSObject(new System.IO.FileInfo(path));
        file.TypeNames.Insert(0, SaveProviderJobOutputCommand.SavedTypeName);
        file.Properties.Add(new PSNoteProperty("Provider", provider));
        file.Properties.Add(new PSNoteProperty("JobId", jobId));
        file.Properties.Add(new PSNoteProperty("Account", account));
        return file;
    }

    private sealed class PipelineEvents : IJobEvents
    {
        private readonly ProviderCommandBase _command;

        public PipelineEvents(ProviderCommandBase command)
        {
            _command = command;
        }

        public void Output(ProviderJob job) => _command.WriteObject(job);

        public void Saved(string path, string provider, string jobId, string? account) => _command.WriteObject(SavedFile(path, provider, jobId, account));
        public void Output(JobChange change) => _command.WriteObject(change);

        public void Warning(string text) => _command.WriteWarning(DisplayText.Inert(text));

        public void Verbose(string text) => _command.WriteVerboseText(text);

        public void Debug(string text) => _command.WriteDebugText(text);

        public void Problem(Problem problem) => _command.WriteError(ErrorRecords.From(problem));

        public void Progress(int id, int? parentId, string? activity, string status, int percentComplete, bool completed)
        {
            var record = new ProgressRecord(id, DisplayText.Inert(activity ?? _command.MyInvocation.MyCommand.Name), DisplayText.Inert(status))
            {
                ParentActivityId = parentId ?? -1,
                PercentComplete = percentComplete,
                RecordType = completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            _command.WriteProgress(record);
        }

        public bool Confirm(string target, string action) => _command.ShouldProcess(DisplayText.Inert(target), DisplayText.Inert(action));
    }
}
