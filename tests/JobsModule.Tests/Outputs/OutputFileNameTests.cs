using System.Globalization;
using System.Text;
using CsCheck;

namespace JobsModule.Tests;

/// <summary>The one rule for file names that come from outside: whatever a server or a URL says, a name that stays in its folder.</summary>
public class OutputFileNameTests
{
    private const long Iterations = 3000;

    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "jobsmodule-names", "Krea", "job");

    private static readonly string[] Reserved =
    {
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM\u00b9", "COM\u00b2", "COM\u00b3",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT\u00b9", "LPT\u00b2", "LPT\u00b3",
    };

    // Pieces a hostile or careless server puts in a name, mixed with ordinary text.
    private static readonly Gen<string> Piece = Gen.Frequency(
        (4, Gen.OneOf("..", "/", "\\", ".", " ", "CON", "nul", "com1", "Lpt\u00b9", "conout$", ":", "*", "?", "\"", "<", ">", "|",
            "\u202E", "\u200B", "\u2066", "\0", "\n", "\r", "\t", "\u007f", "\u0085", "\uD800", "\uDC00", "😀", "e\u0301", "é", "日本",
            "C:", "//server/share", "%2F", "a", "file", ".png", ".tar.gz", "~", "-", "$", "\u00A0", "\u3000")),
        (2, Gen.String),
        (1, Gen.Char.Array[150, 400].Select(chars => new string(chars))),
        (1, Gen.Char['a', 'z'].Array[200, 300].Select(chars => new string(chars) + ".json")));

    private static readonly Gen<string> Raw = Piece.Array[0, 8].Select(pieces => string.Concat(pieces));

    [Fact]
    public void Any_string_gives_a_safe_name_that_stays_inside_its_folder()
    {
        Raw.Sample(raw => AssertSafe(OutputFileName.Safe(raw, "output-1")), iter: Iterations);
    }

    [Fact]
    public void Any_job_id_gives_a_safe_folder_that_stays_inside_the_provider_folder()
    {
        Raw.Where(id => id.Length > 0).Sample(id =>
        {
            var folder = OutputFileName.SafeFolder(id);
            AssertSafe(folder);
            Assert.False(folder.StartsWith('.'), "a hidden folder: " + Show(folder));
        }, iter: Iterations);
    }

    [Fact]
    public void A_numbered_name_is_as_safe_and_the_rule_keeps_a_safe_name_as_it_is()
    {
        Gen.Select(Raw, Gen.Int[2, 10_000]).Sample((raw, number) =>
        {
            var name = OutputFileName.Safe(raw, "output-1");
            Assert.Equal(name, OutputFileName.Safe(name, "other"));
            var numbered = OutputFileName.Numbered(name, number);
            AssertSafe(numbered);
            Assert.NotEqual(name, numbered, StringComparer.OrdinalIgnoreCase);
        }, iter: Iterations);
    }

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("..\\..\\Windows\\win.ini", "win.ini")]
    [InlineData("C:\\Users\\x\\report.pdf", "report.pdf")]
    [InlineData("..", "output-1")]
    [InlineData("...", "output-1")]
    [InlineData("", "output-1")]
    [InlineData("dir/", "output-1")]
    [InlineData("CON", "_CON")]
    [InlineData("con.txt", "_con.txt")]
    [InlineData("LPT1 .png", "_LPT1 .png")]
    [InlineData("photo.png. . ", "photo.png")]
    [InlineData("  photo.png", "photo.png")]
    [InlineData("a\u202Egnp.exe", "a_gnp.exe")]
    [InlineData("line\nbreak\t.txt", "line_break_.txt")]
    [InlineData("what?.json", "what_.json")]
    [InlineData("Überblick 📄.webp", "Überblick 📄.webp")]
    [InlineData("e\u0301.png", "\u00e9.png")]
    public void Examples(string raw, string expected)
    {
        Assert.Equal(expected, OutputFileName.Safe(raw, "output-1"));
    }

    [Fact]
    public void A_long_name_is_cut_to_the_byte_limit_keeping_its_extension()
    {
        var name = OutputFileName.Safe(new string('日', 300) + ".json", "x");
        Assert.EndsWith(".json", name, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(name) <= OutputFileName.MaxBytes);
        Assert.True(Encoding.UTF8.GetByteCount(name) > OutputFileName.MaxBytes - 3, "cut as late as a whole character allows");

        // A surrogate pair is never split.
        var emoji = OutputFileName.Safe(string.Concat(Enumerable.Repeat("😀", 100)) + ".png", "x");
        Assert.EndsWith("😀.png", emoji, StringComparison.Ordinal);
    }

    [Fact]
    public void Numbering_goes_before_the_extension()
    {
        Assert.Equal("photo (2).png", OutputFileName.Numbered("photo.png", 2));
        Assert.Equal("README (10)", OutputFileName.Numbered("README", 10));
        Assert.Equal(".env (2)", OutputFileName.Numbered(".env", 2));
    }

    [Fact]
    public void A_folder_name_keeps_the_parts_of_an_id_with_separators()
    {
        Assert.Equal("a_b c_d", OutputFileName.SafeFolder("a/b c?d"));
        Assert.Equal("x_1", OutputFileName.SafeFolder("x\\1"));
        Assert.NotEqual(OutputFileName.SafeFolder("a/1"), OutputFileName.SafeFolder("b/1"));
        Assert.Equal("___.._a_b c", OutputFileName.SafeFolder("../../a/b c"));
        Assert.Equal("_hidden", OutputFileName.SafeFolder(".hidden"));
    }

    [Fact]
    public void The_end_of_a_URL_is_its_last_path_segment_unescaped()
    {
        Assert.Equal("a b.png", OutputFileName.FromUrl(new Uri("https://host/x/a%20b.png?sig=1")));
        Assert.Equal("../../evil.png", OutputFileName.FromUrl(new Uri("https://host/x/..%2F..%2Fevil.png")));
        Assert.Null(OutputFileName.FromUrl(new Uri("https://host/x/")));
        Assert.Equal("evil.png", OutputFileName.Safe(OutputFileName.FromUrl(new Uri("https://host/x/..%2F..%2Fevil.png")), "x"));
    }

    private static void AssertSafe(string name)
    {
        Assert.False(string.IsNullOrEmpty(name));
        Assert.True(name.IndexOfAny(new[] { '/', '\\', ':', '*', '?', '"', '<', '>', '|' }) < 0, Show(name));
        for (var i = 0; i < name.Length; i++)
        {
            var character = name[i];
            if (char.IsHighSurrogate(character))
            {
                Assert.True(i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]), "an unpaired surrogate in " + Show(name));
                i++;
                continue;
            }

            Assert.False(char.IsSurrogate(character), "an unpaired surrogate in " + Show(name));
            Assert.False(char.IsControl(character), "a control character in " + Show(name));
            Assert.NotEqual(UnicodeCategory.Format, CharUnicodeInfo.GetUnicodeCategory(character));
        }

        Assert.NotEqual(string.Empty, name.Trim('.'));
        Assert.False(name.EndsWith('.') || name.EndsWith(' ') || name.StartsWith(' '), Show(name));
        Assert.True(Encoding.UTF8.GetByteCount(name) <= OutputFileName.MaxBytes, Show(name));
        var dot = name.IndexOf('.');
        var stem = (dot < 0 ? name : name[..dot]).TrimEnd(' ').ToUpperInvariant();
        Assert.DoesNotContain(stem, Reserved);

        // Checked the way the saver checks it: on the resolved full path.
        var full = Path.GetFullPath(Path.Combine(Folder, name));
        Assert.Equal(Folder, Path.GetDirectoryName(full));
        Assert.StartsWith(Folder + Path.DirectorySeparatorChar, full, StringComparison.Ordinal);
    }

    private static string Show(string name) => "'" + string.Concat(name.Select(c => c < ' ' || c > '~' ? $"\\u{(int)c:x4}" : c.ToString())) + "'";
}
