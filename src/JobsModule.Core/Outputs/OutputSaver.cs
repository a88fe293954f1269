using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using JobsModule.Accounts;
using JobsModule.Engine;
using JobsModule.Operations;
using JobsModule.Providers;
using JobsModule.Transport;

namespace JobsModule.Outputs;

/// <summary>
/// Save-ProviderJobOutput's work: for each finished job, asks its adapter where the outputs are
/// (<see cref="IJobProvider.Outputs"/>), reading the job first where only its single-job answer has them,
/// and downloads them, at most -ThrottleLimit at once and while further jobs arrive. Each file is written
/// under a temporary name in its folder and renamed only once it is whole, so a download that is cut,
/// times out or is stopped leaves nothing under the final name. Runs on the caller's thread and tells it
/// everything through <see cref="IJobEvents"/>; the downloads report through a queue it drains.
/// </summary>
internal sealed class OutputSaver : IDisposable
{
    private const string PartialMarker = ".partial-";
    private static readonly TimeSpan CleanUpWait = TimeSpan.FromSeconds(10);

    private readonly JobLister _lister;
    private readonly OutputClient _client;
    private readonly SaveSettings _settings;
    private readonly CallContext _call;
    private readonly CancellationTokenSource _stop;
    private readonly IJobEvents _events;
    private readonly Action _drain;
    private readonly OutputLayout _layout;
    private readonly SemaphoreSlim _downloads;
    private readonly AutoResetEvent _changed = new(false);
    private readonly ConcurrentQueue<object> _reports = new();
    private readonly List<Task> _running = new();
    private readonly TransferCounter _counter = new();
    private int _queued;
    private int _ended;
    private SaveProgress _lastProgress;

    /// <param name="drain">Writes what the requests logged so far; called on the caller's thread while it waits.</param>
    public OutputSaver(JobLister lister, OutputClient client, SaveSettings settings, CallContext call, IJobEvents events, Action drain)
    {
        _lister = lister;
        _client = client;
        _settings = settings;
        // The call's token, and Dispose's: downloads left running when a pipeline ends early are ended too.
        _stop = CancellationTokenSource.CreateLinkedTokenSource(call.Token);
        _call = call with { Token = _stop.Token };
        _events = events;
        _drain = drain;
        _layout = new OutputLayout(settings.Root);
        _downloads = new SemaphoreSlim(settings.ThrottleLimit);
    }

    private CallLog Log => _call.Log;

    private CancellationToken Token => _call.Token;

    /// <summary>Downloads queued or running now.</summary>
    private int Pending => Volatile.Read(ref _queued) - Volatile.Read(ref _ended);

    /// <summary>
    /// Saves the outputs of job <paramref name="id"/> of the provider of <paramref name="endpoints"/>:
    /// <paramref name="piped"/> is the job as piped (null for -Id). Returns once its downloads are queued;
    /// while too many are waiting it writes what finished, so a long listing piped in is not read far ahead.
    /// </summary>
    public void Save(IReadOnlyList<ProviderEndpoint> endpoints, string id, ProviderJob? piped)
    {
        Report();
        var provider = endpoints[0].Provider;
        var name = provider.Info.Name;

        // A job known to be running is refused before anything is asked or sent.
        if (piped is not null && !IsFinished(piped))
        {
            _events.Problem(NotFinished(piped, endpoints[0].Account, asPiped: true));
            return;
        }

        var folder = _layout.JobFolder(name, id);
        if (!_events.Confirm(piped is null ? Strings.JobNamed(name, id) : Strings.JobTarget(piped), Strings.SaveOutputsAction(folder)))
        {
            return;
        }

        ProviderEndpoint endpoint;
        ProviderJob job;
        IReadOnlyList<JobOutput> outputs;
        if (piped is not null && !provider.OutputsNeedJobRead)
        {
            (endpoint, job) = (endpoints[0], piped);
            outputs = provider.Outputs(job, null, endpoint.BaseUri);
        }
        else
        {
            // One read of the job: it says whether the job has finished, and where only the single-job answer
            // holds the outputs (ittybit's tasks, pyannoteAI's output), what they are.
            JsonElement? body = null;
            var lookup = Await(_lister.FindJobAsync(endpoints, id, _call, (_, answer) => body = answer.Clone()));
            if (lookup.Job is null)
            {
                _events.Problem(Problem.NotFound(lookup, id));
                return;
            }

            (endpoint, job) = (lookup.Endpoint, lookup.Job);
            if (!IsFinished(job))
            {
                _events.Problem(NotFinished(job, endpoint.Account, asPiped: false));
                return;
            }

            outputs = provider.Outputs(job, body, endpoint.BaseUri);
        }

        if (outputs.Count == 0)
        {
            NoOutputs(endpoint, job);
            return;
        }

        Log.Verbose(Strings.OutputsFound(name, job.Id, outputs.Count, folder));
        for (var index = 0; index < outputs.Count; index++)
        {
            Queue(endpoint, job, folder, outputs[index], index);
        }

        // Enough waiting downloads keep every slot busy; more would only read the listing far ahead.
        Pump(() => Pending < _settings.ThrottleLimit * 2);
    }

    /// <summary>Waits for every download, writing what each one reports as it ends.</summary>
    public void Finish() => Pump(() => Pending == 0);

    /// <summary>
    /// Ends the downloads still running (a pipeline that ended without <see cref="Finish"/>: stopped, or failed
    /// upstream) and waits, briefly, until each has taken its partial file away.
    /// </summary>
    public void Dispose()
    {
        _stop.Cancel();
        CleanUpIfStopped();
        _stop.Dispose();
        _downloads.Dispose();
        _changed.Dispose();
    }

    private static bool IsFinished(ProviderJob job) => job.Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Canceled;

    private static Problem NotFinished(ProviderJob job, string? account, bool asPiped) =>
        Problem.Output(ProblemKind.JobNotFinished, job.Provider, account, job.Id, Strings.OutputJobNotFinished(job, asPiped));

    /// <summary>
    /// A finished job without outputs: a verbose line; or, where the provider documents how long it keeps
    /// outputs and a job that succeeded ended longer ago than that, an error that says they are gone.
    /// </summary>
    private void NoOutputs(ProviderEndpoint endpoint, ProviderJob job)
    {
        var info = endpoint.Provider.Info;
        if (job.Status == JobStatus.Succeeded && info.OutputRetention is { } retention && (job.CompletedUtc ?? job.UpdatedUtc) is { } ended
            && DateTime.UtcNow - ended > retention)
        {
            _events.Problem(Problem.Output(ProblemKind.OutputExpired, info.Name, endpoint.Account, job.Id, Strings.OutputsExpired(info.Name, job.Id, retention, DateTime.UtcNow - ended)));
            return;
        }

        Log.Verbose(Strings.NoOutputs(job));
    }

    /// <summary>Checks one output on the pipeline thread (its URL, its name, the file already there) and starts its download.</summary>
    private void Queue(ProviderEndpoint endpoint, ProviderJob job, string folder, JobOutput output, int index)
    {
        var name = endpoint.Provider.Info.Name;
        var suggested = output.Name;
        Uri? fileUri = null;
        if (output.Kind == JobOutputKind.FileUrl)
        {
            fileUri = FileUri.Parse(output.Url, endpoint.BaseUri, Log.Redactor.With(endpoint.ApiKey), out var problem);
            if (fileUri is null)
            {
                var kind = problem == FileUriProblem.NotHttp ? ProblemKind.InvalidOutputUri : ProblemKind.InsecureOutputUri;
                _events.Problem(Problem.Output(kind, name, endpoint.Account, job.Id, Strings.OutputUriRefused(name, job.Id, output.Url ?? string.Empty, problem)));
                return;
            }

            if (suggested.Length == 0)
            {
                suggested = OutputFileName.FromUrl(fileUri) ?? string.Empty;
            }
        }

        // A name is server text and becomes a file name and a FileInfo: a key in it is taken out first, as everywhere.
        var fileName = OutputFileName.Safe(Log.Redactor.With(endpoint.ApiKey).Redact(suggested), "output-" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (_layout.Reserve(folder, fileName) is not { } path)
        {
            _events.Problem(Problem.Output(ProblemKind.UnsafeOutputName, name, endpoint.Account, job.Id, Strings.OutputNameOutside(name, job.Id, fileName, _layout.Root)));
            return;
        }

        if (!_settings.Force && File.Exists(path))
        {
            _events.Problem(Exists(endpoint, job, path));
            return;
        }

        Interlocked.Increment(ref _queued);
        var work = new Work(endpoint, job, output, fileUri, path);
        _running.Add(Task.Run(() => RunAsync(work)));
    }

    private async Task RunAsync(Work work)
    {
        try
        {
            await _downloads.WaitAsync(Token).ConfigureAwait(false);
            try
            {
                _reports.Enqueue(await WriteAsync(work).ConfigureAwait(false));
            }
            finally
            {
                _downloads.Release();
            }
        }
        catch (OperationCanceledException) when (Token.IsCancellationRequested)
        {
            // Stopped (Ctrl+C): WriteAsync has taken its partial file away.
        }
        finally
        {
            Interlocked.Increment(ref _ended);
            _changed.Set();
        }
    }

    /// <summary>Downloads one output into a temporary file beside its final name and renames it once whole; what it reports.</summary>
    private async Task<object> WriteAsync(Work work)
    {
        var (endpoint, job, output) = (work.Endpoint, work.Job, work.Output);
        var name = endpoint.Provider.Info.Name;
        string? partial = null;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(work.Path)!);
            if (!_settings.Force && File.Exists(work.Path))
            {
                return Exists(endpoint, job, work.Path);
            }

            partial = work.Path + PartialMarker + RandomSuffix();
            long length;
            using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                length = await DownloadAsync(work, file).ConfigureAwait(false);
                await file.FlushAsync(Token).ConfigureAwait(false);
            }

            if (!Publish(partial, work.Path))
            {
                return Exists(endpoint, job, work.Path);
            }

            partial = null;
            Log.Verbose(Strings.OutputSaved(name, job.Id, work.Path, length));
            return new SavedOutput(work.Path, name, job.Id, endpoint.Account, length);
        }
        catch (ProviderRequestException ex)
        {
            return Failed(work, ex);
        }
        catch (OutputCutException ex)
        {
            return Problem.Output(ProblemKind.OutputIncomplete, name, endpoint.Account, job.Id, Strings.OutputIncomplete(name, job.Id, Path.GetFileName(work.Path), ex.Message)) with
            {
                Target = work.Path,
                Failure = ex.Failure,
            };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException or NotSupportedException)
        {
            return Problem.Output(ProblemKind.OutputWriteFailed, name, endpoint.Account, job.Id, Strings.OutputWriteFailed(name, job.Id, work.Path, ex)) with { Target = work.Path };
        }
        finally
        {
            if (partial is not null)
            {
                TryDelete(partial);
            }
        }
    }

    private async Task<long> DownloadAsync(Work work, FileStream file)
    {
        var (endpoint, output) = (work.Endpoint, work.Output);
        switch (output.Kind)
        {
            case JobOutputKind.Inline:
                var content = WithoutKeys(output.Content, endpoint);
                await file.WriteAsync(content, 0, content.Length, Token).ConfigureAwait(false);
                _counter.Expect(content.Length);
                _counter.Receive(content.Length);
                return content.Length;
            case JobOutputKind.ApiContent:
                return await _client.DownloadAsync(endpoint, output.ApiUri!, true, output.Size, file, _counter, _call).ConfigureAwait(false);
            case JobOutputKind.ApiLink:
                var link = await _client.ResolveLinkAsync(endpoint, output.ApiUri!, output.RequestBody!, output.LinkProperty!, _call).ConfigureAwait(false);
                if (FileUri.Parse(link, endpoint.BaseUri, Log.Redactor.With(endpoint.ApiKey), out var problem) is not { } linked)
                {
                    var name = endpoint.Provider.Info.Name;
                    throw new ProviderRequestException(name, problem == FileUriProblem.NotHttp ? ProviderErrorKind.InvalidResponse : ProviderErrorKind.UnsafeRedirect, Strings.OutputUriRefused(name, work.Job.Id, link, problem))
                    {
                        RequestUri = output.ApiUri,
                    };
                }

                return await _client.DownloadAsync(endpoint, linked, false, output.Size, file, _counter, _call).ConfigureAwait(false);
            default:
                return await _client.DownloadAsync(endpoint, work.FileUri!, false, output.Size, file, _counter, _call).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Bytes of the provider's own answer (JSON), with every key the module knows taken out as everywhere
    /// else the module writes what a server sent; as they are, after one byte screen, when none is there.
    /// </summary>
    private byte[] WithoutKeys(ReadOnlyMemory<byte> content, ProviderEndpoint endpoint)
    {
        var redactor = Log.Redactor.With(endpoint.ApiKey);
        return redactor.MayMatch(content.Span)
            ? System.Text.Encoding.UTF8.GetBytes(redactor.Redact(System.Text.Encoding.UTF8.GetString(content.ToArray())))
            : content.ToArray();
    }

    /// <summary>A failed request for an output: gone (with the provider's retention, where it documents one), or failed otherwise.</summary>
    private static Problem Failed(Work work, ProviderRequestException failure)
    {
        var info = work.Endpoint.Provider.Info;
        var file = Path.GetFileName(work.Path);
        var (kind, message) = failure.StatusCode is 404 or 410
            ? info.OutputRetention is { } retention
                ? (ProblemKind.OutputExpired, Strings.OutputExpired(info.Name, work.Job.Id, file, retention, failure.Message))
                : (ProblemKind.OutputNotFound, Strings.OutputGone(info.Name, work.Job.Id, file, failure.Message))
            : (ProblemKind.OutputRequestFailed, Strings.OutputFailed(info.Name, work.Job.Id, file, failure.Message));
        return Problem.Output(kind, info.Name, work.Endpoint.Account, work.Job.Id, message) with { Target = work.Path, Failure = failure };
    }

    private static Problem Exists(ProviderEndpoint endpoint, ProviderJob job, string path) =>
        Problem.Output(ProblemKind.OutputFileExists, endpoint.Provider.Info.Name, endpoint.Account, job.Id, Strings.OutputExists(endpoint.Provider.Info.Name, job.Id, path)) with { Target = path };

    /// <summary>
    /// Moves the whole file to its final name. Without -Force, a file that appeared there meanwhile wins
    /// and is left as it is (false); with it, it is replaced in one step.
    /// </summary>
    private bool Publish(string partial, string path)
    {
        try
        {
            File.Move(partial, path);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            if (!_settings.Force)
            {
                return false;
            }

            File.Replace(partial, path, null);
            return true;
        }
    }

    private static string RandomSuffix()
    {
        var bytes = new byte[4];
        using (var random = RandomNumberGenerator.Create())
        {
            random.GetBytes(bytes);
        }

        return BitConverter.ToString(bytes).Replace("-", string.Empty).ToLowerInvariant();
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left as a .partial- file, never under the final name.
        }
    }

    /// <summary>A request awaited on the pipeline thread, with the downloads' reports written meanwhile.</summary>
    private T Await<T>(Task<T> task)
    {
        try
        {
            return WaitPump.Await(task, Report);
        }
        finally
        {
            CleanUpIfStopped();
        }
    }

    /// <summary>Blocks the pipeline thread until <paramref name="done"/>, writing reports and progress as downloads end.</summary>
    private void Pump(Func<bool> done)
    {
        try
        {
            WaitPump.Until(wait => done() || Token.IsCancellationRequested || (_changed.WaitOne(wait) && done()), Report);
            Token.ThrowIfCancellationRequested();
            Report();
        }
        finally
        {
            CleanUpIfStopped();
        }
    }

    /// <summary>
    /// When the call is stopped, the downloads end at once; this waits (briefly) until each has taken its
    /// partial file away, so that nothing is left behind when the pipeline returns.
    /// </summary>
    private void CleanUpIfStopped()
    {
        if (!Token.IsCancellationRequested)
        {
            return;
        }

        try
        {
            Task.WaitAll(_running.ToArray(), CleanUpWait);
        }
        catch (AggregateException)
        {
            // Each download reports its own end; none throws but a cancellation.
        }
    }

    /// <summary>Writes what the downloads reported, what the requests logged, and the progress when it moved.</summary>
    private void Report()
    {
        while (_reports.TryDequeue(out var report))
        {
            if (report is SavedOutput saved)
            {
                if (_settings.PassThru)
                {
                    _events.Saved(saved.Path, saved.Provider, saved.JobId, saved.Account);
                }
            }
            else
            {
                _events.Problem((Problem)report);
            }
        }

        _drain();
        var progress = new SaveProgress(Volatile.Read(ref _ended), Volatile.Read(ref _queued), _counter.Received, _counter.Expected);
        if (progress != _lastProgress)
        {
            _lastProgress = progress;
            _events.Progress(1, null, null, Strings.SaveProgressText(progress), progress.FilesQueued == 0 ? 0 : 100 * progress.FilesEnded / progress.FilesQueued, completed: false);
        }
    }

    private sealed record Work(ProviderEndpoint Endpoint, ProviderJob Job, JobOutput Output, Uri? FileUri, string Path);
}
