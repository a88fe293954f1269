#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests and demonstrates JobsModule.
.DESCRIPTION
    Build (the default) lays out out/JobsModule so that Import-Module ./out/JobsModule works,
    help included. Docs only turns docs/en-US into out/JobsModule/en-US (MAML and about topics).
    Test runs the xunit suite, then the Pester suite on PowerShell 7.6 (the local tool) and on PowerShell 7.4
    LTS (out/pwsh-7.4, built from tests/PowerShell74 when missing or out of date), and ends with one line:
    "N passed, N failed", counting every run. It first installs the contract tests' npm tools (Stoplight
    Prism) into tests/Contract/node_modules when they are missing.
    QuickTest is Test for the inner loop: it reuses the module, package, simulator and PowerShell 7.4 already
    built, and rebuilds them only when their sources are newer (xunit still builds incrementally, as dotnet test does).
    Demo runs a real pipeline against the built-in provider simulator.
    Package writes out/package: JobsModule.<version>.nupkg (for Install-PSResource from a local
    repository) and a JobsModule folder ready for Publish-PSResource.
    Bench builds in Release and runs the benchmark suite (tests/Benchmarks) against the simulator:
    a table of medians and ratios, and the figures in out/bench/results.json. -Smoke runs it at
    tiny sizes once, to check that it works.
    Mutation runs Stryker.NET (pinned in .config/dotnet-tools.json, settings in stryker-config.json) on
    src/JobsModule.Core with the xunit tests, 20 to 40 minutes on two busy cores, and writes the score and a
    per-file table to out/mutation (score.md, score.json, Stryker's HTML and JSON reports). It fails when
    the score is under 90 %, or a file with mutants is under 75 %. Not part of Test.
    Clean removes every build output.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'QuickTest', 'Demo', 'Docs', 'Package', 'Bench', 'Mutation', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Pester test files or folders to run, any number, separated by commas (default: every tests/*.Tests.ps1 but the runner's fixtures).
    [string[]] $TestPath,

    # Skip the xunit suite (for a quick Pester-only run).
    [switch] $SkipUnitTests,

    # The PowerShell versions to run the Pester suite on (default: both, as CI does).
    [ValidateSet('7.6', '7.4')]
    [string[]] $PowerShell = @('7.6', '7.4'),

    # Bench: tiny sizes and one run, a check that every scenario works rather than a measurement.
    [switch] $Smoke
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'JobsModule'
$SimulatorOut = Join-Path $Out 'simulator'
$ResultsOut = Join-Path $Out 'TestResults'
$ContractRoot = Join-Path $Root 'tests/Contract'
$PowerShell74Project = Join-Path $Root 'tests/PowerShell74'
$PowerShell74Out = Join-Path $Out 'pwsh-7.4'
$ToolManifest = Join-Path $Root '.config/dotnet-tools.json'

# Test files the Pester run on PowerShell 7.4 leaves out, and why (README, Building and testing, lists them too).
$LeftOutOn74 = [ordered]@{
    'Benchmark.Tests.ps1' = 'the benchmark suite runs on PowerShell 7.6 (build.ps1 -Task Bench; its minimal-cmdlet yardstick is built for .NET 10), and measures the import on 7.4 from there'
}

function Invoke-Native {
    # Runs a native command and stops the build when it fails. A plain function, so that
    # arguments such as -c and -o pass through to the command untouched.
    $command, $arguments = $args
    & $command @arguments
    if ($LASTEXITCODE -ne 0) { throw "'$command $($arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Get-ModuleVersion {
    # The one version source: <VersionPrefix> in Directory.Build.props.
    $props = [xml](Get-Content -Raw (Join-Path $Root 'Directory.Build.props'))
    $version = $props.Project.PropertyGroup | ForEach-Object { $_.SelectSingleNode('VersionPrefix') } | Where-Object { $_ } | Select-Object -First 1
    if (-not $version) { throw 'Directory.Build.props has no <VersionPrefix>.' }
    $version.InnerText.Trim()
}

function Build-Module {
    $version = Get-ModuleVersion
    $publish = Join-Path $Out 'publish'
    Write-Host "Building JobsModule $version ($Configuration)"
    Invoke-Native dotnet publish (Join-Path $Root 'src/JobsModule/JobsModule.csproj') -c $Configuration -o $publish --nologo -v quiet

    # Lay out the module: our assemblies beside the manifest, third-party ones under dependencies/
    # (loaded from there only on Windows PowerShell 5.1; PowerShell 7 uses its own).
    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $dependencies = New-Item -ItemType Directory -Force (Join-Path $ModuleOut 'dependencies')
    foreach ($file in Get-ChildItem $publish -File) {
        if ($file.Name -like 'JobsModule*' -and $file.Extension -ne '.json') {
            Copy-Item $file.FullName $ModuleOut
        }
        elseif ($file.Extension -eq '.dll' -and $file.Name -ne 'System.Management.Automation.dll') {
            Copy-Item $file.FullName $dependencies
        }
    }

    $manifest = Get-Content -Raw (Join-Path $Root 'JobsModule.psd1')
    $manifest = $manifest -replace "ModuleVersion(\s*)=(\s*)'[^']*'", "ModuleVersion`$1=`$2'$version'"
    $notes = (Get-ReleaseNotes $version) -replace "'", "''"
    # A script block, not a replacement string: the notes hold `$_` and the like, which a replacement string would expand.
    $manifest = $manifest -replace "ReleaseNotes(\s*)=(\s*)''", { "ReleaseNotes$($_.Groups[1].Value)=$($_.Groups[2].Value)'$notes'" }
    Set-Content -Path (Join-Path $ModuleOut 'JobsModule.psd1') -Value $manifest -Encoding utf8NoBOM
    # The licence travels with the module, as the manifest's LicenseUri says, so the package carries it too.
    Copy-Item (Join-Path $Root 'LICENSE') $ModuleOut

    Invoke-Docs
    Build-Simulator
    Write-Host "Module laid out in $ModuleOut"
}

function Build-Simulator {
    Write-Host 'Building the provider simulator'
    Invoke-Native dotnet build (Join-Path $Root 'tests/ProviderSimulator/ProviderSimulator.csproj') -c $Configuration -o $SimulatorOut --nologo -v quiet
}

function Get-ModuleSource {
    # What the laid-out module is made from.
    @('src', 'docs', 'JobsModule.psd1', 'CHANGELOG.md', 'Directory.Build.props', 'LICENSE') | ForEach-Object { Join-Path $Root $_ }
}

function Test-Stale {
    # True when $Output is missing, or any file under $Source (files or folders; bin and obj left out) is newer.
    param([string] $Output, [string[]] $Source)
    if (-not (Test-Path $Output)) { return $true }
    $built = (Get-Item $Output).LastWriteTimeUtc
    $files = Get-ChildItem $Source -File -Recurse | Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' }
    [bool]($files | Where-Object LastWriteTimeUtc -gt $built | Select-Object -First 1)
}

function Get-ReleaseNotes {
    # The CHANGELOG.md section of this version, for the manifest's ReleaseNotes.
    param([string] $Version)
    $changelog = Get-Content -Raw (Join-Path $Root 'CHANGELOG.md')
    if ($changelog -match "(?ms)^## \[$([regex]::Escape($Version))\][^\n]*\n(.*?)(?=^## \[|\z)") { return $Matches[1].Trim() }
    throw "CHANGELOG.md has no section for $Version."
}

function Invoke-Package {
    Build-Module
    $package = Join-Path $Out 'package'
    if (Test-Path $package) { Remove-Item $package -Recurse -Force }
    $null = New-Item -ItemType Directory -Force $package
    Copy-Item $ModuleOut (Join-Path $package 'JobsModule') -Recurse
    $nupkg = Compress-PSResource -Path $ModuleOut -DestinationPath $package -PassThru
    Write-Host "Package: $($nupkg.FullName); folder for Publish-PSResource: $(Join-Path $package 'JobsModule')"
}

function Invoke-Docs {
    # platyPS's New-ExternalHelp where it is installed, else the small converter the build carries.
    Import-Module (Join-Path $Root 'src/Build/HelpConverter.psm1') -Force
    $help = New-JobsModuleHelp -MarkdownPath (Join-Path $Root 'docs/en-US') -OutputPath (Join-Path $ModuleOut 'en-US')
    Write-Host "Help written: $(@($help).Name -join ', ')"
}

function Get-PesterModulePath {
    $tools = Join-Path $Root 'tests/Tools/Tools.csproj'
    $pesterVersion = ([xml](Get-Content -Raw $tools)).Project.ItemGroup.PackageDownload |
        Where-Object Include -eq 'Pester' | ForEach-Object { $_.Version.Trim('[', ']') }
    Invoke-Native dotnet restore $tools --nologo -v quiet
    $packages = $env:NUGET_PACKAGES
    if (-not $packages) {
        $packages = (dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    }
    $path = Join-Path $packages.Trim() "pester/$pesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $path)) { throw "Pester $pesterVersion was not restored to $path." }
    $path
}

function Get-PowerShell76Version {
    # The PowerShell that .config/dotnet-tools.json pins: dotnet pwsh.
    (Get-Content -Raw $ToolManifest | ConvertFrom-Json).tools.powershell.version
}

function Get-PowerShell74Version {
    # The Microsoft.PowerShell.SDK that tests/PowerShell74 is built on.
    $project = [xml](Get-Content -Raw (Join-Path $PowerShell74Project 'PowerShell74.csproj'))
    $version = $project.Project.ItemGroup.PackageReference | Where-Object Include -eq 'Microsoft.PowerShell.SDK' | ForEach-Object Version
    if (-not $version) { throw 'tests/PowerShell74/PowerShell74.csproj references no Microsoft.PowerShell.SDK.' }
    $version
}

function Get-PowerShell76Home {
    # $PSHOME of the PowerShell 7.6 tool, asked of the tool itself.
    $toolHome = & dotnet tool run pwsh -NoLogo -NoProfile -NonInteractive -Command '$PSHOME'
    if ($LASTEXITCODE -ne 0 -or -not $toolHome) { throw 'dotnet tool run pwsh did not say where PowerShell 7.6 is (run dotnet tool restore).' }
    "$toolHome".Trim()
}

function Invoke-OwnModulePath {
    # A pwsh started from here inherits this PowerShell's PSModulePath, 7.6's own modules folder included:
    # without it, the child finds only its own built-in modules, as on a machine where it is the only PowerShell.
    param([scriptblock] $Script)
    $saved = $env:PSModulePath
    Remove-Item env:PSModulePath -ErrorAction Ignore
    try { & $Script }
    finally { $env:PSModulePath = $saved }
}

function Get-PowerShell74 {
    <# out/pwsh-7.4, built when missing or older than its project or the 7.6 tool it takes its modules from; returns its pwsh. #>
    $stamp = Join-Path $PowerShell74Out 'built.txt'
    if (Test-Stale $stamp @($PowerShell74Project, $ToolManifest)) { Build-PowerShell74 }
    Join-Path $PowerShell74Out $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
}

function Build-PowerShell74 {
    # PowerShell 7.4 LTS from NuGet alone: the SDK's console host, self-contained on the .NET 8 runtime pack.
    $version = Get-PowerShell74Version
    Write-Host "Building PowerShell $version (.NET 8) into $PowerShell74Out"
    if (Test-Path $PowerShell74Out) { Remove-Item $PowerShell74Out -Recurse -Force }
    Invoke-Native dotnet publish (Join-Path $PowerShell74Project 'PowerShell74.csproj') -c Release -o $PowerShell74Out --nologo -v quiet

    # The SDK brings the built-in cmdlets' assemblies, not the module manifests that load them: those come from
    # the 7.6 tool (the same modules, whose lists of cmdlets only add 7.6's few), and so do ThreadJob and
    # PSResourceGet, netstandard2.0 modules that 7.4 ships in older versions.
    $source = Join-Path (Get-PowerShell76Home) 'Modules'
    $modules = Join-Path $PowerShell74Out 'Modules'
    foreach ($name in 'Microsoft.PowerShell.Management', 'Microsoft.PowerShell.Utility', 'Microsoft.PowerShell.Security', 'Microsoft.PowerShell.Host') {
        $folder = New-Item -ItemType Directory -Force (Join-Path $modules $name)
        Copy-Item (Join-Path $source "$name/$name.psd1") $folder
    }
    foreach ($name in 'Microsoft.PowerShell.ThreadJob', 'Microsoft.PowerShell.PSResourceGet') {
        Copy-Item (Join-Path $source $name) $modules -Recurse
    }

    # It must be the version it was built as, on .NET 8.
    $pwsh = Join-Path $PowerShell74Out $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
    $reported = Invoke-OwnModulePath {
        & $pwsh -NoLogo -NoProfile -NonInteractive -Command '"PowerShell $($PSVersionTable.PSVersion) on $([Runtime.InteropServices.RuntimeInformation]::FrameworkDescription)"'
    }
    if ($LASTEXITCODE -ne 0 -or "$reported" -notmatch "^PowerShell $([regex]::Escape($version)) on \.NET 8\.") {
        throw "The PowerShell built in $PowerShell74Out says '$reported', not PowerShell $version on .NET 8."
    }
    Set-Content -LiteralPath (Join-Path $PowerShell74Out 'built.txt') -Value $reported -Encoding utf8NoBOM
    Write-Host "Built $reported"
}

function Install-ContractTools {
    # tests/Contract.Tests.ps1 runs Stoplight Prism from tests/Contract/node_modules. npm ci installs
    # exactly what package-lock.json pins; it starts by deleting node_modules, so it runs only when the
    # folder is missing or older than the lock file, and a warm run costs nothing.
    $modules = Join-Path $ContractRoot 'node_modules'
    $lock = Join-Path $ContractRoot 'package-lock.json'
    if ((Test-Path $modules) -and (Get-Item $modules).LastWriteTimeUtc -ge (Get-Item $lock).LastWriteTimeUtc) { return }
    Write-Host 'Installing the contract test tools (npm ci)'
    # --ignore-scripts: the only install script in the tree is a telemetry ping; Prism needs none.
    Invoke-Native npm ci --prefix $ContractRoot --no-audit --no-fund --ignore-scripts --loglevel error
    # npm ci may keep the folder's own time; touch it so the next run sees it as newer than the lock.
    (Get-Item $modules).LastWriteTimeUtc = [datetime]::UtcNow
}

function Invoke-Test {
    # -Quick (the QuickTest task) reuses what is built and rebuilds only what its sources have changed
    # since; Test, what CI runs, builds everything from the start.
    param([switch] $Quick)
    if (-not $Quick) { Invoke-Package }
    elseif (Test-Stale (Join-Path $Out 'package/JobsModule/JobsModule.psd1') (Get-ModuleSource)) { Invoke-Package }
    elseif (Test-Stale (Join-Path $SimulatorOut 'ProviderSimulator.dll') (Join-Path $Root 'tests/ProviderSimulator')) { Build-Simulator }
    Install-ContractTools
    if (Test-Path $ResultsOut) { Remove-Item $ResultsOut -Recurse -Force }
    $null = New-Item -ItemType Directory -Force $ResultsOut
    # Counting lives in tests/TestRun.psm1, shared with the Pester runner and tested by tests/TestRunner.Tests.ps1.
    Import-Module (Join-Path $Root 'tests/TestRun.psm1') -Force
    $runs = [System.Collections.Generic.List[object]]::new()

    if (-not $SkipUnitTests) {
        Write-Host 'Running xunit tests'
        $trx = Join-Path $ResultsOut 'xunit.trx'
        # A test that hangs fails the run after ten minutes, naming itself, instead of holding it until CI's own limit.
        & dotnet test (Join-Path $Root 'tests/JobsModule.Tests/JobsModule.Tests.csproj') -c $Configuration --nologo `
            --blame-hang-timeout 10m --blame-hang-dump-type none `
            --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal'
        $exitCode = $LASTEXITCODE
        $read = Read-RunCount { Read-TrxCount $trx }
        $runs.Add((Resolve-TestRun -Name xunit -Count $read.Count -ExitCode $exitCode -Reason $read.Reason))
    }

    # Pester runs in a child pwsh, once on each PowerShell, so the built module is imported fresh, as a user
    # would, and never locked here. The 7.4 host is built first, as every other tool is.
    $fixtures = Join-Path $Root 'tests/RunnerFixture'
    $paths = if ($TestPaths) { $TestPaths } else { @(Join-Path $Root 'tests') }
    # The runner's fixtures fail on purpose: they run only when asked for by name.
    $exclude = @(if (-not ($paths | Where-Object { $_.StartsWith($fixtures, [StringComparison]::OrdinalIgnoreCase) })) { Join-Path $fixtures '*' })
    $pesterPath = Get-PesterModulePath
    $pwsh74 = Get-PowerShell74
    $hosts = [ordered]@{
        '7.6' = @{ Version = Get-PowerShell76Version; Command = @('dotnet', 'tool', 'run', 'pwsh') }
        '7.4' = @{ Version = Get-PowerShell74Version; Command = @($pwsh74) }
    }
    # Every run knows both PowerShells: the compatibility test reads 7.4's assemblies, the benchmark's smoke run starts each.
    $hostPaths = [ordered]@{ PowerShell76Path = Join-Path (Get-PowerShell76Home) 'pwsh.dll'; PowerShell74Path = $pwsh74 }
    foreach ($minor in $hosts.Keys) {
        if ($minor -notin $PowerShell) { continue }
        $name = "Pester $minor"
        $runPaths = $paths
        $runExclude = $exclude
        if ($minor -eq '7.4') {
            foreach ($file in $LeftOutOn74.Keys) { Write-Host "$name leaves out tests/$($file): $($LeftOutOn74[$file])." }
            $runExclude += @($LeftOutOn74.Keys | ForEach-Object { Join-Path $Root "tests/$_" })
            $runPaths = @($paths | Where-Object { (Split-Path $_ -Leaf) -notin $LeftOutOn74.Keys })
            if (-not $runPaths) {
                Write-Host "$name is not started: every test file asked for is left out on PowerShell 7.4."
                continue
            }
        }
        $runs.Add((Invoke-PesterSuite -Name $name -Version $hosts[$minor].Version -Command $hosts[$minor].Command -PesterPath $pesterPath `
                    -TestPath $runPaths -ExcludePath $runExclude -HostPath $hostPaths))
    }

    $report = Get-TestRunReport $runs
    foreach ($line in $report.Lines) { Write-Host $line }
    if ($report.Failed -gt 0) { exit 1 }
}

function Invoke-PesterSuite {
    <#
    One Pester run (tests/Invoke-PesterRun.ps1) in a child pwsh started by -Command; returns it counted, as
    tests/TestRun.psm1 counts: a run that did not start, wrote no counts or ran on another PowerShell than
    -Version is a failure, never zero. Its settings go through a file, so that any number of paths arrive as they are.
    #>
    param(
        [string] $Name, [string] $Version, [string[]] $Command, [string] $PesterPath,
        [string[]] $TestPath, [string[]] $ExcludePath, [System.Collections.IDictionary] $HostPath
    )
    $folder = Join-Path $ResultsOut ($Name.ToLowerInvariant() -replace ' ', '-')
    $null = New-Item -ItemType Directory -Force $folder
    $summary = Join-Path $folder 'summary.json'
    $settings = Join-Path $folder 'settings.json'
    $values = [ordered]@{
        Name          = $Name
        PesterPath    = $PesterPath
        TestPath      = @($TestPath)
        ExcludePath   = @($ExcludePath)
        ModulePath    = $ModuleOut
        SimulatorPath = Join-Path $SimulatorOut 'ProviderSimulator.dll'
        SummaryPath   = $summary
        ResultsPath   = $folder
    }
    foreach ($key in $HostPath.Keys) { $values[$key] = $HostPath[$key] }
    $values | ConvertTo-Json | Set-Content -LiteralPath $settings -Encoding utf8NoBOM

    Write-Host "Running Pester tests on PowerShell $Version"
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $noColor = $env:NO_COLOR
    $env:NO_COLOR = '1'
    $exitCode = $null
    $failure = $null
    try {
        Invoke-OwnModulePath {
            & $Command[0] @($Command | Select-Object -Skip 1) -NoLogo -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Invoke-PesterRun.ps1') -SettingsPath $settings | Out-Host
        }
        $exitCode = $LASTEXITCODE
    }
    catch {
        $failure = "PowerShell $Version did not start: $($_.Exception.Message)"
    }
    finally {
        $env:NO_COLOR = $noColor
    }
    Write-Host ("{0} took {1:0} s" -f $Name, $clock.Elapsed.TotalSeconds)
    $read = if ($failure) { [pscustomobject]@{ Count = $null; Reason = $failure } } else { Read-RunCount { Read-PesterSummary $summary -PowerShellVersion $Version } }
    Resolve-TestRun -Name $Name -Count $read.Count -ExitCode ([int]$exitCode) -Reason $read.Reason
}

function Read-RunCount {
    # The counts a reader returns, or $null and why not: a missing or unreadable result is a failed run, never zero.
    param([scriptblock] $Reader)
    try { [pscustomobject]@{ Count = & $Reader; Reason = $null } }
    catch { [pscustomobject]@{ Count = $null; Reason = $_.Exception.Message } }
}

function Invoke-Demo {
    Build-Module
    & dotnet tool run pwsh -NoLogo -NoProfile -File (Join-Path $Root 'tests/Demo.ps1') `
        -ModulePath $ModuleOut -SimulatorPath (Join-Path $SimulatorOut 'ProviderSimulator.dll') -OutputPath (Join-Path $Out 'demo')
    if ($LASTEXITCODE -ne 0) { throw "The demo failed with exit code $LASTEXITCODE." }
}

function Invoke-Bench {
    if ($Configuration -ne 'Release') { throw 'Benchmarks measure the Release build: leave -Configuration at Release.' }
    Build-Module
    $bench = Join-Path $Out 'bench'
    Write-Host 'Building the bare HttpClient client the throughput is compared with'
    Invoke-Native dotnet build (Join-Path $Root 'tests/Benchmarks/BareClient/BareClient.csproj') -c Release -o (Join-Path $bench 'bareclient') --nologo -v quiet
    Write-Host 'Building the minimal cmdlet the throughput is compared with'
    Invoke-Native dotnet build (Join-Path $Root 'tests/Benchmarks/MinimalCmdlet/MinimalCmdlet.csproj') -c Release -o (Join-Path $bench 'minimalcmdlet') --nologo -v quiet
    # A child pwsh, so that the module is imported fresh and this process's state does not count.
    $arguments = @('-ModulePath', $ModuleOut, '-SimulatorPath', (Join-Path $SimulatorOut 'ProviderSimulator.dll'),
        '-BareClientPath', (Join-Path $bench 'bareclient/BareClient.dll'), '-MinimalCmdletPath', (Join-Path $bench 'minimalcmdlet/MinimalCmdlet.dll'),
        '-ResultPath', (Join-Path $bench 'results.json'), '-PowerShellPath', ((Join-Path (Get-PowerShell76Home) 'pwsh.dll'), (Get-PowerShell74) -join ','))
    if ($Smoke) { $arguments += '-Smoke' }
    & dotnet tool run pwsh -NoLogo -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Benchmarks/Invoke-Benchmark.ps1') @arguments
    if ($LASTEXITCODE -ne 0) { throw "The benchmarks failed with exit code $LASTEXITCODE." }
}

function Invoke-Mutation {
    # Stryker.NET (pinned in .config/dotnet-tools.json, settings in stryker-config.json) mutates
    # src/JobsModule.Core and runs the xunit tests against each mutant. It runs from the test project's
    # folder: at the root it would find JobsModule.sln and mutate every project in it.
    $mutation = Join-Path $Out 'mutation'
    if (Test-Path $mutation) { Remove-Item $mutation -Recurse -Force }
    Invoke-Native dotnet tool restore
    Push-Location (Join-Path $Root 'tests/JobsModule.Tests')
    try {
        Invoke-Native dotnet tool run dotnet-stryker --config-file (Join-Path $Root 'stryker-config.json') --skip-version-check --output $mutation
    }
    finally {
        Pop-Location
    }

    $report = Get-ChildItem $mutation -Recurse -Filter 'mutation-report.json' | Select-Object -First 1
    if (-not $report) { throw "Stryker wrote no mutation-report.json under $mutation." }
    Import-Module (Join-Path $Root 'src/Build/MutationScore.psm1') -Force
    $score = Get-MutationScore $report.FullName
    $table = Format-MutationScore $score
    $score | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath (Join-Path $mutation 'score.json') -Encoding utf8NoBOM
    $table | Set-Content -LiteralPath (Join-Path $mutation 'score.md') -Encoding utf8NoBOM
    $table | ForEach-Object { Write-Host $_ }
    Write-Host "Mutation score $($score.Total.Score) % ($($score.Total.CoveredScore) % of covered code); report: $($report.DirectoryName)"

    # The targets: 90 % overall, and no file that holds logic (has mutants to test) under 75 %.
    $missed = @(Get-MutationTargetMiss $score)
    if ($missed) { throw "Mutation testing missed its targets: $($missed -join '; ')." }
}

function Invoke-Clean {
    # node_modules goes first, so that the search for bin and obj folders does not walk through it.
    $contractModules = Join-Path $ContractRoot 'node_modules'
    if (Test-Path $contractModules) { Remove-Item $contractModules -Recurse -Force }
    foreach ($path in @($Out) + (Get-ChildItem (Join-Path $Root 'src'), (Join-Path $Root 'tests') -Directory -Recurse -Include bin, obj).FullName) {
        if ($path -and (Test-Path $path)) { Remove-Item $path -Recurse -Force }
    }
    Write-Host 'Cleaned.'
}

# -TestPath is relative to where build.ps1 was called from; each must exist (a folder, a file or a wildcard).
# From a shell (dotnet pwsh ./build.ps1 -TestPath a,b) the list arrives as one string, so commas separate paths.
$TestPaths = @(foreach ($path in $TestPath -split ',') { if ($path.Trim()) { (Resolve-Path -Path $path.Trim()).Path } })

Push-Location $Root
try {
    switch ($Task) {
        'Build' { Build-Module }
        'Docs' { Invoke-Docs }
        'Package' { Invoke-Package }
        'Test' { Invoke-Test }
        'QuickTest' { Invoke-Test -Quick }
        'Demo' { Invoke-Demo }
        'Bench' { Invoke-Bench }
        'Mutation' { Invoke-Mutation }
        'Clean' { Invoke-Clean }
    }
}
finally {
    Pop-Location
}
