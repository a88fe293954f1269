using System.Text.Json;
using CsCheck;

namespace JobsModule.Tests;

/// <summary>
/// Property-based: pages whose every field is drawn from boundary and wrong-typed JSON values. Whatever a
/// provider sends, the only outcomes are a job, a warning about an unreadable field, or ProviderResponseInvalid;
/// never another exception, never a job without an id.
/// </summary>
public class GeneratedBodyTests
{
    private const long Iterations = 300;

    // Values a server can really send, and values no server should: each is JSON text.
    private static readonly Gen<string> Scalar = Gen.Frequency(
        (6, Gen.OneOf(
            "null", "true", "false", "0", "-1", "1.5", "45.5", "2147483647", "2147483648", "-2147483649",
            "9223372036854775807", "9223372036854775808", "99999999999999999999", "1e308", "-1e308", "4.9e-324",
            "253402300799999", "253402300800000", "-62135596800001", "99999999999999999",
            "\"\"", "\" \"", "\"not a date\"", "\"yesterday-ish\"", "\"2026-01-01T00:00:00Z\"", "\"2026-01-01T00:00:00.123456789+14:00\"",
            "\"9999-12-31T23:59:59.9999999Z\"", "\"0001-01-01T00:00:00Z\"", "\"P99999999D\"", "\"PT2M30S\"", "\"-P1D\"", "\"P\"",
            "\"1711900000000\"", "\"1e400\"", "\"NaN\"", "\"Infinity\"", "\"\\u0000\\u001f\"", "\"é – 日本語 😀\"",
            "\"pending\"", "\"completed\"", "\"COMPLETED\"", "\"succeeded\"", "\"cancelled\"", "\"<html>\"")),
        (2, Gen.Long.Select(value => value.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.Double.Where(double.IsFinite).Select(value => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture))),
        (2, Gen.String.Select(text => JsonSerializer.Serialize(text))));

    private static readonly Gen<string> Value = Gen.Recursive<string>((depth, value) => depth >= 2
        ? Scalar
        : Gen.Frequency(
            (8, Scalar),
            (1, value.Array[0, 3].Select(items => "[" + string.Join(",", items) + "]")),
            (1, Gen.Select(Gen.OneOf("message", "code", "urls", "error", "x"), value).Array[0, 3]
                .Select(pairs => "{" + string.Join(",", pairs.DistinctBy(pair => pair.Item1).Select(pair => JsonSerializer.Serialize(pair.Item1) + ":" + pair.Item2)) + "}"))));

    public static TheoryData<string> Providers => new() { "PyannoteAI", "Ittybit", "Convertly", "Unstructured", "Krea" };

    [Theory]
    [MemberData(nameof(Providers))]
    public void Any_page_gives_jobs_warnings_or_ProviderResponseInvalid_only(string providerName)
    {
        var provider = ProviderRegistry.Find(providerName)!;
        PageGen(providerName).Sample(
            page =>
            {
                // The generated page first, then an empty one wherever the page pointed next.
                var stub = new StubHandler((_, index) => Respond.Json(index == 0 ? page : EmptyPage(providerName)));
                var run = TestListing.Run(provider, stub, new JobQuery { PageSize = provider.Info.MaxPageSize is null ? null : 10 });

                if (run.Error is not null)
                {
                    var failure = Assert.IsType<ProviderRequestException>(run.Error);
                    Assert.True(failure.Kind is ProviderErrorKind.InvalidResponse or ProviderErrorKind.PagingLoop, failure.Kind + ": " + failure.Message);
                }

                foreach (var message in run.Messages.Where(message => message.Kind == LogMessageKind.Error))
                {
                    Assert.Equal(ProviderErrorKind.InvalidResponse, message.Error!.Kind);
                }

                foreach (var job in run.Jobs)
                {
                    Assert.False(string.IsNullOrEmpty(job.Id));
                    Assert.Equal(provider.Info.Name, job.Provider);
                    Assert.NotNull(job.ExtraFields);
                }

                Assert.DoesNotContain(run.Messages, message => message.Text.Contains("Exception", StringComparison.Ordinal));
            },
            iter: Iterations,
            threads: 1);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Any_single_job_is_a_job_or_a_shape_error(string providerName)
    {
        var provider = ProviderRegistry.Find(providerName)!;
        ItemGen(providerName).Sample(
            item =>
            {
                try
                {
                    var job = provider.ReadJob(TestListing.Parse(item));
                    Assert.False(string.IsNullOrEmpty(job.Id));
                }
                catch (ProviderResponseShapeException)
                {
                    // A job without a readable id: the only way a single job fails.
                }
            },
            iter: Iterations,
            threads: 1);
    }

    private static readonly Dictionary<string, string[]> Fields = new()
    {
        ["PyannoteAI"] = new[] { "id", "jobId", "status", "createdAt", "updatedAt", "output", "model" },
        ["Ittybit"] = new[] { "id", "object", "kind", "input", "output", "options", "metadata", "status", "error", "created_at", "started_at", "finished_at", "updated_at", "tasks" },
        ["Convertly"] = new[] { "id", "jobId", "job_type", "jobType", "status", "total_files", "totalFiles", "completed_files", "failed_files", "progress", "error_message", "results", "created_at", "createdAt", "completed_at" },
        ["Unstructured"] = new[] { "id", "workflow_id", "workflow_name", "status", "created_at", "runtime", "input_file_ids", "output_node_files", "job_type" },
        ["Krea"] = new[] { "job_id", "status", "type", "created_at", "completed_at", "result", "error" },
    };

    private static Gen<string> ItemGen(string provider)
    {
        var idField = provider == "Krea" ? "job_id" : "id";
        var goodId = Gen.Frequency((4, Gen.Const("\"job-" + provider + "\"")), (1, Value));
        var fieldGens = Fields[provider].Select(name => Gen.Frequency(
            (1, Gen.Const((string?)null)),
            (3, (name == idField ? goodId : Value).Select(value => (string?)(JsonSerializer.Serialize(name) + ":" + value)))));
        return Gen.Frequency(
            (20, fieldGens.Aggregate(Gen.Const(Array.Empty<string?>()), (all, next) => Gen.Select(all, next, (list, item) => list.Append(item).ToArray()))
                .Select(parts => "{" + string.Join(",", parts.Where(part => part is not null)) + "}")),
            (1, Value));
    }

    private static Gen<string> PageGen(string provider)
    {
        var items = ItemGen(provider).Array[0, 6].Select(list => "[" + string.Join(",", list) + "]");
        return provider switch
        {
            "PyannoteAI" => Gen.Select(items, Gen.Frequency((2, Gen.Const("null")), (2, Gen.Const("\"0b5e8a3c-1f0e-4c4e-9d55-0a1b2c3d4e01\"")), (1, Value)),
                (list, next) => $$"""{"items":{{list}},"nextCursor":{{next}}}"""),
            "Ittybit" => items,
            "Convertly" => Gen.Select(items, Gen.Frequency((3, Gen.OneOf("true", "false")), (1, Value)), Gen.Frequency((3, Gen.Const("5")), (1, Value)),
                (list, more, total) => $$$"""{"jobs":{{{list}}},"pagination":{"limit":10,"offset":0,"total":{{{total}}},"hasMore":{{{more}}}}}"""),
            "Unstructured" => items,
            _ => Gen.Select(items, Gen.Frequency((2, Gen.Const("null")), (2, Gen.Const("\"2026-01-01T00:00:00.000Z\"")), (1, Value)),
                (list, next) => $$"""{"items":{{list}},"next_cursor":{{next}}}"""),
        };
    }

    private static string EmptyPage(string provider) => provider switch
    {
        "PyannoteAI" => """{"items":[],"nextCursor":null}""",
        "Convertly" => """{"jobs":[],"pagination":{"limit":10,"offset":0,"total":0,"hasMore":false}}""",
        "Krea" => """{"items":[],"next_cursor":null}""",
        _ => "[]",
    };
}
