using System.Globalization;
using System.Text;
using JobsModule.Accounts;
using JobsModule.Engine;

namespace JobsModule.Transport;

/// <summary>A request and its response as -Debug shows them: the method, URL, status and every header, no key.</summary>
internal static class ExchangeText
{
    /// <summary>A request and its response for -Debug: a header that carries a key is masked whole, a key anywhere else is taken out.</summary>
    public static string Of(string provider, HttpRequestMessage request, HttpResponseMessage response, Redactor redactor, string apiKey)
    {
        var text = new StringBuilder();
        text.Append(provider).Append(' ').Append(request.Method).Append(' ').Append(Strings.Describe(request.RequestUri!));
        foreach (var header in request.Headers)
        {
            var value = string.Join(", ", header.Value);
            text.Append("\n  > ").Append(header.Key).Append(": ").Append(apiKey.Length > 0 && value.IndexOf(apiKey, StringComparison.Ordinal) >= 0 ? Redactor.Mask : HeaderValue(header.Key, header.Value, redactor));
        }

        text.Append("\n  < ").Append(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)).Append(' ').Append(DisplayText.Inert(redactor.RedactOrNull(response.ReasonPhrase)));
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            text.Append("\n  < ").Append(DisplayText.Inert(header.Key)).Append(": ").Append(HeaderValue(header.Key, header.Value, redactor));
        }

        return text.ToString();
    }

    private static string HeaderValue(string name, IEnumerable<string> values, Redactor redactor)
    {
        var value = string.Join(", ", values);
        return name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || redactor.Redact(value) != value ? Redactor.Mask : DisplayText.Inert(value)!;
    }
}
