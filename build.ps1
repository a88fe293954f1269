#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests and demonstrates JobsModule.
.DESCRIPTION
    Build (the default) lays out out/JobsModule so that Import-Module ./out/JobsModule works,
    help included. Docs only turns docs/en-US into out/JobsModule/en-US (MAML and about topics).
    Test runs the xunit and Pester suites and ends with one line: "N passed, N failed". It first installs
    the contract tests' npm tools (Stoplight Prism) into tests/Contract/node_modules when they are missing.
    Demo runs a real pipeline against the built-in provider simulator.
    Package writes out/package: JobsModule.<version>.nupkg (for Install-PSResource from a local
    repository) and a JobsModule folder ready for Publish-PSResource.
    Bench builds in Release and runs the benchmark suite (tests/Benchmarks) against the simulator:
    a table of medians and ratios, and the figures in out/bench/results.json. -Smoke runs it at
    tiny sizes once, to check that it works.
    Clean removes every build output.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Docs', 'Package', 'Bench', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Pester test files or folders to run (default: every tests/*.Tests.ps1).
    [string[]] $TestPath,

    # Skip the xunit suite (for a quick Pester-only run).
    [switch] $SkipUnitTests,

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

function Invoke-Build {
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
    $manifest = $manifest -replace "ReleaseNotes(\s*)=(\s*)''", "ReleaseNotes`$1=`$2'$notes'"
    Set-Content -Path (Join-Path $ModuleOut 'JobsModule.psd1') -Value $manifest -Encoding utf8NoBOM
    # The licence travels with the module, as the manifest's LicenseUri says, so the package carries it too.
    Copy-Item (Join-Path $Root 'LICENSE') $ModuleOut

    Invoke-Docs

    Write-Host 'Building the provider simulator'
    Invoke-Native dotnet build (Join-Path $Root 'tests/ProviderSimulator/ProviderSimulator.csproj') -c $Configuration -o $SimulatorOut --nologo -v quiet
    Write-Host "Module laid out in $ModuleOut"
}

function Get-ReleaseNotes {
    # The CHANGELOG.md section of this version, for the manifest's ReleaseNotes.
    param([string] $Version)
    $changelog = Get-Content -Raw (Join-Path $Root 'CHANGELOG.md')
    if ($changelog -match "(?ms)^## \[$([regex]::Escape($Version))\][^\n]*\n(.*?)(?=^## \[|\z)") { return $Matches[1].Trim() }
    throw "CHANGELOG.md has no section for $Version."
}

function Invoke-Package {
    Invoke-Build
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

function Get-TrxCount {
    param([string] $Path)
    $counters = ([xml](Get-Content -Raw $Path)).TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout }
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
    Invoke-Package
    Install-ContractTools
    if (Test-Path $ResultsOut) { Remove-Item $ResultsOut -Recurse -Force }
    $null = New-Item -ItemType Directory -Force $ResultsOut
    $passed = 0
    $failed = 0

    if (-not $SkipUnitTests) {
        Write-Host 'Running xunit tests'
        $trx = Join-Path $ResultsOut 'xunit.trx'
        & dotnet test (Join-Path $Root 'tests/JobsModule.Tests/JobsModule.Tests.csproj') -c $Configuration --nologo `
            --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal'
        if (Test-Path $trx) {
            $unit = Get-TrxCount $trx
            $passed += $unit.Passed
            $failed += $unit.Failed
        }
        else {
            Write-Host 'xunit produced no results.'
            $failed += 1
        }
    }

    # Pester runs in a child pwsh, so the built module is imported fresh, as a user would, and never locked here.
    Write-Host 'Running Pester tests'
    $pester = Get-PesterModulePath
    $summary = Join-Path $ResultsOut 'pester-summary.json'
    $paths = if ($TestPath) { $TestPath | ForEach-Object { (Resolve-Path $_).Path } } else { @(Join-Path $Root 'tests') }
    $runner = Join-Path $Root 'tests/Invoke-PesterRun.ps1'
    & dotnet tool run pwsh -NoLogo -NoProfile -NonInteractive -File $runner -PesterPath $pester -TestPath $paths `
        -ModulePath $ModuleOut -SimulatorPath (Join-Path $SimulatorOut 'ProviderSimulator.dll') -SummaryPath $summary -ResultsPath $ResultsOut
    if (Test-Path $summary) {
        $result = Get-Content -Raw $summary | ConvertFrom-Json
        $passed += $result.Passed
        $failed += $result.Failed
    }
    else {
        Write-Host 'Pester produced no results.'
        $failed += 1
    }

    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    & dotnet tool run pwsh -NoLogo -NoProfile -File (Join-Path $Root 'tests/Demo.ps1') `
        -ModulePath $ModuleOut -SimulatorPath (Join-Path $SimulatorOut 'ProviderSimulator.dll') -OutputPath (Join-Path $Out 'demo')
    if ($LASTEXITCODE -ne 0) { throw "The demo failed with exit code $LASTEXITCODE." }
}

function Invoke-Bench {
    if ($Configuration -ne 'Release') { throw 'Benchmarks measure the Release build: leave -Configuration at Release.' }
    Invoke-Build
    $bench = Join-Path $Out 'bench'
    Write-Host 'Building the bare HttpClient client the throughput is compared with'
    Invoke-Native dotnet build (Join-Path $Root 'tests/Benchmarks/BareClient/BareClient.csproj') -c Release -o (Join-Path $bench 'bareclient') --nologo -v quiet
    Write-Host 'Building the minimal cmdlet the throughput is compared with'
    Invoke-Native dotnet build (Join-Path $Root 'tests/Benchmarks/MinimalCmdlet/MinimalCmdlet.csproj') -c Release -o (Join-Path $bench 'minimalcmdlet') --nologo -v quiet
    # A child pwsh, so that the module is imported fresh and this process's state does not count.
    $arguments = @('-ModulePath', $ModuleOut, '-SimulatorPath', (Join-Path $SimulatorOut 'ProviderSimulator.dll'),
        '-BareClientPath', (Join-Path $bench 'bareclient/BareClient.dll'), '-MinimalCmdletPath', (Join-Path $bench 'minimalcmdlet/MinimalCmdlet.dll'),
        '-ResultPath', (Join-Path $bench 'results.json'))
    if ($Smoke) { $arguments += '-Smoke' }
    & dotnet tool run pwsh -NoLogo -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Benchmarks/Invoke-Benchmark.ps1') @arguments
    if ($LASTEXITCODE -ne 0) { throw "The benchmarks failed with exit code $LASTEXITCODE." }
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

Push-Location $Root
try {
    switch ($Task) {
        'Build' { Invoke-Build }
        'Docs' { Invoke-Docs }
        'Package' { Invoke-Package }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Bench' { Invoke-Bench }
        'Clean' { Invoke-Clean }
    }
}
finally {
    Pop-Location
}
