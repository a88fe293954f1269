using System.Text;
using System.Text.Json;

namespace JobsModule.Tests;

/// <summary>Each adapter's description of where a finished job's outputs are: what is fetched, with or without the key, and named how.</summary>
public class JobOutputsTests
{
    private static readonly Uri Base = new("https://gateway.example/prefix");

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static IReadOnlyList<JobOutput> Outputs(IJobProvider provider, string json, bool withDetail = false)
    {
        var body = Parse(json);
        return provider.Outputs(provider.ReadJob(body), withDetail ? body : null, Base);
    }

    [Fact]
    public void Krea_result_urls_are_files_fetched_without_the_key_each_once()
    {
        var outputs = Outputs(new KreaProvider(), """{"job_id":"k1","status":"completed","created_at":"2026-01-01T00:00:00Z","result":{"urls":["https://gen.krea.ai/images/a.png","https://gen.krea.ai/images/b.png","https://gen.krea.ai/images/a.png",42,null]}}""");

        Assert.False(new KreaProvider().OutputsNeedJobRead);
        Assert.Equal(new[] { "https://gen.krea.ai/images/a.png", "https://gen.krea.ai/images/b.png" }, outputs.Select(output => output.Url));
        Assert.All(outputs, output => Assert.Equal(JobOutputKind.FileUrl, output.Kind));
        Assert.All(outputs, output => Assert.Equal(string.Empty, output.Name));
    }

    [Fact]
    public void A_Krea_job_without_result_has_no_outputs()
    {
        Assert.Empty(Outputs(new KreaProvider(), """{"job_id":"k1","status":"failed","created_at":"2026-01-01T00:00:00Z","result":{"error":"nsfw"}}"""));
    }

    [Fact]
    public void Ittybit_outputs_are_the_job_output_and_each_task_output_url_from_the_job_read()
    {
        var outputs = Outputs(new IttybitProvider(), """
            {"id":"job_1","object":"job","status":"succeeded","created_at":1711900000000,
             "output":"https://store.ittybit.net/org/video.mp4",
             "tasks":[{"id":"t1","output":{"object":"file","url":"https://store.ittybit.net/org/video.mp4"}},
                      {"id":"t2","output":{"object":"file","kind":"image","url":"https://store.ittybit.net/org/thumb.jpg"}},
                      {"id":"t3","output":null},{"id":"t4"}]}
            """);

        Assert.True(new IttybitProvider().OutputsNeedJobRead);
        Assert.Equal(new[] { "https://store.ittybit.net/org/video.mp4", "https://store.ittybit.net/org/thumb.jpg" }, outputs.Select(output => output.Url));
        Assert.All(outputs, output => Assert.Equal(JobOutputKind.FileUrl, output.Kind));
    }

    [Fact]
    public void Convertly_results_of_any_shape_give_every_downloadUrl_or_url_with_its_name_and_size()
    {
        var outputs = Outputs(new ConvertlyProvider(), """
            {"id":"c1","status":"completed","created_at":"2026-01-01T00:00:00Z",
             "results":{"files":[{"filename":"a.webp","downloadUrl":"https://cdn.convertly.sh/a?sig=1","size":1234},
                                 {"name":"b.webp","url":"https://cdn.convertly.sh/b"},
                                 {"file":"input.png","error":"bad"}],
                        "archive":{"url":"https://cdn.convertly.sh/all.zip","size":"12"},
                        "again":[{"url":"https://cdn.convertly.sh/b"}]}}
            """);

        Assert.False(new ConvertlyProvider().OutputsNeedJobRead);
        Assert.Equal(
            new[] { ("https://cdn.convertly.sh/a?sig=1", "a.webp", (long?)1234), ("https://cdn.convertly.sh/b", "b.webp", null), ("https://cdn.convertly.sh/all.zip", string.Empty, null) },
            outputs.Select(output => (output.Url!, output.Name, output.Size)));
    }

    [Fact]
    public void Convertly_results_that_are_null_or_a_plain_list_of_text_have_no_outputs()
    {
        Assert.Empty(Outputs(new ConvertlyProvider(), """{"id":"c1","status":"completed","created_at":"2026-01-01T00:00:00Z","results":null}"""));
        Assert.Empty(Outputs(new ConvertlyProvider(), """{"id":"c1","status":"completed","created_at":"2026-01-01T00:00:00Z","results":["https://cdn.convertly.sh/x"]}"""));
    }

    [Fact]
    public void Unstructured_output_node_files_are_downloads_under_the_base_url_with_the_key()
    {
        var outputs = Outputs(new UnstructuredProvider(), """
            {"id":"j/1","workflow_id":"w","workflow_name":"n","status":"COMPLETED","created_at":"2026-01-01T00:00:00Z",
             "output_node_files":[{"node_id":"n1","file_id":"doc a.pdf","node_type":"partition"},
                                  {"node_id":"n2","file_id":"doc a.pdf","node_type":"chunk"},
                                  {"node_id":"n3","file_id":"output-001.json","node_type":"destination"},
                                  {"file_id":"solo"},{"node_id":"n4"}]}
            """);

        Assert.All(outputs, output => Assert.Equal(JobOutputKind.ApiContent, output.Kind));
        Assert.Equal(
            new[]
            {
                "https://gateway.example/prefix/api/v1/jobs/j%2F1/download?file_id=doc%20a.pdf&node_id=n1",
                "https://gateway.example/prefix/api/v1/jobs/j%2F1/download?file_id=doc%20a.pdf&node_id=n2",
                "https://gateway.example/prefix/api/v1/jobs/j%2F1/download?file_id=output-001.json&node_id=n3",
                "https://gateway.example/prefix/api/v1/jobs/j%2F1/download?file_id=solo",
            },
            outputs.Select(output => output.ApiUri!.AbsoluteUri));
        Assert.Equal(new[] { "doc a.pdf.partition.json", "doc a.pdf.chunk.json", "output-001.json", "solo.json" }, outputs.Select(output => output.Name));
    }

    [Fact]
    public void An_Unstructured_base_url_with_its_api_path_is_not_doubled()
    {
        var provider = new UnstructuredProvider();
        var job = provider.ReadJob(Parse("""{"id":"j","status":"COMPLETED","created_at":"2026-01-01T00:00:00Z","output_node_files":[{"node_id":"n","file_id":"f"}]}"""));
        var output = Assert.Single(provider.Outputs(job, null, new Uri("https://platform.unstructuredapp.io/api/v1")));
        Assert.Equal("https://platform.unstructuredapp.io/api/v1/jobs/j/download?file_id=f&node_id=n", output.ApiUri!.AbsoluteUri);
    }

    [Fact]
    public void PyannoteAI_saves_the_output_of_the_job_read_exactly_as_sent_and_links_each_media_reference()
    {
        var raw = """{ "diarization":[{"speaker":"SPEAKER_00","start":0.50,"end":3.2e0}], "note":"é \u00e9", "files":{"audio":"media://outputs/a/b.wav","again":["media://outputs/a/b.wav","media://x"]} }""";
        var json = $$"""{"jobId":"p1","status":"succeeded","createdAt":"2026-01-01T00:00:00Z","output":{{raw}}}""";
        var provider = new PyannoteAIProvider();

        var outputs = Outputs(provider, json, withDetail: true);

        Assert.True(provider.OutputsNeedJobRead);
        Assert.Equal(TimeSpan.FromHours(24), provider.Info.OutputRetention);
        Assert.Equal(3, outputs.Count);
        Assert.Equal(JobOutputKind.Inline, outputs[0].Kind);
        Assert.Equal("p1.json", outputs[0].Name);
        Assert.Equal(raw, Encoding.UTF8.GetString(outputs[0].Content.Span));
        Assert.All(outputs.Skip(1), output => Assert.Equal(JobOutputKind.ApiLink, output.Kind));
        Assert.All(outputs.Skip(1), output => Assert.Equal("https://gateway.example/prefix/v1/media/output", output.ApiUri!.AbsoluteUri));
        Assert.Equal(new[] { """{"url":"media://outputs/a/b.wav"}""", """{"url":"media://x"}""" }, outputs.Skip(1).Select(output => output.RequestBody));
        Assert.Equal(new[] { "b.wav", "x" }, outputs.Skip(1).Select(output => output.Name));
        Assert.All(outputs.Skip(1), output => Assert.Equal("url", output.LinkProperty));
    }

    [Fact]
    public void A_PyannoteAI_job_without_its_read_or_without_output_has_no_outputs()
    {
        var provider = new PyannoteAIProvider();
        Assert.Empty(Outputs(provider, """{"jobId":"p1","status":"succeeded","createdAt":"2026-01-01T00:00:00Z","output":{"diarization":[]}}""", withDetail: false));
        Assert.Empty(Outputs(provider, """{"jobId":"p1","status":"running","createdAt":"2026-01-01T00:00:00Z","output":null}""", withDetail: true));
    }

    [Fact]
    public void No_other_provider_documents_a_retention_period()
    {
        foreach (var provider in ProviderRegistry.All.Where(provider => provider.Info.Name != "PyannoteAI"))
        {
            Assert.Null(provider.Info.OutputRetention);
        }
    }
}
