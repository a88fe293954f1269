namespace PowerShell74;

/// <summary>The pwsh console host, as the PowerShell SDK provides it.</summary>
public static class Program
{
    public static int Main(string[] args) => Microsoft.PowerShell.UnmanagedPSEntry.Start(args, args.Length);
}
