using System.Text.Json;

namespace JobsModule.JsonReading;

/// <summary>
/// Reads the fields of one job object from a provider. A field that is there but cannot be read as
/// its type (a date that is not a date, a number out of range, an object where a list belongs)
/// reads as null and is kept, raw, in <see cref="Unreadable"/>: one bad value loses that value only,
/// never the job or its page. Only a job without an id cannot be read at all.
/// </summary>
internal sealed class JobFields
{
    private readonly string _prefix;
    private readonly JobFields? _root;
    private JobDataObject? _unreadable;

    public JobFields(JsonElement item)
        : this(Json.RequireObject(item, "a job"), string.Empty, null)
    {
    }

    /// <summary>
    /// The fields of another document about a job (<paramref name="what"/>, an object), such as a detail
    /// endpoint's answer: its unreadable values are named "<paramref name="prefix"/>field".
    /// </summary>
    public static JobFields OfDocument(JsonElement document, string what, string prefix) =>
        new(Json.RequireObject(document, what), prefix, null);

    private JobFields(JsonElement item, string prefix, JobFields? root)
    {
        Item = item;
        _prefix = prefix;
        _root = root;
    }

    public JsonElement Item { get; }

    /// <summary>The fields that could not be read, by name (nested ones as "result.urls"), with the value as sent; null when every field was read.</summary>
    public JobDataObject? Unreadable => (_root ?? this)._unreadable;

    /// <summary>The job's id from the first of <paramref name="names"/> that holds one; a job without one cannot be read.</summary>
    public string Id(params string[] names) => Json.RequireId(Item, names);

    /// <summary>A text field; numbers and booleans are taken as their JSON text, objects and arrays are unreadable.</summary>
    public string? String(string name) => Read<string>(name, TryString);

    /// <summary>
    /// The raw status: a documented one is the provider's own string (no copy per job, which a listing of
    /// a million jobs notices), any other is read as text.
    /// </summary>
    public string? Status(ProviderInfo info, string name = "status")
    {
        if (Json.Property(Item, name) is { ValueKind: JsonValueKind.String } value)
        {
            foreach (var known in info.StatusMap.Keys)
            {
                if (value.ValueEquals(known))
                {
                    return known;
                }
            }
        }

        return String(name);
    }

    /// <summary>The first of several names that holds a readable text (list items and single jobs may spell a field differently).</summary>
    public string? String(string name, string alternative) => String(name) ?? String(alternative);

    public DateTime? IsoTime(string name) => ReadValue<DateTime>(name, Json.TryIsoTime);

    public DateTime? IsoTime(string name, string alternative) => IsoTime(name) ?? IsoTime(alternative);

    public DateTime? EpochMilliseconds(string name) => ReadValue<DateTime>(name, Json.TryEpochMilliseconds);

    public TimeSpan? IsoDuration(string name) => ReadValue<TimeSpan>(name, Json.TryIsoDuration);

    public int? Int(string name) => ReadValue<int>(name, Json.TryInt);

    public int? Int(string name, string alternative) => Int(name) ?? Int(alternative);

    public JobDataObject? Object(string name) => Read<JobDataObject>(name, TryObject);

    public JobDataList? List(string name) => Read<JobDataList>(name, TryList);

    /// <summary>Any JSON value, as plain data (an object, a list, text, a number); one nested too deep is unreadable.</summary>
    public object? Any(string name) => Read<object>(name, JobData.TryFromJson);

    /// <summary>The raw JSON of a field, for fields whose shape varies (an error as text or as an object).</summary>
    public JsonElement? Raw(string name) => Json.Property(Item, name);

    /// <summary>The fields of a nested object (an absent one reads as empty); its unreadable fields are kept under "name.field".</summary>
    public JobFields? Nested(string name)
    {
        if (Json.Property(Item, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            MarkUnreadable(name, value);
            return null;
        }

        return new JobFields(value, _prefix + name + ".", _root ?? this);
    }

    /// <summary>Records a field whose value is there but makes no sense (an adapter's own check).</summary>
    public void MarkUnreadable(string name, JsonElement value) =>
        ((_root ?? this)._unreadable ??= new JobDataObject())[_prefix + name] = JobData.AsSent(value);

    /// <summary>
    /// Gives the job what was read besides its typed fields: the fields its provider does not document
    /// (one nested too deep is unreadable, as a documented one would be), and the unreadable values.
    /// </summary>
    public T Finish<T>(T job, FieldNames documented)
        where T : ProviderJob
    {
        JobDataObject? extras = null;
        foreach (var property in Item.EnumerateObject())
        {
            if (documented.Contains(property))
            {
                continue;
            }

            if (JobData.TryFromJson(property.Value, out var value))
            {
                (extras ??= new JobDataObject())[property.Name] = value;
            }
            else
            {
                MarkUnreadable(property.Name, property.Value);
            }
        }

        job.KeepExtras(extras);
        job.UnreadableFields = Unreadable;
        return job;
    }

    private delegate bool TryRead<T>(JsonElement value, out T result);

    private T? ReadValue<T>(string name, TryRead<T> read)
        where T : struct =>
        TryField(name, read, out var value) ? value : null;

    private T? Read<T>(string name, TryRead<T?> read)
        where T : class =>
        TryField(name, read, out var value) ? value : null;

    /// <summary>True with the value when the field is there and readable; an unreadable one is recorded.</summary>
    private bool TryField<T>(string name, TryRead<T> read, out T value)
    {
        value = default!;
        if (Json.Property(Item, name) is not { } raw)
        {
            return false;
        }

        if (read(raw, out value))
        {
            return true;
        }

        MarkUnreadable(name, raw);
        return false;
    }

    private static bool TryObject(JsonElement value, out JobDataObject? data)
    {
        data = value.ValueKind == JsonValueKind.Object && JobData.TryFromJson(value, out var copy) ? (JobDataObject?)copy : null;
        return data is not null;
    }

    private static bool TryList(JsonElement value, out JobDataList? data)
    {
        data = value.ValueKind == JsonValueKind.Array && JobData.TryFromJson(value, out var copy) ? (JobDataList?)copy : null;
        return data is not null;
    }

    private static bool TryString(JsonElement value, out string? text)
    {
        text = value.ValueKind is JsonValueKind.Object or JsonValueKind.Array ? null : Json.AsString(value);
        return text is not null;
    }
}
