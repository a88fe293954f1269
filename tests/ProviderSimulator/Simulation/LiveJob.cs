using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ProviderSimulator.Simulation;

/// <summary>
/// The clock live jobs read their state from. A provider request freezes it once (after its latency,
/// before it reads the dataset), so a status filter and the items written in the same response agree
/// even when a live job changes state in between. <see cref="BeginScope"/> gives the request (async
/// flow) its own holder, set up by the caller before the async work starts (a value set inside an
/// async method would be undone when it returns); outside a frozen scope reads see the wall clock.
/// </summary>
internal static class LiveClock
{
    private static readonly AsyncLocal<StrongBox<long>?> Frozen = new();

    /// <summary>Unix milliseconds: the frozen instant of this request, or now.</summary>
    public static long NowMs => Frozen.Value is { Value: not 0 } box ? box.Value : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Gives the current async flow (one request) its own, not yet frozen, clock.</summary>
    public static void BeginScope() => Frozen.Value = new StrongBox<long>();

    /// <summary>Freezes the clock of the current scope (if any) at now and returns that instant.</summary>
    public static long Freeze()
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (Frozen.Value is StrongBox<long> box)
        {
            box.Value = now;
        }
        return now;
    }
}

/// <summary>Where a live job is in its run.</summary>
internal enum LivePhase
{
    Queued,
    Running,
    Final,
}

/// <summary>
/// A job created through POST /_sim/{provider}/live: queued when created, running (or the raw
/// <see cref="Middle"/> status) from RunMs/3 on, in its final status from RunMs on. Nothing moves it:
/// its state is computed from the clock whenever it is read. Status codes index the dataset's
/// status table; -1 means a raw status outside it (<see cref="Middle"/> only).
/// </summary>
internal sealed record LiveJob(string Id, long StartMs, int RunMs, int QueuedCode, int RunningCode, string? Middle, int MiddleCode, int FinalCode)
{
    /// <summary>When the job leaves its queued status (Unix ms).</summary>
    public long RunningFromMs => StartMs + (RunMs / 3);

    /// <summary>When the job reaches its final status (Unix ms).</summary>
    public long FinalFromMs => StartMs + RunMs;

    public LivePhase PhaseAt(long nowMs) =>
        nowMs >= FinalFromMs ? LivePhase.Final : nowMs >= RunningFromMs ? LivePhase.Running : LivePhase.Queued;

    public int CodeAt(long nowMs) => PhaseAt(nowMs) switch
    {
        LivePhase.Queued => QueuedCode,
        LivePhase.Running => Middle is null ? RunningCode : MiddleCode,
        _ => FinalCode,
    };

    /// <summary>How far through its running phase the job is, 0..1 (0 while queued, 1 once final).</summary>
    public double ProgressAt(long nowMs) => PhaseAt(nowMs) switch
    {
        LivePhase.Queued => 0,
        LivePhase.Running => Math.Clamp((double)(nowMs - RunningFromMs) / Math.Max(1, FinalFromMs - RunningFromMs), 0, 0.99),
        _ => 1,
    };
}

/// <summary>A status set on one job by a cancel request (it stops a live job moving), and when.</summary>
internal readonly record struct StatusOverride(int Code, long AtMs);

/// <summary>
/// What a provider can say about when a job of the dataset started and finished, when that is known
/// exactly: for live jobs (from their clock) and for cancelled live jobs (the cancel time).
/// </summary>
internal readonly record struct LiveTimeline(long CreatedMs, long? StartedMs, long? FinishedMs, double Progress);

/// <summary>A provider's raw statuses for a live job's phases; Canceled is null when it has none (Convertly).</summary>
internal sealed record LiveStatusNames(string Queued, string Running, string Succeeded, string Failed, string? Canceled);

/// <summary>One element of POST /_sim/{provider}/live's "jobs" array, validated.</summary>
internal sealed record LiveSpec(string? Id, int RunMs, string Final, string? Middle)
{
    public const int DefaultRunMs = 1000;
    public const int MaxRunMs = 86_400_000;
    public const int MaxJobs = 10_000;

    /// <summary>
    /// Parses <c>{"jobs":[{"id","runMs","final","middle"}, ...]}</c> (names case-insensitive, unknown
    /// names rejected, so a typo fails loudly). Final names map to the provider's raw statuses.
    /// </summary>
    public static bool TryParseAll(JsonElement body, LiveStatusNames names, out List<LiveSpec> specs, out string? error)
    {
        specs = [];
        error = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = "body must be a JSON object: {\"jobs\":[{\"id\":\"...\",\"runMs\":500,\"final\":\"succeeded\"}]}";
            return false;
        }
        JsonElement? jobs = null;
        foreach (JsonProperty p in body.EnumerateObject())
        {
            if (!p.Name.Equals("jobs", StringComparison.OrdinalIgnoreCase))
            {
                error = $"unknown property '{p.Name}'";
                return false;
            }
            jobs = p.Value;
        }
        if (jobs is not { ValueKind: JsonValueKind.Array } array)
        {
            error = "jobs must be an array";
            return false;
        }
        if (array.GetArrayLength() > MaxJobs)
        {
            error = $"at most {MaxJobs} jobs per request";
            return false;
        }
        int index = 0;
        foreach (JsonElement job in array.EnumerateArray())
        {
            if (!TryParse(job, names, out LiveSpec? spec, out string? message))
            {
                error = $"jobs[{index}]: {message}";
                return false;
            }
            specs.Add(spec!);
            index++;
        }
        return true;
    }

    private static bool TryParse(JsonElement job, LiveStatusNames names, out LiveSpec? spec, out string? error)
    {
        spec = null;
        error = null;
        if (job.ValueKind != JsonValueKind.Object)
        {
            error = "must be an object";
            return false;
        }
        string? id = null, middle = null;
        string final = names.Succeeded;
        int runMs = DefaultRunMs;
        foreach (JsonProperty p in job.EnumerateObject())
        {
            JsonElement v = p.Value;
            switch (p.Name.ToLowerInvariant())
            {
                case "id" when v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0:
                    id = v.GetString();
                    break;
                case "id":
                    error = "id must be a non-empty string";
                    return false;
                case "runms" when v.TryGetInt32(out int ms) && ms is >= 0 and <= MaxRunMs:
                    runMs = ms;
                    break;
                case "runms":
                    error = $"runMs must be an integer between 0 and {MaxRunMs}";
                    return false;
                case "final":
                    string? name = v.ValueKind == JsonValueKind.String ? v.GetString()!.ToLowerInvariant() : null;
                    string? raw = name switch
                    {
                        "succeeded" => names.Succeeded,
                        "failed" => names.Failed,
                        "canceled" or "cancelled" => names.Canceled,
                        _ => null,
                    };
                    if (raw is null)
                    {
                        error = names.Canceled is null
                            ? "final must be \"succeeded\" or \"failed\" (this provider has no cancelled status)"
                            : "final must be \"succeeded\", \"failed\" or \"canceled\"";
                        return false;
                    }
                    final = raw;
                    break;
                case "middle" when v.ValueKind == JsonValueKind.Null:
                    middle = null;
                    break;
                case "middle" when v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0:
                    middle = v.GetString();
                    break;
                case "middle":
                    error = "middle must be a non-empty string (a raw status) or null";
                    return false;
                default:
                    error = $"unknown property '{p.Name}'";
                    return false;
            }
        }
        spec = new LiveSpec(id, runMs, final, middle);
        return true;
    }
}
