using System.Text.Json;
using ProviderSimulator.Providers;

namespace ProviderSimulator.Simulation;

/// <summary>
/// /_sim/...: lets tests reset the world, size datasets, read the ground truth, switch options and
/// read the request log. No auth, JSON in and out; errors are {"error": "..."}.
/// </summary>
internal static class ControlApi
{
    public static void Map(IEndpointRouteBuilder routes, Simulator sim)
    {
        routes.MapPost("/_sim/reset", ctx =>
        {
            sim.Reset();
            return WriteInfoAsync(ctx, sim);
        });

        routes.MapGet("/_sim/info", ctx => WriteInfoAsync(ctx, sim));

        routes.MapGet("/_sim/files/options", ctx => JsonOut.WriteIndentedAsync(ctx, StatusCodes.Status200OK, sim.Files.WriteOptions));

        routes.MapPost("/_sim/files/options", ctx => MergeFileOptionsAsync(ctx, sim.Files));

        routes.MapGet("/_sim/files/log", ctx =>
        {
            List<FileLogEntry> entries = sim.Files.Log.Snapshot();
            return JsonOut.WriteAsync(ctx, StatusCodes.Status200OK, w =>
            {
                w.WriteStartArray();
                foreach (FileLogEntry e in entries)
                {
                    e.Write(w);
                }
                w.WriteEndArray();
            });
        });

        routes.MapDelete("/_sim/files/log", ctx =>
        {
            sim.Files.Log.Clear();
            ctx.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });

        routes.MapGet("/_sim/files/digest", ctx =>
        {
            string? url = QueryParams.Get(ctx.Request, "url");
            long length = sim.Files.Size;
            string? text = QueryParams.Get(ctx.Request, "length");
            if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (text is not null && (!QueryParams.TryParseInteger(text, out length) || length is < 0 or > FileHost.MaxSize)))
            {
                return WriteErrorAsync(ctx, StatusCodes.Status400BadRequest, "url must be an absolute URL of the file host, and length (default: the current size) a number of bytes");
            }
            return JsonOut.WriteAsync(ctx, StatusCodes.Status200OK, w =>
            {
                w.WriteStartObject();
                w.WriteString("path", uri.AbsolutePath);
                w.WriteNumber("length", length);
                w.WriteString("sha256", FileContent.Sha256(uri.AbsolutePath, length));
                w.WriteEndObject();
            });
        });

        routes.MapPost("/_sim/{provider}/dataset", ctx => WithProvider(ctx, sim, p => RegenerateAsync(ctx, p)));

        routes.MapGet("/_sim/{provider}/jobs", ctx => WithProvider(ctx, sim, p => WriteAllJobsAsync(ctx, p)));

        routes.MapGet("/_sim/{provider}/options", ctx => WithProvider(ctx, sim, p => WriteOptionsAsync(ctx, p)));

        routes.MapPost("/_sim/{provider}/options", ctx => WithProvider(ctx, sim, p => MergeOptionsAsync(ctx, p)));

        routes.MapPost("/_sim/{provider}/live", ctx => WithProvider(ctx, sim, p => AddLiveJobsAsync(ctx, p)));

        routes.MapPost("/_sim/{provider}/live/advance", ctx => WithProvider(ctx, sim, p => AdvanceLiveJobAsync(ctx, p)));

        routes.MapGet("/_sim/log", ctx =>
        {
            string? provider = QueryParams.Get(ctx.Request, "provider");
            if (provider is not null && sim.Find(provider) is null)
            {
                return WriteErrorAsync(ctx, StatusCodes.Status404NotFound, $"unknown provider '{provider}'");
            }
            List<LogEntry> entries = sim.Log.Snapshot(provider);
            return JsonOut.WriteAsync(ctx, StatusCodes.Status200OK, w =>
            {
                w.WriteStartArray();
                foreach (LogEntry e in entries)
                {
                    e.Write(w);
                }
                w.WriteEndArray();
            });
        });

        routes.MapDelete("/_sim/log", ctx =>
        {
            sim.Log.Clear();
            ctx.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
    }

    private static Task WithProvider(HttpContext ctx, Simulator sim, Func<Provider, Task> action)
    {
        string id = (string?)ctx.Request.RouteValues["provider"] ?? string.Empty;
        Provider? provider = sim.Find(id);
        return provider is null
            ? WriteErrorAsync(ctx, StatusCodes.Status404NotFound, $"unknown provider '{id}'")
            : action(provider);
    }

    private static Task WriteInfoAsync(HttpContext ctx, Simulator sim) =>
        JsonOut.WriteIndentedAsync(ctx, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("providers");
            foreach (Provider p in sim.Providers)
            {
                JobDataset d = p.Dataset;
                w.WriteStartObject(p.Id);
                w.WriteString("baseUrl", sim.Origin + p.Prefix);
                w.WriteString("key", p.Options.Key);
                w.WriteString("idField", p.IdField);
                if (p.MaxPageSize is int max)
                {
                    w.WriteNumber("maxPageSize", max);
                }
                else
                {
                    w.WriteNull("maxPageSize");
                }
                w.WriteNumber("count", d.Count);
                w.WriteNumber("seed", d.Seed);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartObject("files");
            w.WriteString("origin", sim.Files.Origin);
            w.WriteNumber("size", sim.Files.Size);
            w.WriteEndObject();
            w.WriteEndObject();
        });

    private static Task RegenerateAsync(HttpContext ctx, Provider p)
    {
        long count = JobDataset.DefaultCount, seed = JobDataset.DefaultSeed;
        string? text = QueryParams.Get(ctx.Request, "count");
        if (text is not null && (!QueryParams.TryParseInteger(text, out count) || count is < 0 or > JobDataset.MaxCount))
        {
            return WriteErrorAsync(ctx, StatusCodes.Status400BadRequest, $"count must be an integer between 0 and {JobDataset.MaxCount}");
        }
        text = QueryParams.Get(ctx.Request, "seed");
        if (text is not null && !QueryParams.TryParseInteger(text, out seed))
        {
            return WriteErrorAsync(ctx, StatusCodes.Status400BadRequest, "seed must be an integer");
        }
        text = QueryParams.Get(ctx.Request, "finished");
        bool finished = false;
        if (text is not null && !bool.TryParse(text, out finished))
        {
            return WriteErrorAsync(ctx, StatusCodes.Status400BadRequest, "finished must be true or false");
        }
        p.Regenerate((int)count, seed, finished);
        JobDataset d = p.Dataset;
        return JsonOut.WriteAsync(ctx, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("provider", p.Id);
            w.WriteNumber("count", d.Count);
            w.WriteNumber("seed", d.Seed);
            JsonOut.WriteIsoMs(w, "newestCreatedAt", d.AnchorMs);
            w.WriteEndObject();
        });
    }

    /// <summary>The ground truth: every job in the provider's own item shape and natural list order, unfiltered.</summary>
    private static async Task WriteAllJobsAsync(HttpContext ctx, Provider p)
    {
        LiveClock.BeginScope();
        LiveClock.Freeze();     // one instant for the whole list, live jobs included
        JobDataset d = p.Dataset;
        Utf8JsonWriter writer = JsonOut.Start(ctx, StatusCodes.Status200OK);
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartArray();
            if (await JsonOut.WriteItemsAsync(ctx, writer, p.NaturalOrder(d), (w, i) => p.WriteItem(w, d, i)).ConfigureAwait(false))
            {
                writer.WriteEndArray();
                await JsonOut.FinishAsync(ctx, writer).ConfigureAwait(false);
            }
        }
    }

    private static Task WriteOptionsAsync(HttpContext ctx, Provider p) =>
        JsonOut.WriteIndentedAsync(ctx, StatusCodes.Status200OK, w => p.Options.Write(w, p.Counters));

    private static async Task MergeOptionsAsync(HttpContext ctx, Provider p)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(ctx.Request.Body, default, ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            await WriteErrorAsync(ctx, StatusCodes.Status400BadRequest, "body is not valid JSON: " + e.Message).ConfigureAwait(false);
            return;
        }
        using (document)
        {
            string? error = p.MergeOptions(document.RootElement);
            if (error is not null)
            {
                await WriteErrorAsync(ctx, StatusCodes.Status400BadRequest, error).ConfigureAwait(false);
                return;
            }
        }
        await WriteOptionsAsync(ctx, p).ConfigureAwait(false);
    }

    /// <summary>
    /// POST /_sim/{provider}/live: {"jobs":[{"id","runMs","final","middle"}]} -> the created jobs with
    /// their creation time and the raw status of each phase.
    /// </summary>
    private static async Task AddLiveJobsAsync(HttpContext ctx, Provider p)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(ctx.Request.Body, default, ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            await WriteErrorAsync(ctx, StatusCodes.Status400BadRequest, "body is not valid JSON: " + e.Message).ConfigureAwait(false);
            return;
        }
        List<int> keys;
        JobDataset d;
        using (document)
        {
            string? error = p.AddLiveJobs(document.RootElement, out int status, out keys, out d);
            if (error is not null)
            {
                await WriteErrorAsync(ctx, status, error).ConfigureAwait(false);
                return;
            }
        }
        await JsonOut.WriteIndentedAsync(ctx, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("provider", p.Id);
            w.WriteNumber("count", d.Count);
            w.WriteStartArray("jobs");
            foreach (int key in keys)
            {
                LiveJob job = d.Live(key)!;
                (string queued, string running, string final) = p.LivePhases(d, key);
                w.WriteStartObject();
                w.WriteString("id", job.Id);
                JsonOut.WriteIsoMs(w, "createdAt", d.CreatedMs(key));
                w.WriteNumber("runMs", job.RunMs);
                w.WriteString("queued", queued);
                w.WriteString("running", running);
                w.WriteString("final", final);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static async Task MergeFileOptionsAsync(HttpContext ctx, FileHost files)
    {
        if (await ReadJsonBodyAsync(ctx).ConfigureAwait(false) is not { } document)
        {
            return;
        }
        using (document)
        {
            string? error = files.MergeOptions(document.RootElement);
            if (error is not null)
            {
                await WriteErrorAsync(ctx, StatusCodes.Status400BadRequest, error).ConfigureAwait(false);
                return;
            }
        }
        await JsonOut.WriteIndentedAsync(ctx, StatusCodes.Status200OK, files.WriteOptions).ConfigureAwait(false);
    }

    /// <summary>
    /// POST /_sim/{provider}/live/advance: {"id","to":"running"|"final"} moves a live job's clock on so
    /// that it is in that phase from now (a test decides when a job changes); -> the job's raw status now.
    /// </summary>
    private static async Task AdvanceLiveJobAsync(HttpContext ctx, Provider p)
    {
        if (await ReadJsonBodyAsync(ctx).ConfigureAwait(false) is not { } document)
        {
            return;
        }
        string? error;
        int status;
        string? raw;
        using (document)
        {
            error = p.AdvanceLiveJob(document.RootElement, out status, out raw);
        }
        if (error is not null)
        {
            await WriteErrorAsync(ctx, status, error).ConfigureAwait(false);
            return;
        }
        await JsonOut.WriteAsync(ctx, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("provider", p.Id);
            w.WriteString("status", raw);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>The request's JSON body; null after answering 400 when it is not JSON.</summary>
    private static async Task<JsonDocument?> ReadJsonBodyAsync(HttpContext ctx)
    {
        try
        {
            return await JsonDocument.ParseAsync(ctx.Request.Body, default, ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            await WriteErrorAsync(ctx, StatusCodes.Status400BadRequest, "body is not valid JSON: " + e.Message).ConfigureAwait(false);
            return null;
        }
    }

    private static Task WriteErrorAsync(HttpContext ctx, int status, string message) =>
        JsonOut.WriteAsync(ctx, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", message);
            w.WriteEndObject();
        });
}
