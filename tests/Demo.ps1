<#
.SYNOPSIS
    The demo: the built module against the provider simulator, as a user would run it.
    Called by build.ps1 -Task Demo.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SimulatorPath,
    [Parameter(Mandatory)] [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
Import-Module $ModulePath -Force
$simulator = Start-ProviderSimulator -Path $SimulatorPath
try {
    foreach ($facts in Get-ProviderFacts) { Set-SimulatorDataset $facts.Name 1500 }
    Set-SimulatorEnvironment   # sets PYANNOTEAI_API_KEY, KREA_BASE_URL, ... to the simulator's
    $null = New-Item -ItemType Directory -Force $OutputPath

    # The views are laid out for a 120-column terminal; a redirected host is narrower.
    function Show-Step([string] $Title, [string] $Command) {
        Write-Host ''
        Write-Host "== $Title" -ForegroundColor Cyan
        Write-Host "PS> $Command" -ForegroundColor Yellow
    }

    Write-Host "Provider simulator at $($simulator.Url); five providers, 1,500 jobs each."

    Show-Step 'How many jobs, per provider and status' 'Get-ProviderJob | Group-Object Provider, Status | Sort-Object Name | Format-Table Count, Name'
    Get-ProviderJob | Group-Object Provider, Status | Sort-Object Name | Format-Table Count, Name -AutoSize | Out-Host

    Show-Step 'Failed jobs of the last week, per provider' '$failed = Get-ProviderJob -Status Failed -CreatedAfter (Get-Date).AddDays(-7)'
    $failed = Get-ProviderJob -Status Failed -CreatedAfter (Get-Date).AddDays(-7)
    $failed | Group-Object Provider | Sort-Object Name | Format-Table Count, Name -AutoSize | Out-Host

    Show-Step 'The newest five of them' '$failed | Sort-Object CreatedAt -Descending | Select-Object -First 5 | Format-Table Provider, Id, Status, Kind, CreatedAt, Error'
    $failed | Sort-Object CreatedAt -Descending | Select-Object -First 5 |
        Format-Table Provider, Id, Status, Kind, CreatedAt, @{ n = 'Error'; e = { if ($_.Error -and $_.Error.Length -gt 40) { $_.Error.Substring(0, 40) + '...' } else { $_.Error } } } -AutoSize |
        Out-Host

    # Export-Csv takes its columns from the first job; CommonFields gives every provider's jobs the same ones.
    $csv = Join-Path $OutputPath 'failed-jobs.csv'
    Show-Step 'Export them for a spreadsheet, the same columns for every provider' "`$failed | Select-Object CommonFields | Export-Csv $csv"
    $failed | Select-Object CommonFields | Export-Csv -Path $csv -NoTypeInformation -Encoding utf8
    Get-Content $csv -TotalCount 4 | Out-Host
    Write-Host "($(@($failed).Count) rows in $csv)"

    Show-Step 'One request is enough for the first three Krea jobs' 'Get-ProviderJob -Provider Krea | Select-Object -First 3'
    Clear-SimulatorLog
    Get-ProviderJob -Provider Krea | Select-Object -First 3 | Format-Table Provider, Id, Status, Kind, CreatedAt -AutoSize | Out-Host
    Write-Host "Requests sent: $((Get-SimulatorLog).Count)"

    Show-Step 'The ten newest jobs anywhere, merged newest first across the five providers' 'Get-ProviderJob -First 10'
    Get-ProviderJob -First 10 | Out-String -Width 120 | Out-Host

    Show-Step 'Wait for two Krea renders, then cancel an Unstructured job still queued' 'Get-ProviderJob -Provider Krea -Id render-a, render-b | Wait-ProviderJob -Timeout 30'
    New-SimulatorLiveJob Krea @(@{ id = 'render-a'; runMs = 2000; final = 'succeeded' }, @{ id = 'render-b'; runMs = 4000; final = 'failed' })
    New-SimulatorLiveJob Unstructured @(@{ id = 'ingest-later'; runMs = 600000 })
    Get-ProviderJob -Provider Krea -Id render-a, render-b | Wait-ProviderJob -Timeout 30 | Out-String -Width 120 | Out-Host
    Write-Host "PS> Get-ProviderJob -Provider Unstructured -Id ingest-later | Stop-ProviderJob -Confirm:`$false -PassThru" -ForegroundColor Yellow
    Get-ProviderJob -Provider Unstructured -Id ingest-later | Stop-ProviderJob -Confirm:$false -PassThru | Out-String -Width 120 | Out-Host

    Show-Step 'What happens, request by request' 'Get-ProviderJob -Provider Convertly -First 250 -Verbose | Measure-Object'
    Get-ProviderJob -Provider Convertly -First 250 -Verbose 4>&1 | ForEach-Object {
        if ($_ -is [System.Management.Automation.VerboseRecord]) { Write-Host "VERBOSE: $($_.Message)" -ForegroundColor DarkGray } else { $_ }
    } | Measure-Object | Select-Object Count | Out-Host
}
finally {
    Stop-ProviderSimulator
}
