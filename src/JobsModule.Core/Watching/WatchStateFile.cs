using JobsModule.Engine;

namespace JobsModule.Watching;

/// <summary>
/// A watch's state on disk (-StatePath), held for the whole run: a sidecar file <c>&lt;path&gt;.lock</c>
/// is opened exclusively, so a second run on the same file is refused while this one lasts (the lock
/// goes with the process, however it ends; the sidecar stays, empty). Each save writes a temporary file
/// in the same folder and moves it over the state in one step, so a run stopped mid-save leaves the
/// previous state whole. A file that cannot be read is refused and left exactly as it is.
/// </summary>
internal sealed class WatchStateFile : IDisposable
{
    // A state holds unfinished jobs only; anything this large is no state file of the module's.
    private const long LargestFile = 256L * 1024 * 1024;

    private readonly FileStream _lock;

    private WatchStateFile(string path, FileStream hold)
    {
        Path = path;
        _lock = hold;
    }

    public string Path { get; }

    /// <summary>
    /// Takes <paramref name="path"/> for this run and reads what it holds (null in <paramref name="state"/>
    /// when there is no file yet: a first run); null with the problem that ends the call instead.
    /// </summary>
    public static WatchStateFile? Open(string path, out WatchState? state, out Problem? problem)
    {
        state = null;
        if (Directory.Exists(path))
        {
            problem = new Problem(ProblemKind.WatchStateUnavailable, Strings.WatchStateUnavailable(path, reading: true, "it is a folder")) { Target = path, StopsCall = true };
            return null;
        }

        FileStream hold;
        try
        {
            hold = new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex is not DirectoryNotFoundException and not PathTooLongException)
        {
            problem = new Problem(ProblemKind.WatchStateInUse, Strings.WatchStateInUse(path)) { Target = path, StopsCall = true };
            return null;
        }
        catch (Exception ex) when (IsFileFailure(ex))
        {
            problem = Unavailable(path, ex, reading: true);
            return null;
        }

        var file = new WatchStateFile(path, hold);
        try
        {
            state = file.Load(out problem);
            if (problem is not null)
            {
                file.Dispose();
                return null;
            }

            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Writes <paramref name="state"/> in place of the previous one, in one step; the problem when it could not be.</summary>
    public Problem? Save(WatchState state)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        var temporary = System.IO.Path.Combine(folder, "." + System.IO.Path.GetFileName(Path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                WatchStateFormat.Write(state, stream);
                stream.Flush(flushToDisk: true);
            }

            // One step either way: a rename over the old file, or the first file put in place.
            if (File.Exists(Path))
            {
                File.Replace(temporary, Path, null);
            }
            else
            {
                File.Move(temporary, Path);
            }

            return null;
        }
        catch (Exception ex) when (IsFileFailure(ex))
        {
            TryDelete(temporary);
            return Unavailable(Path, ex, reading: false) with { StopsCall = false };
        }
    }

    public void Dispose() => _lock.Dispose();

    private WatchState? Load(out Problem? problem)
    {
        problem = null;
        byte[] bytes;
        try
        {
            if (!File.Exists(Path))
            {
                return null;
            }

            if (new FileInfo(Path).Length > LargestFile)
            {
                problem = Invalid(Path, "it is larger than any state file");
                return null;
            }

            bytes = File.ReadAllBytes(Path);
        }
        catch (Exception ex) when (IsFileFailure(ex))
        {
            problem = Unavailable(Path, ex, reading: true);
            return null;
        }

        var state = WatchStateFormat.Read(bytes, out var why);
        if (state is null)
        {
            problem = Invalid(Path, why!);
        }

        return state;
    }

    private static Problem Invalid(string path, string why) =>
        new(ProblemKind.WatchStateInvalid, Strings.WatchStateInvalid(path, why)) { Target = path, StopsCall = true };

    private static Problem Unavailable(string path, Exception failure, bool reading) =>
        new(ProblemKind.WatchStateUnavailable, Strings.WatchStateUnavailable(path, reading, failure switch
        {
            UnauthorizedAccessException => "access is denied",
            DirectoryNotFoundException => "its folder does not exist",
            PathTooLongException => "the path is too long",
            FileNotFoundException => "the file is gone",
            _ => "the file system refused it",
        }))
        { Target = path, StopsCall = true };

    private static bool IsFileFailure(Exception ex) => ex is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (IsFileFailure(ex))
        {
            // Left behind: a hidden temporary file the next save does not use.
        }
    }
}
