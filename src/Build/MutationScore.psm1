# The mutation score build.ps1 -Task Mutation reports: per file and overall, from Stryker's JSON report
# (the mutation-testing-elements schema), the table README shows, and the targets it is held to.
# tests/MutationScore.Tests.ps1 runs these on reports written for the purpose.
Set-StrictMode -Version 3.0

# The statuses Stryker gives a mutant, and the column each is counted in.
$script:Columns = [ordered]@{
    Killed       = @('Killed')
    Timeout      = @('Timeout')
    Survived     = @('Survived')
    NoCoverage   = @('NoCoverage')
    CompileError = @('CompileError', 'RuntimeError')
    Ignored      = @('Ignored')
}

function Get-MutationScore {
    <#
    .SYNOPSIS
        Per file and overall: the score is detected (killed or timed out) over detected plus undetected
        (survived or not covered); mutants that did not compile, and those Stryker ignored, count for neither.
    #>
    param([Parameter(Mandatory)] [string] $Path)
    $report = Get-Content -Raw -LiteralPath $Path | ConvertFrom-Json
    if (-not $report.PSObject.Properties['files']) { throw "$Path is not a Stryker mutation report: it has no 'files'." }
    $rows = foreach ($file in $report.files.PSObject.Properties) {
        $statuses = @($file.Value.mutants | ForEach-Object status)
        $row = [ordered]@{ File = ($file.Name -replace '\\', '/') -replace '^.*?src/JobsModule\.Core/', '' }
        foreach ($column in $script:Columns.GetEnumerator()) {
            $row[$column.Key] = @($statuses | Where-Object { $_ -in $column.Value }).Count
        }
        [pscustomobject](Add-MutationRatio $row)
    }
    $rows = @($rows | Sort-Object File)
    $total = [ordered]@{ File = 'All files' }
    foreach ($name in $script:Columns.Keys) {
        $total[$name] = [int]($rows | Measure-Object $name -Sum).Sum
    }
    [pscustomobject]@{ Total = [pscustomobject](Add-MutationRatio $total); Files = $rows }
}

function Add-MutationRatio {
    param([System.Collections.Specialized.OrderedDictionary] $Row)
    $detected = $Row.Killed + $Row.Timeout
    $valid = $detected + $Row.Survived + $Row.NoCoverage
    $covered = $detected + $Row.Survived
    $Row.Score = if ($valid) { [math]::Round(100 * $detected / $valid, 1) } else { $null }
    $Row.CoveredScore = if ($covered) { [math]::Round(100 * $detected / $covered, 1) } else { $null }
    $Row
}

function Format-MutationScore {
    <# .SYNOPSIS A markdown table, as the README shows it: every file, then the total. #>
    param([Parameter(Mandatory)] [object] $Score)
    '| File | Score | Covered | Killed | Timeout | Survived | No coverage | Compile error | Ignored |'
    '|---|---|---|---|---|---|---|---|---|'
    foreach ($row in @($Score.Files) + $Score.Total) {
        $percent = { param($Value) if ($null -eq $Value) { 'n/a' } else { '{0:0.0} %' -f $Value } }
        $name = if ($row.File -eq 'All files') { '**All files**' } else { $row.File }
        "| $name | $(& $percent $row.Score) | $(& $percent $row.CoveredScore) | $($row.Killed) | $($row.Timeout) | $($row.Survived) | $($row.NoCoverage) | $($row.CompileError) | $($row.Ignored) |"
    }
}

function Get-MutationTargetMiss {
    <#
    .SYNOPSIS
        The targets the score is held to, and each one it misses (nothing when all are met): the total at
        least -Overall, and every file that holds logic (has mutants to test) at least -PerFile.
    #>
    param([Parameter(Mandatory)] [object] $Score, [double] $Overall = 90, [double] $PerFile = 75)
    if ($null -eq $Score.Total.Score) { 'no mutant was scored (each was ignored or did not compile)' }
    elseif ($Score.Total.Score -lt $Overall) { "$($Score.Total.Score) % overall, under $Overall %" }
    foreach ($file in $Score.Files) {
        if ($null -ne $file.Score -and $file.Score -lt $PerFile) { "$($file.File) $($file.Score) %, under $PerFile %" }
    }
}

Export-ModuleMember -Function Get-MutationScore, Format-MutationScore, Get-MutationTargetMiss
