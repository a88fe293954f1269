namespace JobsModule.Tests.Support;

/// <summary>A provider's list URL as exact text, and a value that needs every kind of escaping.</summary>
internal static class PageUrls
{
    public const string Tricky = "a&b=c d#é+/?";
    public const string TrickyEscaped = "a%26b%3Dc%20d%23%C3%A9%2B%2F%3F";

    public static string Url(IJobProvider provider, ServerQuery query, int pageSize, string? cursor = null, string? baseUri = null) =>
        provider.PageUri(new Uri(baseUri ?? provider.Info.DefaultBaseUri.AbsoluteUri), query, pageSize, cursor).AbsoluteUri;
}
