<#
.SYNOPSIS
    Runs the Pester suites in this (child) process against the built module and a fresh simulator.
    Called by build.ps1 -Task Test; writes the pass/fail counts to -SummaryPath.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string[]] $TestPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SimulatorPath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [Parameter(Mandatory)] [string] $ResultsPath
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $PesterPath -Force
Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
$env:JOBSMODULE_MODULE_PATH = $ModulePath
$null = Start-ProviderSimulator -Path $SimulatorPath
try {
    $configuration = New-PesterConfiguration
    $configuration.Run.Path = $TestPath
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = 'Detailed'
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputFormat = 'NUnitXml'
    $configuration.TestResult.OutputPath = Join-Path $ResultsPath 'pester.xml'
    $result = Invoke-Pester -Configuration $configuration
    $failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    [pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed } | ConvertTo-Json | Set-Content -Path $SummaryPath
}
finally {
    Stop-ProviderSimulator
}
