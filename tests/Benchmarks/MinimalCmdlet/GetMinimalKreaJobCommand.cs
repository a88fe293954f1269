// The fastest a binary module could list Krea jobs: one HttpClient, one request per page, each page
// deserialized by source-generated System.Text.Json into plain CLR objects, each written to the
// pipeline as it is. No retries, no prefetch, no type names, no formatting data: the floor of what a
// cmdlet that writes one object per job costs, to set Get-ProviderJob beside.
//
//   Import-Module ./MinimalCmdlet.dll
//   Get-MinimalKreaJob -BaseUri http://127.0.0.1:<port>/krea -ApiKey <key> -PageSize 1000 | Measure-Object
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MinimalCmdlet;

[Cmdlet(VerbsCommon.Get, "MinimalKreaJob")]
[OutputType(typeof(KreaJob))]
public sealed class GetMinimalKreaJobCommand : PSCmdlet
{
    private static readonly HttpClient Http = new();

    [Parameter(Mandatory = true)]
    public string BaseUri { get; set; } = string.Empty;

    [Parameter(Mandatory = true)]
    public string ApiKey { get; set; } = string.Empty;

    [Parameter]
    [ValidateRange(1, 1000)]
    public int PageSize { get; set; } = 1000;

    protected override void ProcessRecord()
    {
        var baseUri = BaseUri.TrimEnd('/');
        string? cursor = null;
        do
        {
            var uri = baseUri + "/jobs?limit=" + PageSize.ToString(CultureInfo.InvariantCulture)
                + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor));
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = Http.Send(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            KreaPage? page;
            using (Stream body = response.Content.ReadAsStream())
            {
                page = JsonSerializer.Deserialize(body, KreaJson.Default.KreaPage);
            }
            if (page is null)
            {
                throw new InvalidDataException("The page is JSON null.");
            }
            foreach (var job in page.Items)
            {
                WriteObject(job);
            }
            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }
}

/// <summary>A Krea list page: {"items": [...], "next_cursor": "..." or null}.</summary>
public sealed class KreaPage
{
    public List<KreaJob> Items { get; set; } = [];

    public string? NextCursor { get; set; }
}

/// <summary>One Krea job as the list returns it, typed.</summary>
public sealed class KreaJob
{
    public string JobId { get; set; } = string.Empty;

    public string Status { get; set; } = string.Empty;

    public string? Type { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public KreaResult? Result { get; set; }

    public KreaError? Error { get; set; }
}

public sealed class KreaResult
{
    public List<string>? Urls { get; set; }

    public string? StyleId { get; set; }

    public KreaError? Error { get; set; }
}

public sealed class KreaError
{
    public string? Code { get; set; }

    public string? Message { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(KreaPage))]
internal sealed partial class KreaJson : JsonSerializerContext
{
}
