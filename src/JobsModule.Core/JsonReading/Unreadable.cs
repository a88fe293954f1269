using JobsModule.Accounts;
using JobsModule.Engine;
using JobsModule.Listing;

namespace JobsModule.JsonReading;

/// <summary>What the engine says about values it could not read: an error for a job it cannot write, a warning for a field.</summary>
internal static class Unreadable
{
    /// <summary>An item of a page that is no job (no id): an error of its own, once per place on the page, while the page goes on.</summary>
    public static void ReportItem(ProviderEndpoint endpoint, PageDownload download, int position, string reason, CallLog log)
    {
        if (!download.FirstProblemAt(position))
        {
            return;
        }

        var name = endpoint.Provider.Info.Name;
        var shown = log.Redactor.With(endpoint.ApiKey).Redact(reason);
        log.Error(new ProviderRequestException(name, ProviderErrorKind.InvalidResponse, Strings.UnreadableJob(name, position, download.Number, shown)), endpoint.Account);
    }

    /// <summary>Fields that could not be read: one warning per provider and field in a call, naming the first job that had one.</summary>
    public static void WarnOfFields(ProviderJob job, ProviderEndpoint endpoint, CallLog log)
    {
        if (job.UnreadableFields is not { } fields)
        {
            return;
        }

        foreach (var field in fields)
        {
            // The value is the server's: a key it repeats back is taken out first.
            log.WarningOnce(job.Provider + "\u0000" + field.Key, () => log.Redactor.With(endpoint.ApiKey).Redact(Strings.UnreadableField(job.Provider, job.Id, field.Key, field.Value)));
        }
    }
}
