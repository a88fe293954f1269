# The mutation score build.ps1 -Task Mutation reports (src/Build/MutationScore.psm1), on Stryker reports
# written here for the purpose: what each status counts for, the table, and the targets.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../src/Build/MutationScore.psm1') -Force

    function New-StrykerReport {
        <# A report in Stryker's JSON shape: -Files maps a file's path to the statuses of its mutants. #>
        param([System.Collections.IDictionary] $Files)
        $byFile = [ordered]@{}
        foreach ($entry in $Files.GetEnumerator()) {
            $mutants = @(for ($i = 0; $i -lt @($entry.Value).Count; $i++) { [ordered]@{ id = "$i"; status = @($entry.Value)[$i] } })
            $byFile[$entry.Key] = [ordered]@{ language = 'cs'; mutants = $mutants }
        }
        $path = Join-Path $TestDrive ([guid]::NewGuid().ToString('n') + '.json')
        [ordered]@{ schemaVersion = '2'; files = $byFile } | ConvertTo-Json -Depth 6 | Set-Content -LiteralPath $path -Encoding utf8NoBOM
        $path
    }
}

Describe 'Get-MutationScore' {
    It 'counts killed and timed-out mutants as detected, survivors and uncovered ones as missed, and the rest for neither' {
        $path = New-StrykerReport @{
            '/build/src/JobsModule.Core/Transport/ProviderClient.cs' = 'Killed', 'Killed', 'Timeout', 'Survived', 'NoCoverage', 'CompileError', 'RuntimeError', 'Ignored'
        }

        $score = Get-MutationScore $path

        @($score.Files) | Should -HaveCount 1
        $file = $score.Files[0]
        $file.File | Should -BeExactly 'Transport/ProviderClient.cs'
        $file.Killed | Should -Be 2
        $file.Timeout | Should -Be 1
        $file.Survived | Should -Be 1
        $file.NoCoverage | Should -Be 1
        $file.CompileError | Should -Be 2 -Because 'a mutant that fails at run time did not compile into a test run either'
        $file.Ignored | Should -Be 1
        $file.Score | Should -Be 60 -Because '3 detected of 5 that count'
        $file.CoveredScore | Should -Be 75 -Because '3 detected of the 4 that a test reached'
    }

    It 'names files by their path under the engine, with forward slashes, sorted, and totals every column' {
        $path = New-StrykerReport ([ordered]@{
            'C:\work\src\JobsModule.Core\Providers\KreaProvider.cs' = 'Killed', 'Survived'
            'C:\work\src\JobsModule.Core\Json\Json.cs'               = 'Killed', 'Killed', 'Killed', 'NoCoverage'
        })

        $score = Get-MutationScore $path

        $score.Files.File | Should -Be @('Json/Json.cs', 'Providers/KreaProvider.cs')
        $score.Total.File | Should -BeExactly 'All files'
        $score.Total.Killed | Should -Be 4
        $score.Total.Survived | Should -Be 1
        $score.Total.NoCoverage | Should -Be 1
        $score.Total.Score | Should -Be 66.7
        $score.Total.CoveredScore | Should -Be 80
    }

    It 'gives no score to a file without mutants that count, rather than 0 or 100' {
        $path = New-StrykerReport @{ 'src/JobsModule.Core/Model/JobStatus.cs' = @('Ignored', 'CompileError') }

        $score = Get-MutationScore $path

        $score.Files[0].Score | Should -BeNullOrEmpty
        $score.Files[0].CoveredScore | Should -BeNullOrEmpty
    }

    It 'refuses a file that is not a Stryker report' {
        $path = Join-Path $TestDrive 'other.json'
        '{"results":[]}' | Set-Content -LiteralPath $path

        { Get-MutationScore $path } | Should -Throw '*not a Stryker mutation report*'
    }
}

Describe 'Format-MutationScore' {
    It 'writes the README table: a row per file, the total last in bold, n/a where there is no score' {
        $path = New-StrykerReport ([ordered]@{
            'src/JobsModule.Core/A.cs' = 'Killed', 'Survived'
            'src/JobsModule.Core/B.cs' = @('Ignored')
        })

        $table = @(Format-MutationScore (Get-MutationScore $path))

        $table | Should -HaveCount 5
        $table[0] | Should -BeExactly '| File | Score | Covered | Killed | Timeout | Survived | No coverage | Compile error | Ignored |'
        $table[2] | Should -BeExactly '| A.cs | 50.0 % | 50.0 % | 1 | 0 | 1 | 0 | 0 | 0 |'
        $table[3] | Should -BeExactly '| B.cs | n/a | n/a | 0 | 0 | 0 | 0 | 0 | 1 |'
        $table[4] | Should -BeExactly '| **All files** | 50.0 % | 50.0 % | 1 | 0 | 1 | 0 | 0 | 1 |'
    }
}

Describe 'Get-MutationTargetMiss' {
    It 'misses nothing at 90 % overall with no file under 75 %' {
        $statuses = @('Killed') * 9 + 'Survived'
        $path = New-StrykerReport ([ordered]@{ 'src/JobsModule.Core/A.cs' = $statuses; 'src/JobsModule.Core/B.cs' = @('Ignored') })

        @(Get-MutationTargetMiss (Get-MutationScore $path)) | Should -HaveCount 0
    }

    It 'names the total under 90 % and each file under 75 %, and only those' {
        $path = New-StrykerReport ([ordered]@{
            'src/JobsModule.Core/Low.cs'  = 'Killed', 'Killed', 'Survived', 'Survived'
            'src/JobsModule.Core/Edge.cs' = 'Killed', 'Killed', 'Killed', 'Survived'
            'src/JobsModule.Core/High.cs' = @('Killed') * 12
        })

        $missed = @(Get-MutationTargetMiss (Get-MutationScore $path))

        $missed | Should -Be @('85 % overall, under 90 %', 'Low.cs 50 %, under 75 %')
    }

    It 'takes other targets when given, and counts a report with no scored mutant as a miss' {
        $path = New-StrykerReport @{ 'src/JobsModule.Core/A.cs' = 'Killed', 'Survived' }
        @(Get-MutationTargetMiss (Get-MutationScore $path) -Overall 50 -PerFile 50) | Should -HaveCount 0

        $empty = New-StrykerReport @{ 'src/JobsModule.Core/A.cs' = @('CompileError') }
        @(Get-MutationTargetMiss (Get-MutationScore $empty)) | Should -Be @('no mutant was scored (each was ignored or did not compile)')
    }
}
