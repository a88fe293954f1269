using System.Diagnostics;
using System.Globalization;
using System.Net;
using ProviderSimulator.Providers;
using ProviderSimulator.Simulation;

namespace ProviderSimulator;

/// <summary>
/// dotnet ProviderSimulator.dll [--port N] [--parent-pid PID]
/// Binds 127.0.0.1 only (port 0 = any free port), prints one line
/// "PROVIDER-SIMULATOR-LISTENING http://127.0.0.1:&lt;port&gt;" to stdout once listening, and with
/// --parent-pid exits by itself when that process is gone.
/// </summary>
internal static class Program
{
    public const string ReadyLinePrefix = "PROVIDER-SIMULATOR-LISTENING ";

    public static async Task<int> Main(string[] args)
    {
        if (!TryParseArgs(args, out int port, out int? parentPid, out string? argError))
        {
            await Console.Error.WriteLineAsync(argError + Environment.NewLine +
                "usage: dotnet ProviderSimulator.dll [--port N] [--parent-pid PID]").ConfigureAwait(false);
            return 2;
        }

        // Our own arguments are not handed to the host, so it never reads them as configuration.
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Stdout carries exactly one line (the ready line). Anything worth logging goes to stderr.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // The host warns when ASPNETCORE_URLS / ASPNETCORE_HTTP_PORTS are set; our explicit Listen wins anyway.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Error);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        // A second listener for the file host: another port, reached as http://localhost:<port>.
        Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions? fileListener = null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, port);
            k.Listen(IPAddress.Loopback, 0, listen => fileListener = listen);
        });

        WebApplication app = builder.Build();
        var sim = new Simulator();
        app.Use(async (ctx, next) =>
        {
            if (ctx.Connection.LocalPort == sim.Files.Port)
            {
                await sim.Files.ServeAsync(ctx).ConfigureAwait(false);
                return;
            }
            await next(ctx).ConfigureAwait(false);
        });
        app.Use(sim.LogProviderRequestsAsync);
        foreach (Provider provider in sim.Providers)
        {
            provider.MapRoutes(app);
        }
        ControlApi.Map(app, sim);

        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // Typically "address already in use" for a fixed --port: fail with a message, not a crash dump.
            await Console.Error.WriteLineAsync("cannot listen: " + e.Message).ConfigureAwait(false);
            return 1;
        }
        int filePort = fileListener!.IPEndPoint!.Port;
        var bound = new Uri(app.Urls.First(url => new Uri(url).Port != filePort));
        sim.Origin = $"http://127.0.0.1:{bound.Port.ToString(CultureInfo.InvariantCulture)}";
        sim.Files.Port = filePort;
        await Console.Out.WriteLineAsync(ReadyLinePrefix + sim.Origin).ConfigureAwait(false);
        await Console.Out.FlushAsync().ConfigureAwait(false);

        if (parentPid is int pid)
        {
            _ = WatchParentAsync(pid, app.Lifetime);
        }
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>Stops the server once the parent process has exited (checked every 500 ms).</summary>
    private static async Task WatchParentAsync(int pid, IHostApplicationLifetime lifetime)
    {
        Process? parent = null;
        try
        {
            parent = Process.GetProcessById(pid);
        }
        catch (ArgumentException)
        {
            // Already gone: stop straight away.
        }
        using (parent)
        using (var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500)))
        {
            try
            {
                while (parent is not null && !HasEnded(parent) &&
                       await timer.WaitForNextTickAsync(lifetime.ApplicationStopping).ConfigureAwait(false))
                {
                }
            }
            catch (OperationCanceledException)
            {
                return;   // shutting down for another reason
            }
        }
        lifetime.StopApplication();
    }

    /// <summary>
    /// Exited, or (Linux) a zombie nobody has reaped yet: a killed parent whose own parent is slow to
    /// wait() for it still answers kill(pid, 0), which is what HasExited relies on for non-children.
    /// </summary>
    private static bool HasEnded(Process parent)
    {
        if (parent.HasExited)
        {
            return true;
        }
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            // /proc/<pid>/stat is "pid (comm) state ...": the state letter follows the last ')'.
            string stat = File.ReadAllText($"/proc/{parent.Id.ToString(CultureInfo.InvariantCulture)}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] is 'Z' or 'X';
        }
        catch (IOException)
        {
            return true;    // no /proc entry: gone
        }
    }

    private static bool TryParseArgs(string[] args, out int port, out int? parentPid, out string? error)
    {
        port = 0;
        parentPid = null;
        error = null;
        for (int k = 0; k < args.Length; k++)
        {
            string name = args[k];
            string? value = k + 1 < args.Length ? args[k + 1] : null;
            switch (name)
            {
                case "--port" when value is not null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p <= 65535:
                    port = p;
                    k++;
                    break;
                case "--parent-pid" when value is not null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0:
                    parentPid = pid;
                    k++;
                    break;
                default:
                    error = $"invalid argument '{name}'" + (value is null ? string.Empty : $" '{value}'");
                    return false;
            }
        }
        return true;
    }
}
