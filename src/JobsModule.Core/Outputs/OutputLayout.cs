namespace JobsModule.Outputs;

/// <summary>
/// Where one call saves: &lt;root&gt;/&lt;provider&gt;/&lt;job id&gt;/&lt;file name&gt;, every part made safe by
/// <see cref="OutputFileName"/>, and the names each folder has given out in this call, so that two
/// outputs never get one name (the second is numbered). Used on the pipeline thread only.
/// </summary>
internal sealed class OutputLayout
{
    private readonly string _rootWithSeparator;

    // Case-insensitive: Windows and macOS would make "A.png" and "a.png" one file.
    private readonly Dictionary<string, HashSet<string>> _taken = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A layout under <paramref name="root"/>, a full path (the cmdlet resolves -Path).</summary>
    public OutputLayout(string root)
    {
        Root = Path.GetFullPath(root);
        _rootWithSeparator = Root.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? Root : Root + Path.DirectorySeparatorChar;
    }

    public string Root { get; }

    /// <summary>The folder of one job's outputs: &lt;root&gt;/&lt;provider&gt;/&lt;job id&gt;.</summary>
    public string JobFolder(string provider, string id) =>
        Path.Combine(Root, OutputFileName.SafeFolder(provider), OutputFileName.SafeFolder(id));

    /// <summary>
    /// The full path for an output that would be called <paramref name="name"/> (already safe) in
    /// <paramref name="folder"/>, numbered when another output of this call has that name there; null
    /// when the resolved path would not be inside the root, which a safe name never is (checked all the same).
    /// </summary>
    public string? Reserve(string folder, string name)
    {
        if (!_taken.TryGetValue(folder, out var names))
        {
            _taken[folder] = names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        }

        var candidate = name;
        for (var number = 2; !names.Add(candidate); number++)
        {
            candidate = OutputFileName.Numbered(name, number);
        }

        var path = Path.GetFullPath(Path.Combine(folder, candidate));
        return IsInside(path) ? path : null;
    }

    /// <summary>True when <paramref name="fullPath"/> is below the root (not the root itself).</summary>
    public bool IsInside(string fullPath) =>
        fullPath.Length > _rootWithSeparator.Length && fullPath.StartsWith(_rootWithSeparator, StringComparison.Ordinal);
}
