using System.Text.Json;

namespace JobsModule.JsonReading;

/// <summary>
/// A body that is not JSON at all (empty, cut short, more after its end), said in the module's own
/// words. The JSON reader's own exceptions are put into such words before anyone reads them
/// (<see cref="Strings.BodyProblem"/>); this one's message is shown as it is.
/// </summary>
internal sealed class NotJsonException : JsonException
{
    public NotJsonException(string message)
        : base(message)
    {
    }
}
