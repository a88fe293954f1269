using JobsModule.Engine;

namespace JobsModule.Commands;

/// <summary>
/// Save-ProviderJobOutput: saves what finished jobs produced to &lt;Path&gt;/&lt;Provider&gt;/&lt;job id&gt;/,
/// from piped jobs or a provider and ids. The cmdlet resolves -Path; where outputs are and how they are
/// fetched is the engine's (<see cref="JobsEngine.Save"/>), which starts each job's downloads as the job
/// arrives and waits for the last ones at the end.
/// </summary>
[Cmdlet(VerbsData.Save, "ProviderJobOutput", DefaultParameterSetName = JobSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class SaveProviderJobOutputCommand : JobReferenceCommandBase
{
    /// <summary>The type name of the files -PassThru writes, which the module's view shows.</summary>
    internal const string SavedTypeName = "JobsModule.SavedJobOutput";

    private const int MaxThrottleLimit = 64;
    private string? _root;

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

    protected override void BeginProcessing() => _root = ResolveFolder();

    protected override void ProcessRecord()
    {
        foreach (var reference in References())
        {
            Engine.Save(reference, _root!, Force, ThrottleLimit, PassThru);
        }
    }

    protected override void EndProcessing() => Engine.FinishSaving();

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
}
