namespace JobsModule.Tests;

/// <summary>
/// The one rule for text shown on a console (DisplayText.Inert): what would act on a terminal is written
/// as an escape, everything else is left as it is, and the messages built from server text follow it
/// while the objects keep the text exactly.
/// </summary>
public class DisplayTextTests
{
    // What a hostile server could send: clear the screen, set the window title, ring the bell, rewind
    // the line, fake a new line, a C1 CSI and NEL, DEL, reverse the text that follows, and isolate it.
    private const string Hostile = "a\u001b[2J\u001b[H\u001b]0;owned\u0007\rb\nc\td\u009b31m\u0085\u007f\u202eevil\u2066x\u2069\u2028\u2029\u200e\u061c";

    [Theory]
    [InlineData("\u001b[2J", "\\u001b[2J")]
    [InlineData("\u001b]0;title\u0007", "\\u001b]0;title\\u0007")]
    [InlineData("line\r\nnext\ttab", "line\\r\\nnext\\ttab")]
    [InlineData("\b\f\0", "\\b\\f\\u0000")]
    [InlineData("\u007f\u0080\u0085\u009b\u009f", "\\u007f\\u0080\\u0085\\u009b\\u009f")]
    [InlineData("\u202a\u202b\u202c\u202d\u202e", "\\u202a\\u202b\\u202c\\u202d\\u202e")]
    [InlineData("\u2066\u2067\u2068\u2069", "\\u2066\\u2067\\u2068\\u2069")]
    [InlineData("\u200e\u200f\u061c", "\\u200e\\u200f\\u061c")]
    [InlineData("\u2028\u2029", "\\u2028\\u2029")]
    public void Characters_that_act_on_a_terminal_are_written_as_escapes(string text, string shown)
    {
        Assert.Equal(shown, DisplayText.Inert(text));
    }

    [Theory]
    [InlineData("plain ASCII, quotes \" ' and a backslash \\")]
    [InlineData("caf\u00e9 \u2013 \u65e5\u672c\u8a9e \u0645\u0631\u062d\u0628\u0627")]
    [InlineData("\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67 zero\u200bwidth\u200c")]
    [InlineData("\u00a0\u00a9\u00ff\u2027\u202f\u2065\u206a\ufeff")]
    public void Other_text_is_left_exactly_as_it_is(string text)
    {
        Assert.Same(text, DisplayText.Inert(text));
    }

    [Fact]
    public void No_character_survives_that_acts_on_a_terminal_and_escaping_twice_changes_nothing()
    {
        var every = new string(Enumerable.Range(0, 0x10000).Select(code => (char)code).Where(c => !char.IsSurrogate(c)).ToArray());

        var shown = DisplayText.Inert(every)!;

        Assert.DoesNotContain(shown, DisplayText.IsActive);
        Assert.DoesNotContain(shown, char.IsControl);
        Assert.Equal(shown, DisplayText.Inert(shown));
        Assert.Null(DisplayText.Inert(null));
    }

    [Fact]
    public void Shortened_text_in_messages_follows_the_same_rule()
    {
        Assert.Equal(DisplayText.Inert(Hostile), Strings.Shorten(Hostile));
        Assert.Equal(DisplayText.Inert(Hostile.Substring(0, 10)) + "... (" + Hostile.Length + " characters)", Strings.Shorten(Hostile, 10));
    }

    [Fact]
    public void A_server_error_message_is_escaped_in_the_exception_message_and_kept_exact_in_ProviderMessage()
    {
        var body = System.Text.Json.JsonSerializer.Serialize(new { error = Hostile, code = "E\u001b[31m" });
        var run = TestListing.Run(new ConvertlyProvider(), new StubHandler((_, _) => Respond.Json(body, System.Net.HttpStatusCode.BadRequest)));

        var failure = run.Failure();
        Assert.Equal(Hostile, failure.ProviderMessage);
        Assert.Equal("E\u001b[31m", failure.ProviderErrorCode);
        Assert.DoesNotContain(failure.Message, DisplayText.IsActive);
        Assert.Contains(DisplayText.Inert(Hostile)!, failure.Message, StringComparison.Ordinal);
        Assert.Contains("(code E\\u001b[31m)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_WhatIf_text_and_warnings_about_a_job_escape_what_the_server_sent_for_it()
    {
        var job = new KreaJob("Krea", "id\u001b[2J", "expired\u0007\u202e", JobStatus.Unknown);

        foreach (var sentence in new[] { Strings.JobTarget(job), Strings.UnknownStatusWhileWaiting(job), Strings.StopStatusUnknown(job), Strings.JobAlreadyFinished(job, stopDeletes: true) })
        {
            Assert.DoesNotContain(sentence, DisplayText.IsActive);
            Assert.Contains("\\u001b[2J", sentence, StringComparison.Ordinal);
        }

        Assert.Contains("expired\\u0007\\u202e", Strings.JobTarget(job), StringComparison.Ordinal);
        Assert.Equal("id\u001b[2J", job.Id);
    }

    [Fact]
    public void A_job_that_cannot_be_read_names_the_reason_escaped()
    {
        Assert.DoesNotContain(Strings.UnreadableJob("Krea", 0, 1, "no job_id\r\nFAKE: line"), DisplayText.IsActive);
        Assert.DoesNotContain(Strings.NetworkFailure("Krea", new Uri("https://api.krea.ai/jobs"), "reset\u001b[2J"), DisplayText.IsActive);
        Assert.DoesNotContain(Strings.UnknownStatus("Done\u001b[2J", Enum.GetNames(typeof(JobStatus))), DisplayText.IsActive);
    }

    [Fact]
    public void Debug_text_escapes_what_a_server_put_in_its_headers_and_keeps_its_own_line_breaks()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.krea.ai/jobs?limit=2");
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("{}") };
        response.Headers.TryAddWithoutValidation("X-Evil", "a\u001b]0;owned\u0007\u009b2J\u202eb");

        var text = ExchangeText.Of("Krea", request, response, Redactor.None, TestListing.Key);

        Assert.Contains("\n  < X-Evil: a\\u001b]0;owned\\u0007\\u009b2J\\u202eb", text, StringComparison.Ordinal);
        Assert.DoesNotContain(text.Replace("\n", string.Empty, StringComparison.Ordinal), DisplayText.IsActive);
    }
}
