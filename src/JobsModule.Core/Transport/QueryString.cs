using System.Text;
using JobsModule.Engine;
using JobsModule.Operations;

namespace JobsModule.Transport;

/// <summary>Builds a list URL under a base that may carry a path prefix; every value is escaped.</summary>
internal sealed class QueryString
{
    private readonly StringBuilder _text;
    private bool _hasQuery;

    public QueryString(Uri baseUri, string path)
    {
        _text = new StringBuilder(baseUri.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        _text.Append(path);
    }

    public QueryString Add(string name, string? value)
    {
        if (value is not null)
        {
            _text.Append(_hasQuery ? '&' : '?').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            _hasQuery = true;
        }

        return this;
    }

    public QueryString Add(string name, int? value) =>
        Add(name, value?.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Appends one escaped path segment (an id may hold '/', '?' or spaces). "." and ".." would leave it,
    /// escaped or not, so they never get here (see <see cref="JobIds"/>); this is the last line of defence.
    /// </summary>
    public QueryString Segment(string value)
    {
        if (JobIds.Problem(value) is { } problem)
        {
            throw new ArgumentException(problem, nameof(value));
        }

        _text.Append('/').Append(Uri.EscapeDataString(value));
        return this;
    }

    public Uri ToUri() => new(_text.ToString());
}
