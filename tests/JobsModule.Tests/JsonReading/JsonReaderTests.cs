using System.Net;
using System.Text;

namespace JobsModule.Tests;

/// <summary>The tolerant JSON readers the adapters share: numbers and times in whatever form providers send them.</summary>
public class JsonReaderTests
{
    private delegate bool TryRead<T>(System.Text.Json.JsonElement value, out T result);

    /// <summary>The reader's value for the field, or null when the field is missing or the reader refuses it.</summary>
    private static T? Read<T>(string json, string field, TryRead<T> read)
        where T : struct
    {
        var root = TestListing.Parse(json);
        return root.ValueKind == System.Text.Json.JsonValueKind.Object && root.TryGetProperty(field, out var value) && read(value, out var result) ? result : null;
    }

    [Theory]
    [InlineData("""{"n":42}""", 42)]
    [InlineData("""{"n":-7}""", -7)]
    [InlineData("""{"n":41.6}""", 42)]
    [InlineData("""{"n":2.5}""", 2)]
    [InlineData("""{"n":3.5}""", 4)]
    [InlineData("""{"n":"17"}""", 17)]
    [InlineData("""{"n":"-3"}""", -3)]
    [InlineData("""{"n":"17.5"}""", 18)]
    [InlineData("""{"n":"seventeen"}""", null)]
    [InlineData("""{"n":""}""", null)]
    [InlineData("""{"n":true}""", null)]
    [InlineData("""{"n":[1]}""", null)]
    [InlineData("""{"n":null}""", null)]
    [InlineData("""{"m":1}""", null)]
    [InlineData("""[1]""", null)]
    public void Int_reads_whole_numbers_rounded_numbers_and_numeric_strings(string json, int? expected)
    {
        Assert.Equal(expected, Read<int>(json, "n", Json.TryInt));
    }

    [Theory]
    [InlineData("""{"n":3000000000}""")]
    [InlineData("""{"n":-3000000000}""")]
    [InlineData("""{"n":"99999999999999999999"}""")]
    public void Int_refuses_a_number_beyond_int_instead_of_wrapping_it(string json)
    {
        Assert.Null(Read<int>(json, "n", Json.TryInt));
    }

    [Theory]
    [InlineData("""{"t":1711900000000}""", "2024-03-31T15:46:40.0000000Z")]
    [InlineData("""{"t":1711900000123.9}""", "2024-03-31T15:46:40.1230000Z")]
    [InlineData("""{"t":"1711900000000"}""", "2024-03-31T15:46:40.0000000Z")]
    [InlineData("""{"t":"-1000"}""", "1969-12-31T23:59:59.0000000Z")]
    [InlineData("""{"t":"2024-03-31T17:46:40+02:00"}""", "2024-03-31T15:46:40.0000000Z")]
    [InlineData("""{"t":"2024-03-31T15:46:40Z"}""", "2024-03-31T15:46:40.0000000Z")]
    [InlineData("""{"t":"yesterday"}""", null)]
    [InlineData("""{"t":false}""", null)]
    [InlineData("""{"t":null}""", null)]
    [InlineData("""{"u":1}""", null)]
    [InlineData("""{"t":99999999999999999}""", null)]
    [InlineData("""{"t":-99999999999999999}""", null)]
    public void EpochMilliseconds_reads_numbers_numeric_strings_and_ISO_text(string json, string? expected)
    {
        var value = Read<DateTime>(json, "t", Json.TryEpochMilliseconds);

        Assert.Equal(expected, value?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        if (value is { } time)
        {
            Assert.Equal(DateTimeKind.Utc, time.Kind);
        }
    }
}

/// <summary>Error bodies are read up to 64 KB, in as many reads as the stream needs.</summary>
public class ErrorBodyReadingTests
{
    [Fact]
    public void An_error_body_that_arrives_in_small_pieces_is_read_whole()
    {
        var body = """{"error":"Invalid API key: the key was revoked on 2026-01-01 by an administrator"}""";
        var run = TestListing.Run(new KreaProvider(), new StubHandler((_, _) => Piecewise(body, 401, pieceSize: 7)));

        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.Authentication, error.Kind);
        Assert.Equal("Invalid API key: the key was revoked on 2026-01-01 by an administrator", error.ProviderMessage);
    }

    [Fact]
    public void A_plain_text_error_that_arrives_in_pieces_is_shown_shortened()
    {
        var body = string.Concat(Enumerable.Range(0, 100).Select(i => i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)));
        var run = TestListing.Run(new KreaProvider(), new StubHandler((_, _) => Piecewise(body, 400, pieceSize: 13)));

        var error = run.Failure();
        Assert.Equal(body.Substring(0, 300) + "...", error.ProviderMessage);
    }

    [Fact]
    public void Only_the_first_64_KB_of_an_error_body_are_read()
    {
        // 64 KB of text, then a JSON body that would give a message if it were read: it is not.
        var body = new string('x', 64 * 1024) + """{"error":"hidden"}""";
        var stream = new CountingStream(Encoding.UTF8.GetBytes(body), pieceSize: 4096);
        var run = TestListing.Run(new KreaProvider(), new StubHandler((_, _) => new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StreamContent(stream) }));

        var error = run.Failure();
        Assert.Equal(new string('x', 300) + "...", error.ProviderMessage);
        Assert.Equal(64 * 1024, stream.BytesRead);
    }

    private static HttpResponseMessage Piecewise(string body, int status, int pieceSize) =>
        new((HttpStatusCode)status) { Content = new StreamContent(new CountingStream(Encoding.UTF8.GetBytes(body), pieceSize)) };

    /// <summary>A stream that hands out at most a few bytes per read, as a slow network does, and counts what was read.</summary>
    private sealed class CountingStream : MemoryStream
    {
        private readonly int _pieceSize;

        public CountingStream(byte[] bytes, int pieceSize)
            : base(bytes)
        {
            _pieceSize = pieceSize;
        }

        public int BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Counted(base.Read(buffer, offset, Math.Min(count, _pieceSize)));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Counted(base.Read(buffer.Span[..Math.Min(buffer.Length, _pieceSize)])));

        private int Counted(int read)
        {
            BytesRead += read;
            return read;
        }
    }
}
