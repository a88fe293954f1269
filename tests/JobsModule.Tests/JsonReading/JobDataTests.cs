namespace JobsModule.Tests;

public class JobDataTests
{
    [Fact]
    public void Object_ToString_is_compact_JSON_with_unicode_kept_readable()
    {
        var data = Assert.IsType<JobDataObject>(Copy(TestListing.Parse("""
            { "title" : "Café für Ünïcode — 日本語", "n": 1, "ok": true, "none": null, "ratio": 0.25 }
            """)));

        Assert.Equal("""{"title":"Café für Ünïcode — 日本語","n":1,"ok":true,"none":null,"ratio":0.25}""", data.ToString());
    }

    [Fact]
    public void Unicode_escapes_in_the_source_are_decoded()
    {
        var data = Assert.IsType<JobDataObject>(Copy(TestListing.Parse("""{"name":"caf\u00e9 \u2713"}""")));

        Assert.Equal("café ✓", data["name"]);
        Assert.Equal("""{"name":"café ✓"}""", data.ToString());
    }

    [Fact]
    public void Quotes_and_backslashes_are_still_escaped()
    {
        var data = Assert.IsType<JobDataObject>(Copy(TestListing.Parse("""{"path":"C:\\temp\\\"x\""}""")));

        Assert.Equal("C:\\temp\\\"x\"", data["path"]);
        Assert.Equal("""{"path":"C:\\temp\\\"x\""}""", data.ToString());
    }

    [Fact]
    public void Nested_values_keep_their_types()
    {
        var data = Assert.IsType<JobDataObject>(Copy(TestListing.Parse("""{"a":{"b":[1,2.5,"x",false,null]},"big":12345678901234}""")));

        var inner = Assert.IsType<JobDataObject>(data["a"]);
        var list = Assert.IsType<JobDataList>(inner["b"]);
        Assert.Equal(new object?[] { 1L, 2.5, "x", false, null }, list);
        Assert.Equal(12345678901234L, data["big"]);
        Assert.Equal("""{"a":{"b":[1,2.5,"x",false,null]},"big":12345678901234}""", data.ToString());
    }

    [Fact]
    public void Keys_are_case_insensitive()
    {
        var data = Assert.IsType<JobDataObject>(Copy(TestListing.Parse("""{"Format":"mp4"}""")));

        Assert.Equal("mp4", data["format"]);
    }

    [Fact]
    public void A_jobs_options_ToString_is_its_JSON()
    {
        var job = new IttybitProvider().ReadJob(TestListing.Parse("""{"id":"j","status":"queued","options":{"title":"Ωmega – naïve","width":640}}"""));

        Assert.Equal("""{"title":"Ωmega – naïve","width":640}""", job.Options!.ToString());
    }

    [Fact]
    public void An_empty_list_and_object_print_as_JSON()
    {
        Assert.Equal("[]", new JobDataList().ToString());
        Assert.Equal("{}", new JobDataObject().ToString());
    }

    [Fact]
    public void Characters_beyond_the_BMP_stay_readable()
    {
        var data = Assert.IsType<JobDataObject>(Copy(TestListing.Parse("""{"prompt":"a rocket 🚀 over 𝄞 and 😀😀","escaped":"\ud83c\udf89"}""")));

        Assert.Equal("""{"prompt":"a rocket 🚀 over 𝄞 and 😀😀","escaped":"🎉"}""", data.ToString());
    }

    [Fact]
    public void A_literal_backslash_u_in_text_is_not_turned_into_a_character()
    {
        // The text itself holds a backslash and "uD83D\uDE80": it must print as escaped backslashes, not as an emoji.
        var data = Assert.IsType<JobDataObject>(Copy(TestListing.Parse("""{"text":"\\uD83D\\uDE80 and \\\ud83d\ude80"}""")));

        Assert.Equal("\\uD83D\\uDE80 and \\🚀", (string)data["text"]!);
        Assert.Equal("""{"text":"\\uD83D\\uDE80 and \\🚀"}""", data.ToString());
    }

    [Fact]
    public void Control_characters_stay_escaped()
    {
        var list = Assert.IsType<JobDataList>(Copy(TestListing.Parse("""["line1\nline2\ttab"]""")));

        Assert.Equal("""["line1\nline2\ttab"]""", list.ToString());
    }

    private static object? Copy(System.Text.Json.JsonElement element)
    {
        Assert.True(JobData.TryFromJson(element, out var value));
        return value;
    }
}
