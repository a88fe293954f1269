using System.Text;
using System.Text.Json;
using CsCheck;
using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>
/// A key inside a job's own data (a typed field, the error, an extra field, a nested value, a property
/// name, an unreadable value) is masked before the job becomes an object, on list pages and single-job
/// reads alike, whichever known key it is and however the JSON spells it.
/// </summary>
public class JobDataKeyTests
{
    // The key of the request (TestListing.Key) and another key the module knows (another account's).
    private const string Key = TestListing.Key;
    private const string Other = "other-account-key-5e1d90";

    public static TheoryData<string> Providers => new() { "PyannoteAI", "Ittybit", "Convertly", "Unstructured", "Krea" };

    [Theory]
    [MemberData(nameof(Providers))]
    public void A_key_in_any_field_of_a_listed_job_is_redacted(string providerName)
    {
        var provider = ProviderRegistry.Find(providerName)!;
        var page = PageOf(providerName, ListItemWithKeys(providerName), CleanItem(providerName));
        var run = TestListing.Run(provider, new StubHandler(Respond.Json(page)), log: LogKnowing(Other)).Succeeded();

        Assert.Equal(2, run.Jobs.Count);
        AssertRedacted(run.Jobs[0], ExpectedRedacted[providerName]);
        AssertNoKeyIn(run.Messages.Select(message => message.Text));
        Assert.Contains(run.Messages, message => message.Kind == LogMessageKind.Warning && message.Text.Contains(Redactor.Mask, StringComparison.Ordinal));

        // A job that holds no key is read as it was sent.
        Assert.DoesNotContain(Redactor.Mask, Shown(run.Jobs[1]), StringComparison.Ordinal);
        Assert.Null(run.Jobs[1].UnreadableFields);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_key_in_any_field_of_a_job_read_by_id_is_redacted(string providerName)
    {
        var provider = ProviderRegistry.Find(providerName)!;
        var stub = new StubHandler(Respond.Json(SingleJobWithKeys(providerName)));
        var log = LogKnowing(Other);
        var id = providerName.Substring(0, 1).ToLowerInvariant() + "-1";

        var job = await new JobLister(new HttpClient(stub)).GetJobAsync(TestListing.Endpoint(provider), id, TestListing.Fast.Call(log, default));

        // Convertly's single job spells its fields in camelCase, so the unreadable one is kept under that name.
        AssertRedacted(job, ExpectedRedacted[providerName].Select(path => path.Replace("total_files", "totalFiles", StringComparison.Ordinal)).ToArray());
        var messages = Drain(log);
        AssertNoKeyIn(messages);
        Assert.Contains(messages, text => text.Contains(Redactor.Mask, StringComparison.Ordinal));
    }

    [Fact]
    public void A_key_spelled_with_JSON_escapes_is_redacted_too()
    {
        // Every character of the key as \uXXXX, and a key holding '/' sent as \/: neither is the key's bytes.
        const string SlashKey = "team/key/4321";
        var escaped = string.Concat(Key.Select(c => "\\u" + ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)));
        var item = $$"""{"job_id":"k","status":"completed","created_at":"2026-01-01T00:00:00Z","type":"{{escaped}}","note":"team\/key\/4321","{{escaped}}":1}""";

        var run = TestListing.Run(new KreaProvider(), new StubHandler(Respond.Json(KreaPageOf(null, "next_cursor", item))), log: LogKnowing(SlashKey)).Succeeded();

        var job = Assert.Single(run.Jobs);
        Assert.Equal(Redactor.Mask, job.Kind);
        Assert.Equal(Redactor.Mask, job.ExtraFields["note"]);
        Assert.True(job.ExtraFields.ContainsKey(Redactor.Mask));
        Assert.DoesNotContain(SlashKey, Shown(job), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, Shown(job), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bearer_token_in_job_data_is_masked_as_in_error_bodies()
    {
        var item = """{"job_id":"k","status":"completed","created_at":"2026-01-01T00:00:00Z","webhook":{"headers":{"Authorization":"Bearer tok-9f8e7d6c"}}}""";

        var job = Assert.Single(TestListing.Run(new KreaProvider(), new StubHandler(Respond.Json(KreaPageOf(null, "next_cursor", item)))).Succeeded().Jobs);

        Assert.Equal("""{"headers":{"Authorization":"Bearer (redacted)"}}""", job.ExtraFields["webhook"]!.ToString());
    }

    [Fact]
    public void A_number_whose_text_is_a_key_is_masked_text()
    {
        const string DigitKey = "90817263";
        var item = """{"job_id":"k","status":"completed","created_at":"2026-01-01T00:00:00Z","account":90817263,"count":12}""";

        var job = Assert.Single(TestListing.Run(new KreaProvider(), new StubHandler(Respond.Json(KreaPageOf(null, "next_cursor", item))), log: LogKnowing(DigitKey)).Succeeded().Jobs);

        Assert.Equal(Redactor.Mask, job.ExtraFields["account"]);
        Assert.Equal(12L, job.ExtraFields["count"]);
    }

    [Theory]
    [InlineData("""{"a":"plain text, job 1, bob"}""", false)]
    [InlineData("""{"path":"C:\\temp\\x","quote":"say \"hi\"","line":"a\nb"}""", false)]
    [InlineData("""{"a":"sk-test-7f3a9c-SECRET-do-not-print"}""", true)]
    [InlineData("""{"a":"\u0041"}""", true)]
    [InlineData("""{"a":"BeArEr x"}""", true)]
    [InlineData("""{"a":"BEARER\tx"}""", true)]
    [InlineData("{\"a\":\"Bearer\u00a0x\"}", true)]
    [InlineData("{\"a\":\"bearer\u3000x\"}", true)]
    [InlineData("""{"id":"bbe3-bearer","b":"Bearer"}""", false)]
    [InlineData("""{"a":"a\/b"}""", true)]
    [InlineData("""{"a":"other-account-key-5e1d90"}""", true)]
    public void The_byte_screen_says_yes_to_a_key_bearer_or_hiding_escape_and_no_to_ordinary_text(string json, bool mayMatch)
    {
        // '/' is in one of the keys, so \/ could hide it; \\, \" and \n stand for characters no key holds.
        var redactor = new Redactor(new[] { Key, Other, "a/b-key" });

        Assert.Equal(mayMatch, redactor.MayMatch(Encoding.UTF8.GetBytes(json)));
    }

    // Pieces of text a server could send: keys whole and in part, escapes that hide them or not, "bearer" in any case, Unicode.
    private static readonly Gen<string> Piece = Gen.OneOf(
        Gen.Const(Key), Gen.Const(Other), Gen.Const("sk-test-7f3a9c"), Gen.Const("SECRET-do-not-print"), Gen.Const("\\u0073k-test-7f3a9c-SECRET-do-not-print"),
        Gen.Const("other\\u002daccount-key-5e1d90"), Gen.Const("\\/"), Gen.Const("\\\\"), Gen.Const("\\\""), Gen.Const("\\n"), Gen.Const("Bearer "), Gen.Const("bEaReR\\t"), Gen.Const("Bearer\u00a0"), Gen.Const("BEARER\u2003"),
        Gen.Const("b"), Gen.Const("earer"), Gen.Const(" "), Gen.Const("x"), Gen.Const("é"), Gen.Const("😀"), Gen.Const("job-1"));

    private static readonly Gen<string> Text = Piece.Array[0, 6].Select(pieces => "\"" + string.Concat(pieces) + "\"");

    private static readonly Gen<string> Value = Gen.Recursive<string>((depth, value) => depth >= 3
        ? Text
        : Gen.Frequency(
            (4, Text),
            (1, Gen.OneOf("1", "null", "true", "90817263")),
            (1, value.Array[0, 3].Select(items => "[" + string.Join(",", items) + "]")),
            (1, Gen.Select(Text, value).Array[0, 3].Select(pairs => "{" + string.Join(",", pairs.Select(pair => pair.Item1 + ":" + pair.Item2)) + "}"))));

    [Fact]
    public void Whatever_a_job_holds_no_text_of_it_holds_a_key()
    {
        var redactor = new Redactor(new[] { Key, Other, "90817263" });
        Gen.Select(Value, Value).Sample(
            (extra, nested) =>
            {
                var json = $$"""{"job_id":"k","status":"completed","created_at":"2026-01-01T00:00:00Z","type":{{extra}},"more":{{nested}},"error":{{extra}}}""";
                using var document = ServerJson.ParseJob(Encoding.UTF8.GetBytes(json), redactor, out _);
                var job = new KreaProvider().ReadJob(document.RootElement);

                // Every string, name and number the job holds, and the error kept as raw JSON text too.
                foreach (var text in Texts(JsonSerializer.SerializeToElement(job, job.GetType())))
                {
                    Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
                    Assert.DoesNotContain(Other, text, StringComparison.Ordinal);
                    Assert.DoesNotContain("90817263", text, StringComparison.Ordinal);
                }
            },
            iter: 500,
            threads: 1);
    }

    [Fact]
    public void When_the_screen_says_no_the_redactor_would_change_nothing()
    {
        var redactor = new Redactor(new[] { Key, Other, "90817263" });
        var screenedOut = 0;
        Value.Sample(
            json =>
            {
                var bytes = Encoding.UTF8.GetBytes(json);
                if (redactor.MayMatch(bytes))
                {
                    return;
                }

                screenedOut++;

                // Skipping the walk is safe only if every decoded string, name and number is already what Redact makes of it.
                using var document = JsonDocument.Parse(bytes);
                Assert.All(Texts(document.RootElement), text => Assert.Equal(text, redactor.Redact(text)));
            },
            iter: 2000,
            threads: 1);

        // The generator makes both kinds: values the screen lets through unwalked must have been checked.
        Assert.InRange(screenedOut, 100, 1900);
    }

    /// <summary>Where each provider's job with keys shows "(redacted)": property paths of its JSON form.</summary>
    private static readonly Dictionary<string, string[]> ExpectedRedacted = new()
    {
        ["PyannoteAI"] = new[] { "ProviderStatus", "Error", "Warning", "ExtraFields.model", "ExtraFields.hidden", "ExtraFields.(redacted).(redacted)", "UnreadableFields.createdAt" },
        ["Ittybit"] = new[] { "Kind", "Error", "Input", "Output", "Options.token", "Metadata.(redacted)", "ExtraFields.hidden", "UnreadableFields.created_at" },
        ["Convertly"] = new[] { "Kind", "Error", "ExtraFields.hidden", "ExtraFields.(redacted)", "UnreadableFields.total_files" },
        ["Unstructured"] = new[] { "WorkflowId", "WorkflowName", "ExtraFields.hidden", "ExtraFields.(redacted)", "UnreadableFields.runtime" },
        ["Krea"] = new[] { "Kind", "Error", "ErrorCode", "StyleId", "ExtraFields.hidden", "ExtraFields.(redacted)", "UnreadableFields.completed_at" },
    };

    /// <summary>
    /// One job with a key in every kind of field the provider has: typed text, the error, nested objects
    /// and lists, an extra field, a property name, an unreadable value, and one spelled with \u escapes.
    /// </summary>
    private static string ListItemWithKeys(string provider)
    {
        var escaped = string.Concat(Key.Select(c => "\\u" + ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)));
        return provider switch
        {
            "PyannoteAI" => $$$"""{"id":"p-1","status":"{{{Key}}}","createdAt":"{{{Other}}}","output":{"error":"bad {{{Key}}}","warning":"{{{Other}}}","diarization":[{"speaker":"{{{Key}}}"}]},"model":"{{{Other}}}","hidden":"{{{escaped}}}","{{{Key}}}":{"{{{Other}}}":[1,"{{{Key}}}"]}}""",
            "Ittybit" => $$$"""{"id":"i-1","object":"job","kind":"video {{{Key}}}","status":"failed","created_at":"{{{Other}}}","input":"https://in/{{{Key}}}","output":"https://out/{{{Other}}}","error":{"message":"failed with {{{Key}}}"},"options":{"token":"{{{Key}}}"},"metadata":{"{{{Other}}}":"owner {{{Key}}}"},"tasks":[{"id":"t-{{{Key}}}"}],"hidden":"{{{escaped}}}"}""",
            "Convertly" => $$$"""{"id":"c-1","job_type":"convert {{{Key}}}","status":"failed","created_at":"2026-01-01T00:00:00Z","error_message":"Invalid key {{{Key}}}","results":[{"url":"https://r/{{{Other}}}"}],"total_files":"{{{Other}}}","hidden":"{{{escaped}}}","{{{Key}}}":{"x":1}}""",
            "Unstructured" => $$$"""{"id":"u-1","workflow_id":"wf-{{{Key}}}","workflow_name":"name {{{Other}}}","status":"FAILED","created_at":"2026-01-01T00:00:00Z","runtime":"{{{Key}}}","input_file_ids":["{{{Key}}}"],"output_node_files":[{"file_id":"{{{Other}}}"}],"job_type":"ephemeral","hidden":"{{{escaped}}}","{{{Key}}}":"v"}""",
            _ => $$$"""{"job_id":"k-1","status":"failed","created_at":"2026-01-01T00:00:00Z","completed_at":"not a time {{{Other}}}","type":"flux-{{{Key}}}","error":{"message":"Invalid API key: {{{Key}}}","code":"E-{{{Other}}}"},"result":{"urls":["https://x/{{{Key}}}.png"],"style_id":"style-{{{Other}}}"},"hidden":"{{{escaped}}}","{{{Key}}}":{"nested":[{"deep":"{{{Other}}}"}]}}""",
        };
    }

    /// <summary>The same job as the single-job endpoint spells it (pyannoteAI's jobId, Convertly's camelCase).</summary>
    private static string SingleJobWithKeys(string provider) => provider switch
    {
        "PyannoteAI" => ListItemWithKeys(provider).Replace("\"id\":", "\"jobId\":", StringComparison.Ordinal),
        "Convertly" => ListItemWithKeys(provider)
            .Replace("\"id\":", "\"jobId\":", StringComparison.Ordinal)
            .Replace("\"job_type\":", "\"jobType\":", StringComparison.Ordinal)
            .Replace("\"error_message\":", "\"errorMessage\":", StringComparison.Ordinal)
            .Replace("\"total_files\":", "\"totalFiles\":", StringComparison.Ordinal)
            .Replace("\"created_at\":", "\"createdAt\":", StringComparison.Ordinal),
        _ => ListItemWithKeys(provider),
    };

    private static string CleanItem(string provider) => provider switch
    {
        "PyannoteAI" => PyannoteJob("p-2"),
        "Ittybit" => IttybitJob("i-2"),
        "Convertly" => ConvertlyJob("c-2"),
        "Unstructured" => UnstructuredJob("u-2"),
        _ => KreaJob("k-2"),
    };

    private static string PageOf(string provider, params string[] jobs) => provider switch
    {
        "PyannoteAI" => PyannoteV2PageOf(null, jobs),
        "Ittybit" => "[" + string.Join(",", jobs) + "]",
        "Convertly" => ConvertlyPageOf(false, jobs.Length, jobs),
        "Unstructured" => UnstructuredPageOf(jobs),
        _ => KreaPageOf(null, "next_cursor", jobs),
    };

    private static CallLog LogKnowing(params string[] keys) => new(new Redactor(keys));

    private static List<string> Drain(CallLog log)
    {
        var texts = new List<string>();
        while (log.TryTake(out var message))
        {
            texts.Add(message.Text);
        }

        return texts;
    }

    /// <summary>The job as serialisers see it: every public property, nested data included.</summary>
    private static string Shown(ProviderJob job) => JsonSerializer.Serialize(job, job.GetType(), new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static void AssertRedacted(ProviderJob job, string[] maskedAt)
    {
        var shown = Shown(job);
        Assert.DoesNotContain(Key, shown, StringComparison.Ordinal);
        Assert.DoesNotContain(Other, shown, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, job.ExtraFields.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Other, job.UnreadableFields?.ToString() ?? string.Empty, StringComparison.Ordinal);

        // Each place holds the masked text; a property named by a key keeps its value under the masked name.
        var root = JsonSerializer.SerializeToElement(job, job.GetType());
        foreach (var path in maskedAt)
        {
            var value = path.Split('.').Aggregate(root, (element, name) => element.GetProperty(name));
            if (!path.EndsWith(Redactor.Mask, StringComparison.Ordinal))
            {
                Assert.Contains(Redactor.Mask, value.GetString(), StringComparison.Ordinal);
            }
        }

        Assert.All(Texts(root), text => Assert.DoesNotContain(Key, text, StringComparison.Ordinal));
    }

    private static void AssertNoKeyIn(IEnumerable<string> texts)
    {
        foreach (var text in texts)
        {
            Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Other, text, StringComparison.Ordinal);
        }
    }

    /// <summary>Every string and property name in a JSON value.</summary>
    private static IEnumerable<string> Texts(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    yield return property.Name;
                    foreach (var text in Texts(property.Value))
                    {
                        yield return text;
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var text in Texts(item))
                    {
                        yield return text;
                    }
                }

                break;
            case JsonValueKind.String:
                yield return element.GetString()!;
                break;
            case JsonValueKind.Number:
                yield return element.GetRawText();
                break;
        }
    }
}
