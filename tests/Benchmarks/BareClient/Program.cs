// The ceiling for the throughput benchmark: the least a client can do to list every Krea job.
// One HttpClient, one request per page, System.Text.Json over the response stream, count the items,
// follow next_cursor. No objects per job, no PowerShell.
//
// Usage: BareClient <kreaBaseUrl> <apiKey> <pageSize>
// Then one command per line on stdin, so that the benchmark can interleave it with the other
// alternatives inside one warm process:
//   run   lists every job; writes "<jobs> <requests> <milliseconds>"
//   quit  (or end of input) exits
using System;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Tasks;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length != 3)
        {
            Console.Error.WriteLine("usage: BareClient <kreaBaseUrl> <apiKey> <pageSize>");
            return 2;
        }

        var baseUrl = args[0].TrimEnd('/');
        var pageSize = int.Parse(args[2], CultureInfo.InvariantCulture);
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", args[1]);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        Console.WriteLine("READY");
        string? line;
        while ((line = Console.ReadLine()) is not null && line != "quit")
        {
            if (line != "run")
            {
                Console.WriteLine("ERROR unknown command: " + line);
                continue;
            }

            var clock = Stopwatch.StartNew();
            var (jobs, requests) = await ListAsync(http, baseUrl, pageSize).ConfigureAwait(false);
            clock.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{jobs} {requests} {clock.Elapsed.TotalMilliseconds:F3}"));
        }

        return 0;
    }

    private static async Task<(long Jobs, int Requests)> ListAsync(HttpClient http, string baseUrl, int pageSize)
    {
        long jobs = 0;
        var requests = 0;
        string? cursor = null;
        do
        {
            var uri = baseUrl + "/jobs?limit=" + pageSize.ToString(CultureInfo.InvariantCulture)
                + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor));
            requests++;
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            using var page = await JsonDocument.ParseAsync(stream).ConfigureAwait(false);
            var root = page.RootElement;
            jobs += root.GetProperty("items").GetArrayLength();
            cursor = root.TryGetProperty("next_cursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);

        return (jobs, requests);
    }
}
