using JobsModule.Engine;

namespace JobsModule.Operations;

/// <summary>What a job id must be before it goes into a URL: one path segment that stays one.</summary>
internal static class JobIds
{
    /// <summary>Longer ids are refused: no provider issues them, and servers answer such URLs with 414.</summary>
    public const int MaxLength = 1024;

    /// <summary>
    /// Why <paramref name="id"/> cannot be sent, or null when it can. "." and ".." are refused outright:
    /// escaped or not, servers and proxies treat them as "this" and "the parent" path segment.
    /// </summary>
    public static string? Problem(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return Strings.JobIdBlank;
        }

        if (id is "." or "..")
        {
            return Strings.JobIdDots(id);
        }

        if (id!.Length > MaxLength)
        {
            return Strings.JobIdTooLong(id, MaxLength);
        }

        foreach (var character in id)
        {
            if (char.IsControl(character))
            {
                return Strings.JobIdControl(id);
            }
        }

        return null;
    }
}
