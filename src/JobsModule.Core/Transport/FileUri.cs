using JobsModule.Accounts;

namespace JobsModule.Transport;

/// <summary>
/// The rule for every URL an output is fetched from, the same as for base URLs: absolute, https, or
/// plain http to this machine only (localhost, 127.0.0.1, [::1]); never with user info; and never this
/// machine when the URL comes from a server elsewhere (a job's data, an API's answer, a redirect), so a
/// provider cannot make the module fetch from the services of the machine it runs on; and never a URL
/// that holds a key the module knows (a server that writes the key into a link would have it sent
/// elsewhere in the URL itself).
/// </summary>
internal static class FileUri
{
    /// <summary>The URL <paramref name="text"/>, sent by the server at <paramref name="from"/>, when it may be fetched; else null, and why in <paramref name="problem"/>.</summary>
    public static Uri? Parse(string? text, Uri from, Redactor secrets, out FileUriProblem problem)
    {
        if (!Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var uri))
        {
            problem = FileUriProblem.NotHttp;
            return null;
        }

        problem = Check(uri, from, secrets);
        return problem == FileUriProblem.None ? uri : null;
    }

    /// <summary>What is wrong with fetching <paramref name="uri"/>, sent by the server at <paramref name="from"/>, if anything; <paramref name="secrets"/> knows the keys.</summary>
    public static FileUriProblem Check(Uri uri, Uri from, Redactor secrets)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return FileUriProblem.NotHttp;
        }

        if (uri.IsLoopback && !from.IsLoopback)
        {
            return FileUriProblem.ThisMachine;
        }

        if (secrets.HoldsKey(uri.OriginalString) || secrets.HoldsKey(Uri.UnescapeDataString(uri.OriginalString)))
        {
            return FileUriProblem.HoldsKey;
        }

        return uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback ? FileUriProblem.Insecure : FileUriProblem.None;
    }

    /// <summary>The URL without its query (see <see cref="Shown"/>), for request lines.</summary>
    public static Uri WithoutQuery(Uri uri) => string.IsNullOrEmpty(uri.Query) ? uri : new Uri(uri.GetLeftPart(UriPartial.Path));

    /// <summary>
    /// A URL as messages show it: without its query, which on a pre-signed URL is the signature that
    /// lets anyone holding it fetch the file ("?..." says one was there).
    /// </summary>
    public static string Shown(Uri uri) =>
        !uri.IsAbsoluteUri ? uri.OriginalString
            : uri.Scheme + "://" + uri.Authority + uri.AbsolutePath + (string.IsNullOrEmpty(uri.Query) ? string.Empty : "?...");
}
