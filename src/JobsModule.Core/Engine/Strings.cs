using System.Globalization;
using JobsModule.JsonReading;

namespace JobsModule.Engine;

/// <summary>The sentences users read, kept together.</summary>
internal static class Strings
{
    public static string PageSizeTooLarge(string provider, int size, int max) =>
        $"-PageSize {size} is above {provider}'s maximum of {max}. Use a value from 1 to {max}, or leave -PageSize out to use the maximum.";

    public static string CannotFilter(string provider, string parameter) =>
        $"{provider} cannot filter by -{parameter}. Leave -{parameter} out, or choose providers that support it with -Provider.";

    public static string UnknownKind(string provider, string kind, IEnumerable<string> known) =>
        $"'{Shorten(kind, 80)}' is not a {provider} job kind. Valid kinds: {string.Join(", ", known)}.";

    public static string BaseUriNotAbsolute(string source, string value) =>
        $"{source} must be an absolute http or https URL; '{Shorten(value, 500)}' is not.";

    public static string BaseUriNotHttps(string source, string value) =>
        $"{source} must be an https URL: '{Shorten(value, 500)}' is plain http, which would send the API key unencrypted. Use https://; plain http is allowed only to this machine (localhost, 127.0.0.1, [::1]).";

    public static string ApiKeyBlank(string source) =>
        $"The key from {source} is empty or blank. Give the whole key.";

    public static string ApiKeyTooLong(string source, int max) =>
        $"The key from {source} is longer than {max.ToString(CultureInfo.InvariantCulture)} characters, which is no API key. Check what was pasted.";

    // Names the position and the kind of character, never the key.
    public static string ApiKeyCharacter(string source, char character, int position) =>
        $"The key from {source} holds {DescribeCharacter(character)} at position {(position + 1).ToString(CultureInfo.InvariantCulture)}, which a request header cannot carry. "
        + "Keys are printable ASCII: check for a line break or a space copied with it, or a look-alike letter.";

    private static string DescribeCharacter(char character) => character switch
    {
        '\r' or '\n' => "a line break",
        '\t' => "a tab",
        ' ' => "a space at its start or end",
        < ' ' or '\u007f' => "a control character",
        _ => $"the non-ASCII character U+{((int)character).ToString("X4", CultureInfo.InvariantCulture)}",
    };

    public static string NoApiVersions(string provider) =>
        $"{provider} does not version its API, so -ApiVersion does not apply to it.";

    public static string InvalidApiVersion(string source, string value, string example) =>
        $"{source} must be an API version such as {example} (letters, digits, '-', '.' and '_', at most 40); '{Shorten(value, 40)}' is not.";

    public static string BaseUriHasQuery(string source, string value) =>
        $"{source} must not carry a query string or user info: '{Shorten(value, 500)}'.";

    public static string NoKey(string provider, IReadOnlyList<string> variables) =>
        $"No API key for {provider}: set {string.Join(" or ", variables)}, run Connect-ProviderAccount -Provider {provider}, or pass -ApiKey to Get-ProviderJob.";

    public static string NoProviderHasKey(IEnumerable<string> variables) =>
        $"No provider has an API key. Set one of {string.Join(", ", variables)}, or pass -Provider and -ApiKey.";

    public static string HttpFailure(string provider, System.Net.Http.HttpMethod method, int status, string reason, Uri uri, string? providerMessage, string? code = null) =>
        $"{provider} answered {status.ToString(CultureInfo.InvariantCulture)} {DisplayText.Inert(reason)} to {method} {Describe(uri)}"
        + (string.IsNullOrEmpty(providerMessage) ? "." : ": " + DisplayText.Inert(providerMessage))
        + (string.IsNullOrEmpty(code) ? string.Empty : $" (code {DisplayText.Inert(code)})");

    public static string InvalidBody(string provider, int status, string? contentType, Uri uri, string problem) =>
        $"{provider} sent a response to GET {Describe(uri)} that could not be read (HTTP {status.ToString(CultureInfo.InvariantCulture)}, content type {DisplayText.Inert(contentType) ?? "none"}): {DisplayText.Inert(problem)}.";

    /// <summary>
    /// What is wrong with a body, in the module's words: the JSON reader's own text (its exception type,
    /// "LineNumber: 0 | BytePositionInLine: 613") never reaches a user, only where the body went wrong.
    /// </summary>
    public static string BodyProblem(Exception problem) => problem switch
    {
        ProviderResponseShapeException shape => "the JSON is not the documented shape (" + shape.Message + ")",
        NotJsonException own => "the body is not valid JSON (" + own.Message + ")",
        System.Text.Json.JsonException { LineNumber: 0, BytePositionInLine: 0 } => "the body is not valid JSON (it is not JSON from its first byte on)",
        System.Text.Json.JsonException { LineNumber: { } line, BytePositionInLine: { } position } =>
            $"the body is not valid JSON (it goes wrong at byte {(position + 1).ToString(CultureInfo.InvariantCulture)} of line {(line + 1).ToString(CultureInfo.InvariantCulture)})",
        System.Text.Json.JsonException => "the body is not valid JSON",
        _ => "the JSON is not the documented shape",
    };

    /// <summary>Why one item of a page is no job, in the module's words (an adapter's shape message, never .NET's).</summary>
    public static string ItemProblem(Exception problem) =>
        problem is ProviderResponseShapeException shape ? shape.Message : "a value in it cannot be read as the provider documents it";

    public static string NetworkFailure(string provider, Uri uri, string problem) =>
        $"{provider} could not be reached at {Describe(uri)}: {DisplayText.Inert(problem)}";

    public static string TimedOut(string provider, System.Net.Http.HttpMethod method, Uri uri, TimeSpan timeout) =>
        $"{provider} did not answer {method} {Describe(uri)} within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.";

    public static string TimedOutAtDeadline(string provider, System.Net.Http.HttpMethod method, Uri uri, TimeSpan deadline) =>
        $"{provider} did not answer {method} {Describe(uri)} before the wait's time ran out (-Timeout {Seconds(deadline)} s).";

    /// <summary>Appended to a failure whose retry would have come after the wait's deadline.</summary>
    public static string NotRetriedPastDeadline(TimeSpan delay, TimeSpan left, TimeSpan deadline) =>
        $" Not retried: the next try would come in {delay.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s, after the wait's time runs out ({left.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s left of -Timeout {Seconds(deadline)} s).";

    public static string BudgetPastDeadline(string provider, System.Net.Http.HttpMethod method, Uri uri, TimeSpan wait, TimeSpan left, TimeSpan deadline) =>
        $"{provider}'s request budget for this key is used up for another {wait.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s, longer than the wait has left ({left.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s of -Timeout {Seconds(deadline)} s), so {method} {Describe(uri)} was not sent.";

    public static string OtherJobAnswered(string provider, Uri uri, string asked, string answered) =>
        $"{provider} answered GET {Describe(uri)} with job '{Shorten(answered)}' instead of job '{Shorten(asked)}' (a gateway or cache in between may be mixing up answers); the answer is not used, and nothing was done to either job.";

    public static string PagingLoop(string provider, Uri uri) =>
        $"{provider} sent a next page that was already read ({Describe(uri)}); the listing stops here instead of looping.";

    public static string UnsafeNextPage(string provider, Uri next, Uri baseUri) =>
        $"{provider} pointed the next page at {Shorten(next.Scheme + "://" + next.Authority + next.AbsolutePath)}, outside the base URL {baseUri.Scheme}://{baseUri.Authority}{baseUri.AbsolutePath}; the key is not sent there.";

    public static string Redirected(string provider, System.Net.Http.HttpMethod method, int status, Uri uri) =>
        $"{provider} answered {status.ToString(CultureInfo.InvariantCulture)} (a redirect) to {method} {Describe(uri)}; redirects are not followed, so the key is never sent elsewhere. Check the base URL.";

    public static string RequestLine(string provider, System.Net.Http.HttpMethod method, Uri uri, int status, int? jobs, long milliseconds, int attempt) =>
        $"{provider} {method} {Describe(uri)} -> {status.ToString(CultureInfo.InvariantCulture)}, "
        + (jobs is { } count ? $"{count.ToString(CultureInfo.InvariantCulture)} jobs, " : string.Empty)
        + $"{milliseconds.ToString(CultureInfo.InvariantCulture)} ms"
        + (attempt > 0 ? $", retry {attempt.ToString(CultureInfo.InvariantCulture)}" : string.Empty);

    public static string RetryWait(string provider, System.Net.Http.HttpMethod method, Uri uri, string what, int retry, int maxRetries, TimeSpan delay, string why) =>
        $"{provider} {method} {Describe(uri)} -> {what}; retry {retry.ToString(CultureInfo.InvariantCulture)} of {maxRetries.ToString(CultureInfo.InvariantCulture)} in {delay.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s ({why}).";

    public static string PageDidNotAdvance(string provider, Uri next) =>
        $"{provider} sent a page of jobs that were all already listed, so the listing is not advancing; it stops here instead of looping (next page was {Describe(next)}).";

    public static string JobsMayBeMissing(string provider, long count) =>
        $"{provider}: up to {count.ToString(CultureInfo.InvariantCulture)} matching job{(count == 1 ? string.Empty : "s")} may be missing from this listing: "
        + "jobs left the list while it was read (its total dropped), and the pages could not be stepped back far enough to be sure. "
        + "To act on every job, collect the listing first, for example @(Get-ProviderJob ...) | Stop-ProviderJob.";

    public static string PacingWait(string provider, TimeSpan delay) =>
        $"{provider}'s request budget for this key is used up until its window ends: waiting {delay.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s instead of running into a 429.";

    public static string Waiting(string what, TimeSpan delay) =>
        $"waiting {delay.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s after {what}";

    public static string ListRouteFallback(string provider, Uri tried, Uri fallback) =>
        $"{provider} answered 404 to {tried.AbsolutePath} at this base URL (an older deployment, or a gateway that exposes only the older route); listing with {fallback.AbsolutePath} instead, and for the rest of this session at this base URL.";

    public static string ListRouteRetried(string provider, Uri remembered, Uri own) =>
        $"{provider} answered 404 to {remembered.AbsolutePath}, the older route this session had remembered for this base URL (the deployment may have moved on); trying {own.AbsolutePath} again, and listing with it from now on if it answers.";

    /// <summary>One warning for a job whose detail read failed: what was asked, why it failed, and what the job is written as.</summary>
    public static string DetailReadFailed(ProviderJob job, string? account, string what, string problem, JobOutcome outcome, bool accountRefused) =>
        $"{job.Provider} job '{Shorten(job.Id)}'{(account is null ? string.Empty : " (account " + DisplayText.Inert(account) + ")")}: reading its {what} for -Detailed failed, so it is written with Outcome {outcome} as far as the reads before told: {problem}"
        + (accountRefused ? $" No more details are asked of this account in this call; its other jobs are written as listed." : string.Empty);

    /// <summary>-Detailed's one verbose line: the extra requests it sent.</summary>
    public static string DetailSummary(long jobs, long requests, IEnumerable<KeyValuePair<string, long>> perProvider, long failed, long leftAsListed) =>
        $"-Detailed: {requests.ToString("N0", CultureInfo.InvariantCulture)} extra request{(requests == 1 ? string.Empty : "s")} for the details of {jobs.ToString("N0", CultureInfo.InvariantCulture)} finished job{(jobs == 1 ? string.Empty : "s")}"
        + (requests > 0 ? " (" + string.Join(", ", System.Linq.Enumerable.Select(perProvider, pair => pair.Key + " " + pair.Value.ToString("N0", CultureInfo.InvariantCulture))) + ")" : string.Empty)
        + (failed > 0 ? $"; {failed.ToString("N0", CultureInfo.InvariantCulture)} could not be read (warned about)" : string.Empty)
        + (leftAsListed > 0 ? $"; {leftAsListed.ToString("N0", CultureInfo.InvariantCulture)} left as listed after their account refused" : string.Empty)
        + ".";

    public static string UnreadableJob(string provider, int position, int page, string reason) =>
        $"{provider} sent a job that cannot be read (item {(position + 1).ToString(CultureInfo.InvariantCulture)} of page {page.ToString(CultureInfo.InvariantCulture)}: {DisplayText.Inert(reason)}); it is left out, and the other jobs are listed.";

    public static string UnreadableField(string provider, string id, string field, object? value) =>
        $"{provider} job '{Shorten(id)}' has a '{field}' of {Shorten(ShowValue(value))}, which cannot be read; the job is written with that property empty and the value kept in UnreadableFields. Other {provider} jobs with an unreadable '{field}' are written the same way without another warning.";

    /// <summary>
    /// Text from outside (a server, a user) as messages show it: at most <paramref name="length"/>
    /// characters, with anything that would act on a terminal escaped (<see cref="DisplayText.Inert"/>).
    /// </summary>
    public static string Shorten(string text, int length = 120)
    {
        var cut = text.Length <= length ? text : text.Substring(0, length);
        var shown = DisplayText.Inert(cut)!;
        return cut.Length == text.Length ? shown : shown + "... (" + text.Length.ToString(CultureInfo.InvariantCulture) + " characters)";
    }

    private static string ShowValue(object? value) => value switch
    {
        null => "null",
        string text => "\"" + text + "\"",
        _ => JobData.Format(value),
    };

    public static string DateOutOfRange(string parameter, DateTime value, DateTime earliest, DateTime latest) =>
        $"-{parameter} ({value.ToString("u", CultureInfo.InvariantCulture)}) is outside the dates the providers can represent: use a time from {earliest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} to {latest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} (UTC).";

    public const string JobIdBlank = "A job id must not be blank.";

    public static string JobIdDots(string id) =>
        $"'{id}' is not a job id: in a URL it means this folder or the one above, so the request would go to another address. Nothing was sent.";

    public static string JobIdTooLong(string id, int max) =>
        $"The job id '{Shorten(id, 40)}' is longer than {max.ToString(CultureInfo.InvariantCulture)} characters, which no provider issues. Nothing was sent.";

    public static string JobIdControl(string id) =>
        $"The job id '{Shorten(id, 60)}' holds a control character (a line break, a tab), which no provider issues. Nothing was sent.";

    public static string CannotCancel(string provider, string id) =>
        $"{provider} job '{Shorten(id)}' cannot be stopped: {provider} has no endpoint to cancel a job. Nothing was sent.";

    public static string CannotDelete(string provider, string id) =>
        $"{provider} job '{Shorten(id)}' cannot be removed: {provider} documents no way to delete a job. Nothing was sent.";

    public static string FollowUpReadFailed(string provider, string id, string problem) =>
        $"{provider} accepted the stop of job '{Shorten(id)}', but reading the job again afterwards failed, so -PassThru writes it as it was read before the stop: {problem}";

    public static string JobAlreadyFinished(ProviderJob job, bool stopDeletes) =>
        $"{job.Provider} job '{Shorten(job.Id)}' has already finished ({job.Status}, '{DisplayText.Inert(job.ProviderStatus)}'), so nothing was sent."
        + (stopDeletes ? $" {job.Provider} stops a job by deleting it, which for a finished job would only destroy it and its results; Remove-ProviderJob deletes a job on purpose." : string.Empty);

    public static string StopStatusUnknown(ProviderJob job) =>
        $"{job.Provider} job '{Shorten(job.Id)}' has status '{DisplayText.Inert(job.ProviderStatus)}', which the module does not know, so nothing was sent: {job.Provider} stops a job by deleting it, and a job in that status may already be finished. Remove-ProviderJob deletes a job on purpose.";

    /// <summary>The -WhatIf and -Confirm text of a stop: what the provider will do.</summary>
    public static string StopAction(string provider, bool deletes) =>
        deletes ? $"Stop (which {provider} does by deleting the job and its results)" : "Stop";

    public const string DeleteAction = "Delete the job and its results";

    /// <summary>The -WhatIf and -Confirm target: the job and the status it has now.</summary>
    public static string JobTarget(ProviderJob job) =>
        $"{job.Provider} job '{Shorten(job.Id)}' ({DisplayText.Inert(job.ProviderStatus) ?? job.Status.ToString()})";

    public static string JobNotFound(string provider, string id) =>
        $"{provider} has no job with id '{Shorten(id)}'.";

    public static string UnknownStatusWhileWaiting(ProviderJob job) =>
        $"{job.Provider} job '{Shorten(job.Id)}' has status '{DisplayText.Inert(job.ProviderStatus)}', which the module does not know; still waiting for Succeeded, Failed or Canceled.";

    public static string JobsFinished(int finished, int total) =>
        $"{finished.ToString(CultureInfo.InvariantCulture)} of {total.ToString(CultureInfo.InvariantCulture)} jobs finished";

    public static string WatchStateInUse(string path) =>
        $"The state file '{Shorten(path, 500)}' is in use by another Watch-ProviderJob (it holds '{Shorten(path, 500)}.lock'). Let that run end, or give this one another -StatePath.";

    public static string WatchStateInvalid(string path, string why) =>
        $"The state file '{Shorten(path, 500)}' cannot be used: {why}. It was left as it is; give another -StatePath, or move the file away to start a new baseline.";

    public static string WatchStateUnavailable(string path, bool reading, string why) =>
        $"The state file '{Shorten(path, 500)}' could not be {(reading ? "read" : "written")}: {why}."
        + (reading ? string.Empty : " The changes of this pass were written; the next run writes them again.");

    public static string WatchBaseline(string account, int unfinished) =>
        $"{account}: no state yet, so this pass records a baseline ({unfinished.ToString(CultureInfo.InvariantCulture)} unfinished jobs to follow) and writes nothing; the next pass writes what changed since. Use -IncludeExisting to have every job written as New.";

    public static string WatchListingFailed(string account, string problem) =>
        $"{account}: the listing of new jobs failed, so they are looked for again in the next pass: {problem}";

    public static string WatchBaselineFailed(string account, string problem) =>
        $"{account}: the first listing failed, so the baseline is taken in the next pass: {problem}";

    public static string WatchReadFailed(string account, int unread, string problem) =>
        $"{account}: {unread.ToString(CultureInfo.InvariantCulture)} unfinished jobs were not read again, so the next pass reads them: {problem}";

    public static string WatchJobGone(string account, string id) =>
        $"{account}: job '{Shorten(id)}' is no longer there (404), so it is no longer watched.";

    public static string WatchPass(int pass, int accounts, int changes, int unfinished) =>
        $"Pass {pass.ToString(CultureInfo.InvariantCulture)}: {accounts.ToString(CultureInfo.InvariantCulture)} accounts, {changes.ToString(CultureInfo.InvariantCulture)} changes, {unfinished.ToString(CultureInfo.InvariantCulture)} unfinished jobs followed.";

    public static string WatchTimedOut(TimeSpan timeout) =>
        $"-Timeout of {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds reached: the watch ends.";

    public static string StillRunning(int count, TimeSpan timeout) =>
        $"{count.ToString(CultureInfo.InvariantCulture)} job(s) had not finished after {Seconds(timeout)} s; they are written as they were last seen.";

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    public static string UnknownStatus(string name, IEnumerable<string> known) =>
        $"'{Shorten(name, 80)}' is not a job status. Valid statuses: {string.Join(", ", known)}.";

    public static string UnknownProvider(string name, IEnumerable<string> known) =>
        $"'{Shorten(name, 80)}' is not a provider this module knows. Valid providers: {string.Join(", ", known)}.";

    public static string AccountNotFound(string name) =>
        $"No account named '{Shorten(name, 200)}'. Connect-ProviderAccount adds one; Get-ProviderAccount lists them.";

    public static string AccountNameBlank(string source) =>
        $"{source} is blank; an account needs a name. Give one with -Name.";

    public static string AccountNameTooLong(string source, string name, int max) =>
        $"{source} '{Shorten(name, 40)}' is longer than {max.ToString(CultureInfo.InvariantCulture)} characters. Give a shorter name with -Name.";

    public static string AccountNameCharacter(string source, string name, string character) =>
        $"{source} '{Shorten(name, 60)}' holds {character}, which an account name cannot: it would not show as typed, and -Account and -Name could not select it. Give another name with -Name.";

    public static string AccountNameSpaces(string source, string name) =>
        $"{source} '{Shorten(name, 60)}' begins or ends with a space, which an account name cannot: it is lost when the name is typed again. Give the name without it.";

    public static string AccountNameWildcard(string source, string name, char character) =>
        $"{source} '{Shorten(name, 60)}' holds '{character}', which -Account and -Name read as a wildcard character (* ? [ ] and the backtick), so the account could not be selected by its name. Give a name without it.";

    // Save-ProviderJobOutput: the sentences of saving outputs. File URLs are shown without their query
    // (FileUri.Shown), which on a pre-signed URL is the signature.

    /// <summary>The -WhatIf and -Confirm target of a job given by id, not read yet: nothing is sent before the answer.</summary>
    public static string JobNamed(string provider, string id) => $"{provider} job '{Shorten(id)}'";

    public static string SaveOutputsAction(string folder) => $"Save its outputs to '{folder}'";

    public static string OutputsFound(string provider, string id, int count, string folder) =>
        $"{provider} job '{Shorten(id)}': {count.ToString(CultureInfo.InvariantCulture)} output{(count == 1 ? string.Empty : "s")} to save in {folder}.";

    public static string OutputJobNotFinished(ProviderJob job, bool asPiped)
    {
        var start = $"{job.Provider} job '{Shorten(job.Id)}' ";
        if (job.Status == JobStatus.Unknown)
        {
            return start + $"has status '{DisplayText.Inert(job.ProviderStatus)}', which the module does not know, so it cannot tell whether the job has finished; nothing was saved for it.";
        }

        return start + (asPiped ? $"was {job.Status} ('{DisplayText.Inert(job.ProviderStatus)}') when it was listed" : $"is {job.Status} ('{DisplayText.Inert(job.ProviderStatus)}')")
            + ", so it has no outputs to save yet; nothing was sent for it. Wait for it first: ... | Wait-ProviderJob | Save-ProviderJobOutput.";
    }

    public static string NoOutputs(ProviderJob job) =>
        $"{job.Provider} job '{Shorten(job.Id)}' has finished ({job.Status}) without outputs to save.";

    public static string OutputsExpired(string provider, string id, TimeSpan retention, TimeSpan age) =>
        $"{provider} job '{Shorten(id)}' has no output any more: {provider} keeps a job's outputs for {Period(retention)} after it finishes, and this job finished {Period(age)} ago. "
        + "Save outputs within that time, for example from a runbook that runs every day.";

    public static string OutputExpired(string provider, string id, string file, TimeSpan retention, string detail) =>
        $"'{Shorten(file)}' of {provider} job '{Shorten(id)}' is gone: {provider} keeps a job's outputs for {Period(retention)} after it finishes, so save them within that time. {detail}";

    public static string OutputGone(string provider, string id, string file, string detail) =>
        $"'{Shorten(file)}' of {provider} job '{Shorten(id)}' is gone, or its URL no longer works ({provider} documents no retention period for outputs): {detail} "
        + $"Save-ProviderJobOutput -Provider {provider} -Id reads the job again for its current URLs.";

    public static string OutputFailed(string provider, string id, string file, string detail) =>
        $"'{Shorten(file)}' of {provider} job '{Shorten(id)}' was not saved: {detail}";

    public static string OutputIncomplete(string provider, string id, string file, string detail) =>
        $"'{Shorten(file)}' of {provider} job '{Shorten(id)}' did not arrive whole, so nothing was kept under its name: {detail}";

    public static string OutputExists(string provider, string id, string path) =>
        $"'{path}' already exists, so this output of {provider} job '{Shorten(id)}' was not saved and the file was left as it was. Use -Force to replace it.";

    public static string OutputUriRefused(string provider, string id, string url, Transport.FileUriProblem problem)
    {
        var shown = Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) ? Shorten(Transport.FileUri.Shown(uri), 300) : Shorten(url, 120);
        return problem switch
        {
            Transport.FileUriProblem.Insecure => $"{provider} job '{Shorten(id)}' has an output at {shown}, which is plain http to another machine: outputs are fetched over https only (plain http only from this machine), so it was not fetched.",
            Transport.FileUriProblem.ThisMachine => $"{provider} job '{Shorten(id)}' has an output at {shown}, which is this machine; a provider elsewhere may not send requests here, so it was not fetched.",
            Transport.FileUriProblem.HoldsKey => $"{provider} job '{Shorten(id)}' has an output whose URL holds the account's key; it was not fetched, so that the key goes to the provider's API alone.",
            _ => $"{provider} job '{Shorten(id)}' has an output '{shown}' that is not an absolute http or https URL, so it was not fetched.",
        };
    }

    public static string OutputNameOutside(string provider, string id, string name, string root) =>
        $"{provider} job '{Shorten(id)}' has an output named '{Shorten(name)}' whose path would not be inside '{root}', so it was not fetched.";

    public static string OutputWriteFailed(string provider, string id, string path, Exception problem) =>
        $"'{path}' could not be written for {provider} job '{Shorten(id)}': {WriteProblem(problem)}. Nothing was kept under that name.";

    /// <summary>Why a file could not be written, in the module's words (never the exception's).</summary>
    private static string WriteProblem(Exception problem) => problem switch
    {
        UnauthorizedAccessException or System.Security.SecurityException => "access to it, or to its folder, is denied",
        System.IO.PathTooLongException => "the path is too long for this system",
        System.IO.DirectoryNotFoundException => "its folder cannot be made or found",
        System.IO.IOException io when (io.HResult & 0xFFFF) is 0x70 or 0x27 or 28 => "the disk is full",
        NotSupportedException => "the path is not one this system can write to",
        _ => "the file system refused it (a file or folder of that name may be in the way, or another program holds it)",
    };

    public static string OutputSaved(string provider, string id, string path, long length) =>
        $"{provider} job '{Shorten(id)}': saved {path} ({length.ToString("N0", CultureInfo.InvariantCulture)} bytes).";

    public static string OutputRequestLine(string provider, System.Net.Http.HttpMethod method, Uri uri, int status, long bytes, long milliseconds, int attempt) =>
        $"{provider} {method} {Describe(uri)} -> {status.ToString(CultureInfo.InvariantCulture)}, {bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes, {milliseconds.ToString(CultureInfo.InvariantCulture)} ms"
        + (attempt > 0 ? $", retry {attempt.ToString(CultureInfo.InvariantCulture)}" : string.Empty);

    public static string FileHostFailure(string provider, int status, string reason, string url) =>
        $"the file host of {provider}'s output answered {status.ToString(CultureInfo.InvariantCulture)} {DisplayText.Inert(reason)} to GET {Shorten(url, 500)}"
        + (status == 403 ? " (a signed URL that has expired is answered so too)." : ".");

    public static string OutputLengthMismatch(string provider, Uri uri, long received, long expected) =>
        $"{provider}: the body of GET {Describe(uri)} ended after {received.ToString("N0", CultureInfo.InvariantCulture)} of the {expected.ToString("N0", CultureInfo.InvariantCulture)} bytes announced.";

    public static string OutputBodyBroken(string provider, Uri uri, long received, string problem) =>
        $"{provider}: the connection of GET {Describe(uri)} broke after {received.ToString("N0", CultureInfo.InvariantCulture)} bytes of the body: {DisplayText.Inert(problem)}";

    public static string OutputStalled(string provider, Uri uri, long received, TimeSpan timeout) =>
        $"{provider}: GET {Describe(uri)} sent nothing for {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s after {received.ToString("N0", CultureInfo.InvariantCulture)} bytes of the body (-TimeoutSec).";

    public static string OutputRedirected(string provider, string from, int status, string to) =>
        $"{provider} GET {Shorten(from, 300)} -> {status.ToString(CultureInfo.InvariantCulture)}, following it to {Shorten(to, 300)} (no key is sent with an output's URL).";

    public static string OutputRedirectRefused(string provider, string from, string to) =>
        $"{provider}: GET {Shorten(from, 300)} redirected to {Shorten(to, 300)}, which is plain http to another machine or not an http URL, so it was not followed.";

    public static string OutputRedirectHoldsKey(string provider, string from) =>
        $"{provider}: GET {Shorten(from, 300)} redirected to a URL that holds the account's key; it was not followed, so that the key goes to the provider's API alone.";

    public static string OutputRedirectToLoopback(string provider, string from, string to) =>
        $"{provider}: GET {Shorten(from, 300)} redirected to {Shorten(to, 300)}, which is this machine; a server elsewhere may not send requests here, so it was not followed.";

    public static string OutputTooManyRedirects(string provider, string url, int most) =>
        $"{provider}: GET {Shorten(url, 300)} was redirected more than {most.ToString(CultureInfo.InvariantCulture)} times, so the redirects were not followed further.";

    public static string LinkAnswerInvalid(string provider, int status, string? contentType, Uri uri, string problem) =>
        $"{provider} sent a response to POST {Describe(uri)} that could not be read (HTTP {status.ToString(CultureInfo.InvariantCulture)}, content type {DisplayText.Inert(contentType) ?? "none"}): {DisplayText.Inert(problem)}.";

    public static string SaveProgressText(Outputs.SaveProgress progress) =>
        $"{progress.FilesEnded.ToString(CultureInfo.InvariantCulture)} of {progress.FilesQueued.ToString(CultureInfo.InvariantCulture)} files, "
        + $"{Megabytes(progress.BytesReceived)} of {Megabytes(Math.Max(progress.BytesExpected, progress.BytesReceived))} MB";

    private static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);

    public static string OutputPathNotFileSystem(string path, string provider) =>
        $"-Path '{Shorten(path, 300)}' is on PowerShell's {provider} provider; outputs are saved to a folder of the file system.";

    public static string OutputPathIsFile(string path) =>
        $"-Path '{Shorten(path, 300)}' is a file; give the folder to save the outputs under (it is made when missing).";

    public static string OutputPathUnusable(string path) =>
        $"-Path '{Shorten(path, 300)}' is not a path PowerShell can resolve (a drive that does not exist, or characters a path cannot hold); give a folder of the file system.";

    /// <summary>A span of time as people say it: whole hours up to two days, whole days beyond.</summary>
    private static string Period(TimeSpan time) =>
        time.TotalHours < 48
            ? Plural(Math.Max(1, (long)Math.Round(time.TotalHours)), "hour")
            : Plural((long)Math.Round(time.TotalDays), "day");

    private static string Plural(long count, string unit) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + unit + (count == 1 ? string.Empty : "s");

    public static string SkippedProvider(string provider, string reason) =>
        $"{provider} is left out of this listing: {reason}";

    /// <summary>A URL as shown to users: path and query on the provider's host, never user info, and never pages long.</summary>
    public static string Describe(Uri uri) =>
        Shorten(uri.IsAbsoluteUri ? uri.Scheme + "://" + uri.Authority + uri.PathAndQuery : uri.OriginalString, 500);
}
