# How build.ps1 and tests/Invoke-PesterRun.ps1 count a test run. Counts come from the test
# frameworks' own results (Pester's result object, the xunit TRX summary), never from an export that
# may fail, and anything that leaves a count missing or doubtful is a failure of the run.
Set-StrictMode -Version 3.0

function Get-PesterCount {
    <#
    .SYNOPSIS
        Passed, failed and skipped counts from the object Invoke-Pester -PassThru returns. Failed blocks
        (a BeforeAll that threw) and failed containers (a file that did not load) count as failed tests.
    #>
    param([Parameter(Mandatory)] [AllowNull()] [object] $Result)
    if ($null -eq $Result) { throw 'Invoke-Pester returned no result object.' }
    $names = 'PassedCount', 'FailedCount', 'SkippedCount', 'InconclusiveCount', 'FailedBlocksCount', 'FailedContainersCount', 'Result'
    $counts = @{}
    foreach ($name in $names) {
        $property = $Result.PSObject.Properties[$name]
        if ($null -eq $property -or $null -eq $property.Value) { throw "Pester's result has no $name." }
        $counts[$name] = $property.Value
    }
    $failed = [int]$counts.FailedCount + [int]$counts.FailedBlocksCount + [int]$counts.FailedContainersCount
    if ($counts.Result -ne 'Passed' -and $failed -eq 0) {
        # Pester says the run failed for a reason none of the counts show: count it, do not lose it.
        $failed = 1
    }
    [pscustomobject]@{
        Passed  = [int]$counts.PassedCount
        Failed  = $failed
        Skipped = [int]$counts.SkippedCount + [int]$counts.InconclusiveCount
    }
}

function Read-TrxCount {
    <# Passed, failed and skipped counts from a TRX file's ResultSummary (errors, timeouts and aborts are failures). #>
    param([Parameter(Mandatory)] [string] $Path)
    $trx = [xml](Get-Content -Raw -LiteralPath $Path)
    $counters = $trx.SelectSingleNode("/*[local-name()='TestRun']/*[local-name()='ResultSummary']/*[local-name()='Counters']")
    if ($null -eq $counters) { throw "$Path has no ResultSummary counters." }
    $value = {
        param([string] $Name)
        $text = $counters.GetAttribute($Name)
        $number = 0
        if ($text -and -not [int]::TryParse($text, [ref]$number)) { throw "$Path has a '$Name' counter that is not a number: '$text'." }
        $number
    }
    if (-not $counters.GetAttribute('passed') -or -not $counters.GetAttribute('failed')) { throw "$Path has no passed or failed counter." }
    [pscustomobject]@{
        Passed  = & $value 'passed'
        Failed  = (& $value 'failed') + (& $value 'error') + (& $value 'timeout') + (& $value 'aborted')
        Skipped = (& $value 'notExecuted') + (& $value 'inconclusive') + (& $value 'notRunnable')
    }
}

function Read-PesterSummary {
    <#
    .SYNOPSIS
        The counts tests/Invoke-PesterRun.ps1 wrote; throws when the file is missing or a count is not a whole
        number, and, with -PowerShellVersion, when the tests ran on another PowerShell than that one.
    #>
    param([Parameter(Mandatory)] [string] $Path, [string] $PowerShellVersion)
    if (-not (Test-Path -LiteralPath $Path)) { throw "$Path was not written." }
    $summary = Get-Content -Raw -LiteralPath $Path | ConvertFrom-Json
    if ($PowerShellVersion) {
        $ranOn = $summary.PSObject.Properties['PowerShell']
        if ($null -eq $ranOn -or "$($ranOn.Value)" -ne $PowerShellVersion) {
            throw "$Path says the tests ran on PowerShell $(if ($ranOn -and $ranOn.Value) { $ranOn.Value } else { '(not said)' }), not $PowerShellVersion."
        }
    }
    $counts = @{}
    foreach ($name in 'Passed', 'Failed', 'Skipped') {
        $property = $summary.PSObject.Properties[$name]
        if ($null -eq $property -or ($property.Value -isnot [long] -and $property.Value -isnot [int])) {
            throw "$Path has no whole-number $name count."
        }
        $counts[$name] = [int]$property.Value
    }
    [pscustomobject]$counts
}

function Resolve-TestRun {
    <#
    .SYNOPSIS
        The counts a run adds to the final line, and what was wrong with it. Each problem is one more
        failure: no counts at all, a run that executed no test, skipped tests (a test must run to pass),
        and a non-zero exit code that no failed test explains.
    #>
    param(
        [Parameter(Mandatory)] [string] $Name,
        [AllowNull()] [object] $Count,
        [int] $ExitCode = 0,
        [string] $Reason
    )
    $problems = [System.Collections.Generic.List[string]]::new()
    if ($null -eq $Count) {
        $problems.Add("$Name produced no counts$(if ($Reason) { ': ' + $Reason.TrimEnd('.') }).")
        return [pscustomobject]@{ Name = $Name; Passed = 0; Failed = 1; Problems = $problems.ToArray() }
    }

    $passed = [int]$Count.Passed
    $failed = [int]$Count.Failed
    $skipped = [int]$Count.Skipped
    if ($passed -lt 0 -or $failed -lt 0 -or $skipped -lt 0) { throw "$Name reported a negative count." }
    if ($skipped -gt 0) {
        $problems.Add("$Name skipped $skipped test(s); each counts as failed.")
        $failed += $skipped
    }
    if ($passed + $failed -eq 0) {
        $problems.Add("$Name ran no test.")
        $failed = 1
    }
    if ($ExitCode -ne 0 -and $failed -eq 0) {
        $problems.Add("$Name exited with code $ExitCode although no test failed.")
        $failed = 1
    }
    [pscustomobject]@{ Name = $Name; Passed = $passed; Failed = $failed; Problems = $problems.ToArray() }
}

function Get-TestRunReport {
    <#
    .SYNOPSIS
        The lines that end a test run, from the runs Resolve-TestRun counted: each run's problems and its own
        line ("Pester 7.4: N passed, N failed"), then the total of every run ("N passed, N failed"), which CI
        reads. No run at all is a failure too.
    #>
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Run)
    $lines = [System.Collections.Generic.List[string]]::new()
    foreach ($one in $Run) {
        foreach ($problem in $one.Problems) { $lines.Add($problem) }
        $lines.Add("$($one.Name): $($one.Passed) passed, $($one.Failed) failed")
    }
    $passed = 0
    $failed = 0
    foreach ($one in $Run) {
        $passed += $one.Passed
        $failed += $one.Failed
    }
    if ($Run.Count -eq 0) {
        $lines.Add('No test suite ran.')
        $failed = 1
    }
    $lines.Add("$passed passed, $failed failed")
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Lines = $lines.ToArray() }
}

Export-ModuleMember -Function Get-PesterCount, Read-TrxCount, Read-PesterSummary, Resolve-TestRun, Get-TestRunReport
