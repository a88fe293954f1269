using static JobsModule.Tests.Support.PageUrls;

namespace JobsModule.Tests;

/// <summary>Each adapter's list URLs, as exact strings.</summary>
public class PageUriTests
{
    [Fact]
    public void Every_provider_keeps_a_path_prefix()
    {
        Assert.Equal("https://gw.example.com/p/v2/jobs?limit=5", Url(new PyannoteAIProvider(), new ServerQuery(), 5, baseUri: "https://gw.example.com/p"));
        Assert.Equal("https://gw.example.com/p/v1/jobs?take=5&skip=0", Url(new PyannoteAIV1(), new ServerQuery(), 5, baseUri: "https://gw.example.com/p"));
        Assert.Equal("https://gw.example.com/c/api/jobs?limit=5&offset=0", Url(new ConvertlyProvider(), new ServerQuery(), 5, baseUri: "https://gw.example.com/c/"));
        Assert.Equal("https://gw.example.com/k/jobs?limit=5", Url(new KreaProvider(), new ServerQuery(), 5, baseUri: "https://gw.example.com/k"));
    }

    [Fact]
    public void Cursors_from_offset_providers_are_escaped_too()
    {
        var uri = new ConvertlyProvider().PageUri(new Uri("https://convertly.sh"), new ServerQuery(), 10, "1&limit=1000");

        Assert.Equal("https://convertly.sh/api/jobs?limit=10&offset=1%26limit%3D1000", uri.AbsoluteUri);
    }
}
