# The test runner itself: tests/Invoke-PesterRun.ps1, run in a child pwsh on the fixtures in
# tests/RunnerFixture (which the normal run leaves out), and the counting rules in tests/TestRun.psm1
# that build.ps1 applies to both suites. A run must never report less than happened.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestRun.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
    $Runner = Join-Path $PSScriptRoot 'Invoke-PesterRun.ps1'
    $Fixtures = Join-Path $PSScriptRoot 'RunnerFixture'
    $Escape = [string][char]27

    function Get-PesterPath {
        # The runner that runs this file says where its Pester is; a run by hand finds the restored one.
        if ($env:JOBSMODULE_PESTER_PATH) { return $env:JOBSMODULE_PESTER_PATH }
        (Get-Module Pester).Path -replace 'psm1$', 'psd1'
    }

    function Invoke-Runner {
        <#
        Runs the real runner in a child pwsh of the PowerShell this run tests (7.6 or 7.4), as build.ps1 does;
        returns its exit code, output and summary path.
        #>
        param([string[]] $TestPath, [string[]] $ExcludePath, [switch] $Color, [string] $Name)
        $work = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory -Force $work
        $settings = Join-Path $work 'settings.json'
        $summary = Join-Path $work 'summary.json'
        $values = [ordered]@{
            PesterPath  = Get-PesterPath
            TestPath    = @($TestPath)
            ExcludePath = @($ExcludePath)
            SummaryPath = $summary
            ResultsPath = $work
        }
        if ($Name) { $values.Name = $Name }
        $values | ConvertTo-Json | Set-Content -LiteralPath $settings -Encoding utf8NoBOM
        $pwsh = Get-PwshCommand
        $noColor = $env:NO_COLOR
        # With -Color the child starts with colour allowed, as on a developer's terminal: the runner must turn it off itself.
        if ($Color) { Remove-Item env:NO_COLOR -ErrorAction Ignore }
        Push-Location $Root
        try {
            $output = @(& $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoLogo -NoProfile -NonInteractive -File $Runner -SettingsPath $settings 2>&1 | ForEach-Object { "$_" })
            $exitCode = $LASTEXITCODE
        }
        finally {
            Pop-Location
            $env:NO_COLOR = $noColor
        }
        [pscustomobject]@{ ExitCode = $exitCode; Output = $output; Text = $output -join "`n"; SummaryPath = $summary; Work = $work }
    }
}

Describe 'tests/Invoke-PesterRun.ps1' {
    It 'counts a failure whose message carries colour codes: 1 passed, 1 failed, a non-zero exit' {
        $run = Invoke-Runner -TestPath (Join-Path $Fixtures 'ColourFailure.ps1') -Color

        $run.ExitCode | Should -Be 1 -Because $run.Text
        $count = Read-PesterSummary $run.SummaryPath
        $count.Passed | Should -Be 1
        $count.Failed | Should -Be 1
        $count.Skipped | Should -Be 0
        $run.Output[-1] | Should -BeExactly 'Pester: 1 passed, 1 failed'
        $run.Text | Should -Match 'fails with colour codes in its message'
        $run.Text.Contains($Escape) | Should -BeFalse -Because 'the runner turns colour off, so its log holds no escape codes'
        # The NUnit export is a by-product: it is either valid XML or absent with a warning, and the counts stand either way.
        $export = Join-Path $run.Work 'pester.xml'
        if (Test-Path -LiteralPath $export) {
            ([xml](Get-Content -Raw -LiteralPath $export)).'test-results'.failures | Should -Be 1
        }
        else {
            $run.Text | Should -Match 'The NUnit export \(pester.xml\) could not be written, the counts stand'
        }
    }

    It 'runs every file and folder it is given' {
        $run = Invoke-Runner -TestPath (Join-Path $Fixtures 'Passing.ps1'), (Join-Path $Fixtures 'Folder')

        $run.ExitCode | Should -Be 0 -Because $run.Text
        $count = Read-PesterSummary $run.SummaryPath
        $count.Passed | Should -Be 3
        $count.Failed | Should -Be 0
        $run.Text | Should -Match 'Passing fixture'
        $run.Text | Should -Match 'is found in its folder'
        $run.Output[-1] | Should -BeExactly 'Pester: 3 passed, 0 failed'
        ([xml](Get-Content -Raw -LiteralPath (Join-Path $run.Work 'pester.xml'))).'test-results'.total | Should -Be 3
    }

    It 'leaves out what ExcludePath names' {
        $run = Invoke-Runner -TestPath (Join-Path $Fixtures 'Passing.ps1'), (Join-Path $Fixtures 'Folder') -ExcludePath (Join-Path $Fixtures 'Folder' '*')

        $run.ExitCode | Should -Be 0 -Because $run.Text
        (Read-PesterSummary $run.SummaryPath).Passed | Should -Be 2
        $run.Text | Should -Not -Match 'is found in its folder'
    }

    It 'names its run as the settings say, and writes the PowerShell it ran on beside the counts' {
        $run = Invoke-Runner -TestPath (Join-Path $Fixtures 'Passing.ps1') -Name 'Pester 9.9'

        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.Output[-1] | Should -BeExactly 'Pester 9.9: 2 passed, 0 failed'
        # The child is a pwsh of the PowerShell this run tests, so the summary names this one's version.
        (Get-Content -Raw -LiteralPath $run.SummaryPath | ConvertFrom-Json).PowerShell | Should -BeExactly $PSVersionTable.PSVersion.ToString()
        (Read-PesterSummary $run.SummaryPath -PowerShellVersion $PSVersionTable.PSVersion.ToString()).Passed | Should -Be 2
        { Read-PesterSummary $run.SummaryPath -PowerShellVersion '7.0.0' } | Should -Throw "*says the tests ran on PowerShell $($PSVersionTable.PSVersion), not 7.0.0."
    }

    It 'fails a run that executes no test' {
        $run = Invoke-Runner -TestPath (Join-Path $Fixtures 'NoTest.ps1')

        $run.ExitCode | Should -Be 1 -Because $run.Text
        $count = Read-PesterSummary $run.SummaryPath
        ($count.Passed + $count.Failed) | Should -Be 0
        $run.Text | Should -Match 'Pester ran no test\.'
        (Resolve-TestRun -Name Pester -Count $count -ExitCode $run.ExitCode).Failed | Should -Be 1
    }

    It 'writes no counts when it cannot run, and exits 2' {
        $run = Invoke-Runner -TestPath (Join-Path $Fixtures 'NoSuchFile.ps1')

        $run.ExitCode | Should -Be 2 -Because $run.Text
        Test-Path -LiteralPath $run.SummaryPath | Should -BeFalse
        $run.Text | Should -Match 'The Pester runner failed'
        $read = Resolve-TestRun -Name Pester -Count $null -ExitCode $run.ExitCode -Reason 'no summary'
        $read.Failed | Should -Be 1
    }
}

Describe 'Counting a run (tests/TestRun.psm1)' {
    It 'a missing count is one failure, with the reason' {
        $run = Resolve-TestRun -Name Pester -Count $null -ExitCode 0 -Reason 'summary.json was not written.'
        $run.Passed | Should -Be 0
        $run.Failed | Should -Be 1
        $run.Problems | Should -Be 'Pester produced no counts: summary.json was not written.'
    }

    It 'a run that executed no test is one failure' {
        $run = Resolve-TestRun -Name xunit -Count ([pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 })
        $run.Failed | Should -Be 1
        $run.Problems | Should -Be 'xunit ran no test.'
    }

    It 'a skipped test counts as failed' {
        $run = Resolve-TestRun -Name xunit -Count ([pscustomobject]@{ Passed = 5; Failed = 1; Skipped = 2 })
        $run.Passed | Should -Be 5
        $run.Failed | Should -Be 3
        $run.Problems | Should -Be 'xunit skipped 2 test(s); each counts as failed.'
    }

    It 'a non-zero exit that no failed test explains is one failure' {
        $run = Resolve-TestRun -Name Pester -Count ([pscustomobject]@{ Passed = 7; Failed = 0; Skipped = 0 }) -ExitCode 3
        $run.Passed | Should -Be 7
        $run.Failed | Should -Be 1
        $run.Problems | Should -Be 'Pester exited with code 3 although no test failed.'
    }

    It 'a clean run passes as counted' {
        $run = Resolve-TestRun -Name Pester -Count ([pscustomobject]@{ Passed = 7; Failed = 0; Skipped = 0 }) -ExitCode 0
        $run.Passed | Should -Be 7
        $run.Failed | Should -Be 0
        @($run.Problems).Count | Should -Be 0
    }

    It 'a summary with null counts is refused, not read as zero' {
        $path = Join-Path $TestDrive 'null-summary.json'
        '{"Passed":null,"Failed":null}' | Set-Content -LiteralPath $path
        { Read-PesterSummary $path } | Should -Throw '*no whole-number Passed count*'
        { Read-PesterSummary (Join-Path $TestDrive 'absent.json') } | Should -Throw '*was not written*'
    }

    It 'a summary that does not say which PowerShell it ran on is refused when the run must be on one' {
        $path = Join-Path $TestDrive 'unversioned-summary.json'
        '{"Passed":3,"Failed":0,"Skipped":0}' | Set-Content -LiteralPath $path
        (Read-PesterSummary $path).Passed | Should -Be 3
        { Read-PesterSummary $path -PowerShellVersion '7.4.19' } | Should -Throw '*says the tests ran on PowerShell (not said), not 7.4.19.'
    }

    It 'the closing line counts every run, and a Pester run that crashed on one PowerShell is a failure, not zero' {
        $runs = @(
            Resolve-TestRun -Name xunit -Count ([pscustomobject]@{ Passed = 40; Failed = 0; Skipped = 0 })
            Resolve-TestRun -Name 'Pester 7.6' -Count ([pscustomobject]@{ Passed = 600; Failed = 0; Skipped = 0 })
            Resolve-TestRun -Name 'Pester 7.4' -Count $null -ExitCode 139 -Reason 'summary.json was not written.'
        )
        $report = Get-TestRunReport $runs
        $report.Passed | Should -Be 640
        $report.Failed | Should -Be 1
        $report.Lines | Should -Be @(
            'xunit: 40 passed, 0 failed'
            'Pester 7.6: 600 passed, 0 failed'
            'Pester 7.4 produced no counts: summary.json was not written.'
            'Pester 7.4: 0 passed, 1 failed'
            '640 passed, 1 failed'
        )
    }

    It 'the closing line adds up the failures of both Pester runs' {
        $runs = @(
            Resolve-TestRun -Name 'Pester 7.6' -Count ([pscustomobject]@{ Passed = 598; Failed = 2; Skipped = 0 }) -ExitCode 1
            Resolve-TestRun -Name 'Pester 7.4' -Count ([pscustomobject]@{ Passed = 590; Failed = 3; Skipped = 1 }) -ExitCode 1
        )
        $report = Get-TestRunReport $runs
        $report.Lines[-1] | Should -BeExactly '1188 passed, 6 failed'
        $report.Lines | Should -Contain 'Pester 7.4 skipped 1 test(s); each counts as failed.'
        $report.Lines | Should -Contain 'Pester 7.4: 590 passed, 4 failed'
    }

    It 'no run at all is a failure' {
        $report = Get-TestRunReport @()
        $report.Failed | Should -Be 1
        $report.Lines | Should -Be @('No test suite ran.', '0 passed, 1 failed')
    }

    It 'reads a TRX summary, with errors and timeouts as failures and not-executed tests as skipped' {
        $path = Join-Path $TestDrive 'run.trx'
        @'
<?xml version="1.0" encoding="utf-8"?>
<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
  <ResultSummary outcome="Failed">
    <Counters total="12" executed="11" passed="7" failed="1" error="1" timeout="1" aborted="0" inconclusive="0" notRunnable="0" notExecuted="1" />
  </ResultSummary>
</TestRun>
'@ | Set-Content -LiteralPath $path
        $count = Read-TrxCount $path
        $count.Passed | Should -Be 7
        $count.Failed | Should -Be 3
        $count.Skipped | Should -Be 1
    }

    It 'refuses a TRX file without counters' {
        $path = Join-Path $TestDrive 'empty.trx'
        '<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><ResultSummary outcome="Failed" /></TestRun>' | Set-Content -LiteralPath $path
        { Read-TrxCount $path } | Should -Throw '*has no ResultSummary counters*'
    }

    It 'takes failed blocks and containers from Pester''s result as failures' {
        $result = [pscustomobject]@{
            PassedCount = 4; FailedCount = 1; SkippedCount = 1; InconclusiveCount = 1
            FailedBlocksCount = 2; FailedContainersCount = 1; Result = 'Failed'
        }
        $count = Get-PesterCount $result
        $count.Passed | Should -Be 4
        $count.Failed | Should -Be 4
        $count.Skipped | Should -Be 2
    }

    It 'counts a failed Pester result with no failure in its counts as one failure' {
        $result = [pscustomobject]@{
            PassedCount = 4; FailedCount = 0; SkippedCount = 0; InconclusiveCount = 0
            FailedBlocksCount = 0; FailedContainersCount = 0; Result = 'Failed'
        }
        (Get-PesterCount $result).Failed | Should -Be 1
    }

    It 'refuses a Pester result without a count' {
        { Get-PesterCount ([pscustomobject]@{ PassedCount = 1 }) } | Should -Throw "*Pester's result has no FailedCount*"
        { Get-PesterCount $null } | Should -Throw '*returned no result object*'
    }
}
