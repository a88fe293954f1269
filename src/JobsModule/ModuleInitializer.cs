using System.Reflection;
using System.Runtime.InteropServices;

namespace JobsModule;

/// <summary>
/// On Windows PowerShell 5.1 (.NET Framework) System.Text.Json and its dependencies are not in the
/// runtime, so they are loaded from the module's dependencies folder. PowerShell 7 has its own.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string DependencyFolder = Path.Combine(
        Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty, "dependencies");

    private static bool IsDesktop => RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    public void OnImport()
    {
        if (IsDesktop)
        {
            AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;
        }
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        if (IsDesktop)
        {
            AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;
        }
    }

    private static Assembly? ResolveDependency(object? sender, ResolveEventArgs args)
    {
        var path = Path.Combine(DependencyFolder, new AssemblyName(args.Name).Name + ".dll");
        return File.Exists(path) ? Assembly.LoadFrom(path) : null;
    }
}
