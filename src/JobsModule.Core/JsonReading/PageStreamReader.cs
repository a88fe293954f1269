using System.Buffers;
using System.Text.Json;
using JobsModule.Accounts;

namespace JobsModule.JsonReading;

/// <summary>
/// Reads one list page from the response stream as it arrives. Each item of the page's array is handed
/// on as soon as its last byte is in, parsed on its own (a small document that is gone once the item is
/// read), so the first job of a page is written while the rest is still on its way and no copy or
/// document of the whole body is ever held. The page's other top-level fields are kept for the route
/// to say where the next page is.
/// </summary>
internal sealed class PageStreamReader
{
    private const int FirstBufferSize = 16 * 1024;

    private readonly string? _itemsProperty;
    private readonly Action<JsonElement, JobDataObject?> _onItem;
    private readonly Redactor _redactor;
    private readonly Dictionary<string, JsonElement> _fields = new(StringComparer.Ordinal);
    private JsonReaderState _state = new(ServerJson.ReaderOptions);
    private Phase _phase;
    private bool _sawItems;
    private int _itemCount;
    private byte[] _lastItem = Array.Empty<byte>();
    private int _lastItemLength;

    private PageStreamReader(string? itemsProperty, Action<JsonElement, JobDataObject?> onItem, Redactor redactor)
    {
        _itemsProperty = itemsProperty;
        _onItem = onItem;
        _redactor = redactor;
    }

    private enum Phase
    {
        Start,
        Envelope,
        Items,
        Done,
    }

    /// <summary>
    /// Reads the page: <paramref name="onItem"/> is called on the reading thread for each item, in order,
    /// with an element that is valid only during the call (its strings and names already taken through
    /// <paramref name="redactor"/>) and the item's fields that nest too deep to be in it (see
    /// <see cref="ServerJson.ParseJob"/>), and <paramref name="onBytesUsed"/> each time the bytes read so
    /// far have been used up (before waiting for more). Throws <see cref="JsonException"/> (the reader's) or
    /// <see cref="NotJsonException"/> (empty, cut short, more after the end) for a body that is not JSON,
    /// and <see cref="ProviderResponseShapeException"/> for JSON of the wrong shape; the items before the
    /// fault have been handed on. No depth costs the page.
    /// </summary>
    public static async Task<PageEnvelope> ReadAsync(
        Stream stream, string? itemsProperty, Action<JsonElement, JobDataObject?> onItem, CancellationToken token, Action? onBytesUsed = null, Redactor? redactor = null)
    {
        var reader = new PageStreamReader(itemsProperty, onItem, redactor ?? Redactor.None);
        var buffer = ArrayPool<byte>.Shared.Rent(FirstBufferSize);
        var start = 0;
        var end = 0;
        var final = false;
        try
        {
            while (true)
            {
                if (!final)
                {
                    if (end == buffer.Length)
                    {
                        buffer = MakeRoom(buffer, ref start, ref end);
                    }

                    var read = await stream.ReadAsync(buffer, end, buffer.Length - end, token).ConfigureAwait(false);
                    final = read == 0;
                    end += read;
                }

                start += reader.Process(buffer, start, end - start);
                onBytesUsed?.Invoke();
                if (reader._phase == Phase.Done)
                {
                    await EnsureNothingFollowsAsync(stream, buffer, start, end, final, token).ConfigureAwait(false);
                    return reader.Envelope();
                }

                if (final)
                {
                    // Everything has arrived and the JSON is not over: the body was cut short.
                    throw new NotJsonException(reader._phase == Phase.Start ? "the body is empty" : "the body ends before its JSON does");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads the page as above, for a caller that needs only each item's element (fields too deep for it are left out).</summary>
    public static Task<PageEnvelope> ReadAsync(Stream stream, string? itemsProperty, Action<JsonElement> onItem, CancellationToken token, Action? onBytesUsed = null, Redactor? redactor = null) =>
        ReadAsync(stream, itemsProperty, (item, _) => onItem(item), token, onBytesUsed, redactor);

    /// <summary>A body that goes on after its JSON value (anything but white space) is not JSON either.</summary>
    private static async Task EnsureNothingFollowsAsync(Stream stream, byte[] buffer, int start, int end, bool final, CancellationToken token)
    {
        while (true)
        {
            for (var i = start; i < end; i++)
            {
                if (buffer[i] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                {
                    throw new NotJsonException("the body goes on after its JSON ends");
                }
            }

            if (final)
            {
                return;
            }

            start = 0;
            end = await stream.ReadAsync(buffer, 0, buffer.Length, token).ConfigureAwait(false);
            final = end == 0;
        }
    }

    /// <summary>Moves the unread bytes to the front, or doubles the buffer when they fill it (one item larger than the buffer).</summary>
    private static byte[] MakeRoom(byte[] buffer, ref int start, ref int end)
    {
        var pending = end - start;
        var target = start > 0 ? buffer : ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        Buffer.BlockCopy(buffer, start, target, 0, pending);
        if (!ReferenceEquals(target, buffer))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        start = 0;
        end = pending;
        return target;
    }

    private PageEnvelope Envelope()
    {
        JsonElement? last = null;
        if (_lastItemLength > 0)
        {
            using var document = ServerJson.ParseObject(new ReadOnlyMemory<byte>(_lastItem, 0, _lastItemLength), out _);
            last = document.RootElement.Clone();
        }

        return new PageEnvelope(_fields, _itemCount, last);
    }

    /// <summary>Reads what the bytes hold, a whole value at a time; returns how many bytes it used (the rest waits for more).</summary>
    private int Process(byte[] buffer, int offset, int count)
    {
        // Never the final block, even at the end of the body: a page is an object or an array, whose
        // last token ends it, and a body that stops short is then reported in the module's own words
        // (ReadAsync) instead of the JSON reader's.
        var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(buffer, offset, count), isFinalBlock: false, _state);
        while (_phase != Phase.Done)
        {
            var checkpoint = reader;
            if (!Step(ref reader, buffer, offset))
            {
                // Part of a value is still on its way: read it again, whole, once more has arrived.
                _state = checkpoint.CurrentState;
                return (int)checkpoint.BytesConsumed;
            }
        }

        _state = reader.CurrentState;
        return (int)reader.BytesConsumed;
    }

    /// <summary>One whole step: the start of the body, one envelope field, or one item. False when the bytes end inside it.</summary>
    private bool Step(ref Utf8JsonReader reader, byte[] buffer, int offset)
    {
        if (!reader.Read())
        {
            return false;
        }

        switch (_phase)
        {
            case Phase.Start:
                Begin(reader.TokenType);
                return true;
            case Phase.Envelope when reader.TokenType == JsonTokenType.EndObject:
                if (!_sawItems)
                {
                    throw new ProviderResponseShapeException($"expected a '{_itemsProperty}' property");
                }

                _phase = Phase.Done;
                return true;
            case Phase.Envelope:
                return ReadField(ref reader, buffer, offset);
            case Phase.Items when reader.TokenType == JsonTokenType.EndArray:
                _phase = _itemsProperty is null ? Phase.Done : Phase.Envelope;
                return true;
            default:
                return ReadItem(ref reader, buffer, offset);
        }
    }

    private void Begin(JsonTokenType token)
    {
        var expected = _itemsProperty is null ? JsonTokenType.StartArray : JsonTokenType.StartObject;
        if (token != expected)
        {
            throw new ProviderResponseShapeException($"expected the response to be a JSON {(_itemsProperty is null ? "array" : "object")} but found {Json.Describe(token)}");
        }

        _phase = _itemsProperty is null ? Phase.Items : Phase.Envelope;
        _sawItems = _itemsProperty is null;
    }

    /// <summary>An envelope field: the items array starts here, or any other field is kept whole.</summary>
    private bool ReadField(ref Utf8JsonReader reader, byte[] buffer, int offset)
    {
        var name = reader.GetString()!;
        if (!reader.Read())
        {
            return false;
        }

        if (name == _itemsProperty)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new ProviderResponseShapeException($"expected '{name}' to be a JSON array but found {Json.Describe(reader.TokenType)}");
            }

            _sawItems = true;
            _phase = Phase.Items;
            return true;
        }

        if (!TryValueBounds(ref reader, out var start, out var length))
        {
            return false;
        }

        // A page field too deep for a document is one no route reads: it is left out, as if it were not sent.
        using var document = ServerJson.ParseField(new ReadOnlyMemory<byte>(buffer, offset + start, length));
        if (document is not null)
        {
            _fields[name] = document.RootElement.Clone();
        }

        return true;
    }

    private bool ReadItem(ref Utf8JsonReader reader, byte[] buffer, int offset)
    {
        if (!TryValueBounds(ref reader, out var start, out var length))
        {
            return false;
        }

        _itemCount++;
        KeepAsLast(buffer, offset + start, length);
        using var document = ServerJson.ParseJob(new ReadOnlyMemory<byte>(buffer, offset + start, length), _redactor, out var tooDeep);
        _onItem(document.RootElement, tooDeep);
        return true;
    }

    /// <summary>Where the value at the reader starts and how long it is, once all of it is in; false when it is not yet.</summary>
    private static bool TryValueBounds(ref Utf8JsonReader reader, out int start, out int length)
    {
        start = (int)reader.TokenStartIndex;
        length = 0;
        if ((reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) && !reader.TrySkip())
        {
            return false;
        }

        length = (int)reader.BytesConsumed - start;
        return true;
    }

    // The route may need the last item (ittybit pages on with its id); a copy is cheap next to parsing it.
    private void KeepAsLast(byte[] buffer, int start, int length)
    {
        if (_lastItem.Length < length)
        {
            _lastItem = new byte[Math.Max(length, 256)];
        }

        Buffer.BlockCopy(buffer, start, _lastItem, 0, length);
        _lastItemLength = length;
    }
}
