using JobsModule.Accounts;
using JobsModule.Engine;
using JobsModule.Tests.Support;
using JobsModule.Transport;
using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>
/// The watch through the engine's door, over a stubbed Krea: a baseline, then the new job and the
/// status change once each; -Count stops the writing where the state stops; a held state file ends the
/// call before anything is sent; no key reaches the state file or the events.
/// </summary>
public class JobWatcherTests
{
    private const string KreaKey = "krea-key-0123456789-SECRET";

    private static readonly Dictionary<string, string> Environment = new()
    {
        ["KREA_API_KEY"] = KreaKey,
        ["KREA_BASE_URL"] = "https://krea.example.com",
    };

    private static JobsEngine Engine(StubHandler handler, RecordingEvents events) =>
        new(
            Array.Empty<ProviderAccount>(),
            name => Environment.TryGetValue(name, out var value) ? value : null,
            (name, pattern) => string.Equals(name, pattern, StringComparison.OrdinalIgnoreCase),
            Array.Empty<System.Security.SecureString?>(),
            RequestPolicy.Default with { MaximumRetryCount = 0 },
            events,
            CancellationToken.None,
            new HttpClient(handler));

    private static Problem? Once(StubHandler handler, RecordingEvents events, string statePath, int? count = null, bool includeExisting = false, bool detailed = false, string provider = "Krea") =>
        Engine(handler, events).Watch(new AccountRequest { Providers = new[] { provider } }, statePath, once: true, includeExisting, null, null, count, 5, detailed);

    [Fact]
    public void Runs_from_a_state_file_write_each_change_once_and_keep_no_key()
    {
        var folder = Directory.CreateTempSubdirectory("watch-engine-");
        try
        {
            var state = Path.Combine(folder.FullName, "state.json");
            var page = KreaPageOf(null, "next_cursor", KreaJob("b", "processing", "2026-03-02T00:00:00Z"), KreaJob("a", "completed", "2026-03-01T00:00:00Z"));
            var first = new RecordingEvents();
            Assert.Null(Once(new StubHandler(Respond.Json(page)), first, state));
            Assert.Empty(first.Changes);
            Assert.Contains(first.Verboses, line => line.Contains("baseline (1 unfinished jobs to follow)", StringComparison.Ordinal));

            // A new job, and b (the newest known, so listed again) has finished.
            page = KreaPageOf(null, "next_cursor", KreaJob("c", "queued", "2026-03-03T00:00:00Z"), KreaJob("b", "completed", "2026-03-02T00:00:00Z"), KreaJob("a", "completed", "2026-03-01T00:00:00Z"));
            var second = new RecordingEvents();
            var handler = new StubHandler(Respond.Json(page));
            Assert.Null(Once(handler, second, state));

            Assert.Equal(new[] { "New c  Queued", "StatusChanged b Running Succeeded" }, second.Changes.Select(change => $"{change.Change} {change.Job.Id} {change.PreviousStatus} {change.Job.Status}"));
            Assert.Single(handler.Requests);
            Assert.Empty(second.Warnings);

            var third = new RecordingEvents();
            Assert.Null(Once(new StubHandler(Respond.Json(page)), third, state));
            Assert.Empty(third.Changes);

            var text = File.ReadAllText(state);
            Assert.DoesNotContain(KreaKey, text, StringComparison.Ordinal);
            Assert.Contains("\"c\"", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\"b\"", text, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Count_stops_the_writing_and_the_next_run_writes_the_rest()
    {
        var folder = Directory.CreateTempSubdirectory("watch-engine-");
        try
        {
            var state = Path.Combine(folder.FullName, "state.json");
            var page = KreaPageOf(null, "next_cursor", KreaJob("n3", "queued", "2026-03-03T00:00:00Z"), KreaJob("n2", "queued", "2026-03-02T00:00:00Z"), KreaJob("n1", "failed", "2026-03-01T00:00:00Z"));
            var first = new RecordingEvents();
            Assert.Null(Once(new StubHandler(Respond.Json(page)), first, state, count: 2, includeExisting: true));
            Assert.Equal(new[] { "n1", "n2" }, first.Changes.Select(change => change.Job.Id));

            var second = new RecordingEvents();
            Assert.Null(Once(new StubHandler(Respond.Json(page)), second, state, includeExisting: true));
            Assert.Equal("n3", Assert.Single(second.Changes).Job.Id);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_state_file_another_run_holds_ends_the_call_before_anything_is_sent()
    {
        var folder = Directory.CreateTempSubdirectory("watch-engine-");
        try
        {
            var state = Path.Combine(folder.FullName, "state.json");
            using var held = new FileStream(state + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            var handler = new StubHandler(new Func<RecordedRequest, int, HttpResponseMessage>((request, _) => throw new UnexpectedRequestException(request.Uri.AbsoluteUri)));
            var events = new RecordingEvents();

            var problem = Once(handler, events, state);

            Assert.Equal(ProblemKind.WatchStateInUse, problem!.Kind);
            Assert.True(problem.StopsCall);
            Assert.Equal(state, problem.Target);
            Assert.Empty(handler.Requests);
            Assert.False(File.Exists(state));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
