using System.Globalization;
using System.Text.Json;
using JobsModule.Engine;
using JobsModule.Providers;

namespace JobsModule.Watching;

/// <summary>
/// The state file's JSON: a marker and a format version, then per account the newest creation time
/// written, the ids created at that time, the last status and outcome of each job still followed, and the
/// finished jobs without a creation time. Version 1 had no outcome: a job read from it is taken to have
/// shown the outcome its status gives (<see cref="OutcomeRule"/>), which is what the module wrote then.
/// Nothing secret is in it: accounts are named as <see cref="WatchState.KeyOf"/> says. A file that is not
/// this, or is of a later version, is refused as a whole.
/// </summary>
internal static class WatchStateFormat
{
    /// <summary>The version this module writes; it reads every version up to it.</summary>
    public const int Version = 2;

    private const string Marker = "JobsModule.WatchState";
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static void Write(WatchState state, Stream stream)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("format", Marker);
        writer.WriteNumber("version", Version);
        writer.WriteStartObject("accounts");
        foreach (var pair in state.Accounts.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var account = pair.Value;
            writer.WriteStartObject(pair.Key);
            if (account.NewestUtc is { } newest)
            {
                writer.WriteString("newest", newest.ToString(TimeFormat, CultureInfo.InvariantCulture));
            }
            else
            {
                writer.WriteNull("newest");
            }

            WriteIds(writer, "newestIds", account.NewestIds);
            writer.WriteStartObject("unfinished");
            foreach (var job in account.Unfinished.OrderBy(job => job.Key, StringComparer.Ordinal))
            {
                writer.WriteStartObject(job.Key);
                writer.WriteString("status", job.Value.Status.ToString());
                writer.WriteString("outcome", job.Value.Outcome.ToString());
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            WriteIds(writer, "undated", account.Undated);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The state in <paramref name="utf8"/>; null with the reason when it is not a state file this module can read.</summary>
    public static WatchState? Read(ReadOnlyMemory<byte> utf8, out string? problem)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 16 });
            return Read(document.RootElement, out problem);
        }
        catch (JsonException)
        {
            problem = "it is not valid JSON";
            return null;
        }
    }

    private static WatchState? Read(JsonElement root, out string? problem)
    {
        problem = null;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != Marker)
        {
            problem = "it is not a Watch-ProviderJob state file";
            return null;
        }

        if (!root.TryGetProperty("version", out var versionValue) || !versionValue.TryGetInt32(out var version) || version < 1)
        {
            problem = "its format version is missing or not a positive whole number";
            return null;
        }

        if (version > Version)
        {
            problem = $"it was written in format version {version} by a later JobsModule; this one reads up to version {Version}";
            return null;
        }

        if (!root.TryGetProperty("accounts", out var accounts) || accounts.ValueKind != JsonValueKind.Object)
        {
            problem = "it has no accounts object";
            return null;
        }

        var state = new WatchState();
        foreach (var account in accounts.EnumerateObject())
        {
            if (ReadAccount(account.Value, version) is not { } watch)
            {
                problem = $"the entry of account '{Strings.Shorten(account.Name, 200)}' is damaged";
                return null;
            }

            state.Accounts[account.Name] = watch;
        }

        return state;
    }

    private static AccountWatch? ReadAccount(JsonElement account, int version)
    {
        if (account.ValueKind != JsonValueKind.Object
            || !account.TryGetProperty("newest", out var newestValue)
            || ReadIds(account, "newestIds") is not { } newestIds
            || !account.TryGetProperty("unfinished", out var unfinishedValue) || unfinishedValue.ValueKind != JsonValueKind.Object
            || ReadIds(account, "undated") is not { } undated)
        {
            return null;
        }

        DateTime? newest = null;
        if (newestValue.ValueKind != JsonValueKind.Null)
        {
            if (newestValue.ValueKind != JsonValueKind.String
                || !DateTime.TryParseExact(newestValue.GetString(), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return null;
            }

            newest = DateTime.SpecifyKind(parsed, DateTimeKind.Utc);
        }

        var unfinished = new List<KeyValuePair<string, WatchedJob>>();
        foreach (var job in unfinishedValue.EnumerateObject())
        {
            if (job.Value.ValueKind != JsonValueKind.Object
                || !job.Value.TryGetProperty("status", out var statusValue)
                || statusValue.ValueKind != JsonValueKind.String
                || !Enum.TryParse<JobStatus>(statusValue.GetString(), ignoreCase: false, out var status)
                || !Enum.IsDefined(typeof(JobStatus), status)
                || ReadOutcome(job.Value, status, version) is not { } outcome
                || (status.IsFinished() && outcome != JobOutcome.Unverified))
            {
                return null;
            }

            unfinished.Add(new(job.Name, new WatchedJob(status, outcome)));
        }

        return AccountWatch.Restored(newest, newestIds, unfinished, undated);
    }

    /// <summary>
    /// A job's outcome: required from version 2 on, derived from the status in version 1. A finished job is
    /// followed only while its outcome is Unverified (-Detailed could not read its details yet), which
    /// version 1 never wrote.
    /// </summary>
    private static JobOutcome? ReadOutcome(JsonElement job, JobStatus status, int version)
    {
        if (version == 1)
        {
            return status.IsFinished() ? null : OutcomeRule.Of(status);
        }

        if (!job.TryGetProperty("outcome", out var value)
            || value.ValueKind != JsonValueKind.String
            || !Enum.TryParse<JobOutcome>(value.GetString(), ignoreCase: false, out var outcome)
            || !Enum.IsDefined(typeof(JobOutcome), outcome))
        {
            return null;
        }

        return outcome;
    }

    private static void WriteIds(Utf8JsonWriter writer, string name, IEnumerable<string> ids)
    {
        writer.WriteStartArray(name);
        foreach (var id in ids.OrderBy(id => id, StringComparer.Ordinal))
        {
            writer.WriteStringValue(id);
        }

        writer.WriteEndArray();
    }

    private static List<string>? ReadIds(JsonElement account, string name)
    {
        if (!account.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var ids = new List<string>();
        foreach (var id in array.EnumerateArray())
        {
            if (id.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            ids.Add(id.GetString()!);
        }

        return ids;
    }
}
