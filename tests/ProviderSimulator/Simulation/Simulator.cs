using ProviderSimulator.Providers;

namespace ProviderSimulator.Simulation;

/// <summary>The whole simulated world: the five providers, the request log and the address tests reach it at.</summary>
internal sealed class Simulator
{
    /// <summary>Every provider in this assembly, found the way the module finds its adapters: a sixth is one new Provider class.</summary>
    public Simulator()
    {
        Providers = typeof(Provider).Assembly.GetTypes()
            .Where(type => type.IsSubclassOf(typeof(Provider)) && !type.IsAbstract)
            .Select(type => (Provider)Activator.CreateInstance(type)!)
            .OrderBy(provider => provider.Id, StringComparer.Ordinal)
            .ToList();
        foreach (Provider provider in Providers)
        {
            provider.Files = Files;
        }
    }

    /// <summary>The file host every provider's output URLs point to (a second origin).</summary>
    public FileHost Files { get; } = new();

    public IReadOnlyList<Provider> Providers { get; }

    public RequestLog Log { get; } = new();

    /// <summary>http://127.0.0.1:port, known once Kestrel has bound.</summary>
    public string Origin { get; set; } = string.Empty;

    public Provider? Find(string id)
    {
        foreach (Provider p in Providers)
        {
            if (string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase))
            {
                return p;
            }
        }
        return null;
    }

    public void Reset()
    {
        foreach (Provider p in Providers)
        {
            p.Reset();
        }
        Files.Reset();
        Log.Clear();
    }

    /// <summary>The provider whose prefix starts this path (whole segment only), or null for control and other paths.</summary>
    public Provider? ProviderForPath(PathString path)
    {
        foreach (Provider p in Providers)
        {
            if (path.StartsWithSegments(p.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                return p;
            }
        }
        return null;
    }

    /// <summary>Middleware: records every request under a provider prefix, 404s and 405s included.</summary>
    public async Task LogProviderRequestsAsync(HttpContext ctx, RequestDelegate next)
    {
        Provider? provider = ProviderForPath(ctx.Request.Path);
        if (provider is null)
        {
            await next(ctx).ConfigureAwait(false);
            return;
        }
        LiveClock.BeginScope();
        long seq = Log.NextSeq();
        DateTime started = DateTime.UtcNow;
        int status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(ctx).ConfigureAwait(false);
            status = ctx.Response.StatusCode;
        }
        finally
        {
            Log.Add(seq, provider, ctx, started, DateTime.UtcNow, status);
        }
    }
}
