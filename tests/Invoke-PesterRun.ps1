<#
.SYNOPSIS
    Runs Pester suites in this (child) process, against the built module and a fresh simulator when
    the settings name them. Called by build.ps1 -Task Test, and by tests/TestRunner.Tests.ps1 on the
    fixtures in tests/RunnerFixture.
.DESCRIPTION
    The settings are a JSON file, so that any number of test paths reach this process intact:
        Name           what the closing line calls the run, such as "Pester 7.4" (optional; "Pester")
        PesterPath     Pester.psd1 to import (required)
        TestPath       files and folders to run (required, at least one)
        ExcludePath    wildcard patterns of files to leave out (optional)
        SummaryPath    where the counts are written (required)
        ResultsPath    folder for pester.xml, the NUnit export (optional)
        ModulePath     the built module, for $env:JOBSMODULE_MODULE_PATH (optional)
        SimulatorPath  ProviderSimulator.dll to start for the run (optional)
        PowerShell74Path, PowerShell76Path
                       the pwsh of PowerShell 7.4 and the pwsh.dll of 7.6, for $env:JOBSMODULE_PWSH74_PATH
                       and $env:JOBSMODULE_PWSH76_PATH (optional; tests that need them fail without them)
    The counts ({"Passed","Failed","Skipped"}) come from Pester's result object, with the version of the
    PowerShell they ran on ("PowerShell"), so that a run cannot pass for another's. The NUnit export is
    written after them and only as a by-product: when it fails, a warning says so and the counts
    stand. Exit code 0 when every test ran and passed, 1 when a test failed (or none ran, or one was
    skipped), 2 when the runner itself failed, in which case no counts are written.
#>
param(
    [Parameter(Mandatory)] [string] $SettingsPath
)

# No Set-StrictMode here: the test files run in this scope's children and are written without it.
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
# Plain text only: a colour code in a failure message (or in Pester's own output) must reach
# nothing but the console log, and the log must read the same in a file as on a terminal.
$env:NO_COLOR = '1'
$PSStyle.OutputRendering = 'PlainText'

$simulatorStarted = $false
try {
    $settings = Get-Content -Raw -LiteralPath $SettingsPath | ConvertFrom-Json
    foreach ($name in 'PesterPath', 'SummaryPath') {
        if (-not $settings.PSObject.Properties[$name] -or -not $settings.$name) { throw "The settings in $SettingsPath have no $name." }
    }
    $testPath = @($settings.PSObject.Properties['TestPath'] | ForEach-Object { $_.Value } | Where-Object { $_ })
    if ($testPath.Count -eq 0) { throw "The settings in $SettingsPath name no TestPath." }
    $optional = { param([string] $Name) if ($settings.PSObject.Properties[$Name]) { $settings.$Name } }
    $resultsPath = & $optional 'ResultsPath'
    $modulePath = & $optional 'ModulePath'
    $simulatorPath = & $optional 'SimulatorPath'
    $excludePath = @(& $optional 'ExcludePath' | Where-Object { $_ })
    $name = & $optional 'Name'
    if (-not $name) { $name = 'Pester' }

    # A summary from an earlier run must never stand in for this one.
    Remove-Item -LiteralPath $settings.SummaryPath -ErrorAction Ignore

    Import-Module $settings.PesterPath -Force
    Import-Module (Join-Path $PSScriptRoot 'TestRun.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # The runner's own test (tests/TestRunner.Tests.ps1) runs this script again on its fixtures.
    $env:JOBSMODULE_PESTER_PATH = $settings.PesterPath
    if ($modulePath) { $env:JOBSMODULE_MODULE_PATH = $modulePath }
    $pwsh74 = & $optional 'PowerShell74Path'
    $pwsh76 = & $optional 'PowerShell76Path'
    if ($pwsh74) { $env:JOBSMODULE_PWSH74_PATH = $pwsh74 }
    if ($pwsh76) { $env:JOBSMODULE_PWSH76_PATH = $pwsh76 }
    if ($simulatorPath) {
        $null = Start-ProviderSimulator -Path $simulatorPath
        $simulatorStarted = $true
    }

    $configuration = New-PesterConfiguration
    $configuration.Run.Path = [string[]]$testPath
    if ($excludePath) { $configuration.Run.ExcludePath = [string[]]$excludePath }
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = 'Detailed'
    $configuration.Output.RenderMode = 'Plaintext'
    # Pester writes no result file itself: an export that fails there would take the counts with it.
    $configuration.TestResult.Enabled = $false
    $result = Invoke-Pester -Configuration $configuration
    $count = Get-PesterCount $result

    [ordered]@{ Passed = $count.Passed; Failed = $count.Failed; Skipped = $count.Skipped; PowerShell = $PSVersionTable.PSVersion.ToString() } |
        ConvertTo-Json | Set-Content -LiteralPath $settings.SummaryPath -Encoding utf8NoBOM
    $verdict = Resolve-TestRun -Name $name -Count $count
    foreach ($problem in $verdict.Problems) { Write-Host $problem }

    if ($resultsPath) {
        $export = Join-Path $resultsPath 'pester.xml'
        try {
            $null = New-Item -ItemType Directory -Force $resultsPath
            Export-NUnitReport -Result $result -Path $export
        }
        catch {
            # A half-written file would only mislead whoever reads it next.
            Remove-Item -LiteralPath $export -ErrorAction Ignore
            # The reason may quote the very control character the export choked on: show it as a code instead.
            $reason = [regex]::Replace($_.Exception.Message, '[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]', { param($m) 'U+{0:X4}' -f [int][char]$m.Value })
            Write-Warning "The NUnit export (pester.xml) could not be written, the counts stand: $reason"
        }
    }

    Write-Host "$($name): $($count.Passed) passed, $($count.Failed) failed$(if ($count.Skipped) { ", $($count.Skipped) skipped" })"
    $code = if ($verdict.Failed -gt 0) { 1 } else { 0 }
}
catch {
    Write-Host "The Pester runner failed: $($_.Exception.Message)"
    Write-Host $_.ScriptStackTrace
    $code = 2
}
finally {
    if ($simulatorStarted) {
        try { Stop-ProviderSimulator } catch { Write-Warning "The simulator did not stop: $($_.Exception.Message)" }
    }
}
exit $code
