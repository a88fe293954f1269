using System.Text.Json;

namespace ProviderSimulator.Simulation;

/// <summary>
/// One request to the file host as tests see it. Credentials names the credential headers it carried
/// (Authorization, Proxy-Authorization, Cookie, x-api-key, unstructured-api-key): none should ever
/// arrive there. Their values are not recorded.
/// </summary>
internal sealed record FileLogEntry(
    long Seq, string Method, string Host, string Path, string Query, int Status, long BodyBytes,
    IReadOnlyList<string> Credentials, string? Fault, DateTime StartedAt, DateTime EndedAt)
{
    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteNumber("seq", Seq);
        w.WriteString("method", Method);
        w.WriteString("host", Host);
        w.WriteString("path", Path);
        w.WriteString("query", Query);
        w.WriteNumber("status", Status);
        w.WriteNumber("bodyBytes", BodyBytes);
        w.WriteStartArray("credentials");
        foreach (string header in Credentials)
        {
            w.WriteStringValue(header);
        }
        w.WriteEndArray();
        if (Fault is null)
        {
            w.WriteNull("fault");
        }
        else
        {
            w.WriteString("fault", Fault);
        }
        w.WriteString("startedAt", JsonOut.IsoMs(StartedAt));
        w.WriteString("endedAt", JsonOut.IsoMs(EndedAt));
        w.WriteEndObject();
    }
}
