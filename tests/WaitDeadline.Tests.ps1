# Wait-ProviderJob -Timeout bounds the whole wait: retries, Retry-After waits and slow answers included.
# The upper bounds on elapsed time are far below what the same wait takes without the deadline (the
# Retry-After asked for, the answer's delay, the retries allowed), so they test the rule, not the machine.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force
    $CmdletId = 'JobsModule.Commands.WaitProviderJobCommand'
    function Get-DetailLog([string] $Provider) { @(Get-SimulatorLog $Provider | Where-Object { $_.method -eq 'GET' -and $_.query -eq '' -and $_.path -match '/jobs/.+' }) }

    # Waits for -Id with the arguments given, timed; everything it wrote, sorted by kind.
    function Invoke-TimedWait([hashtable] $Arguments) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $output = @(Wait-ProviderJob @Arguments -ErrorVariable problems -ErrorAction SilentlyContinue 3>&1)
        $clock.Stop()
        [pscustomobject]@{
            Seconds = $clock.Elapsed.TotalSeconds
            Jobs = @($output | Where-Object { $_ -is [JobsModule.ProviderJob] })
            Warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
            Errors = @($problems)
        }
    }
}

Describe 'Wait-ProviderJob -Timeout bounds the whole wait' {
    BeforeEach {
        Reset-Simulator; Set-SimulatorEnvironment
        New-SimulatorLiveJob Krea @(@{ id = 'busy'; runMs = 600000 })
        Clear-SimulatorLog
    }

    It 'a read answered 429 with Retry-After 60 is not waited out: -Timeout 3 ends within seconds with ProviderRateLimited naming the job' {
        Set-SimulatorOption Krea @{ failStatus = 429; failCount = 100; retryAfter = '60' }

        $run = Invoke-TimedWait @{ Provider = 'Krea'; Id = 'busy'; Timeout = 3 }

        $run.Seconds | Should -BeLessThan 30 -Because 'the 60 s the provider asked for end after the deadline, so they are not waited'
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be "ProviderRateLimited,$CmdletId"
        $run.Errors[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $run.Errors[0].TargetObject | Should -Be 'busy'
        $run.Errors[0].Exception.StatusCode | Should -Be 429
        $run.Errors[0].Exception.Message | Should -Match 'Not retried: the next try would come in 60\.0 s, after the wait''s time runs out'
        $run.Jobs.Count | Should -Be 0
        (Get-DetailLog Krea).Count | Should -Be 1
    }

    It 'a 503 loop ends at -Timeout 3 with ProviderUnavailable naming the job, not after the 100 retries allowed' {
        Set-SimulatorOption Krea @{ failStatus = 503; failCount = 1000; retryAfter = '1' }

        $run = Invoke-TimedWait @{ Provider = 'Krea'; Id = 'busy'; Timeout = 3; MaximumRetryCount = 100 }

        $run.Seconds | Should -BeLessThan 30 -Because '100 retries a second apart would take 100 s'
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be "ProviderUnavailable,$CmdletId"
        $run.Errors[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $run.Errors[0].TargetObject | Should -Be 'busy'
        $reads = (Get-DetailLog Krea).Count
        $reads | Should -BeGreaterOrEqual 2 -Because 'the retries that fit before the deadline are made'
        $reads | Should -BeLessOrEqual 4
    }

    It 'a slow answer (<Fault>) is cut at -Timeout 2 with ProviderTimeout naming the job' -ForEach @(
        @{ Fault = 'latencyMs'; Options = @{ latencyMs = 40000 } }
        @{ Fault = 'slowBodyMs'; Options = @{ slowBodyMs = 40000 } }
    ) {
        Set-SimulatorOption Krea $Options

        $run = Invoke-TimedWait @{ Provider = 'Krea'; Id = 'busy'; Timeout = 2 }

        $run.Seconds | Should -BeLessThan 20 -Because 'the answer takes 40 s; the wait ends at its deadline'
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be "ProviderTimeout,$CmdletId"
        $run.Errors[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $run.Errors[0].TargetObject | Should -Be 'busy'
        $run.Errors[0].Exception.Message | Should -Match "before the wait's time ran out \(-Timeout 2 s\)"
        $run.Jobs.Count | Should -Be 0
    }

    It 'a job read once, whose later polls fail until the deadline, is written as last read with the warning and no error' {
        Set-SimulatorOption Krea @{ failStatus = 503; failAfter = 1; failCount = 1000; retryAfter = '1' }

        $run = Invoke-TimedWait @{ Provider = 'Krea'; Id = 'busy'; Timeout = 3; PollingIntervalSec = 1 }

        $run.Seconds | Should -BeLessThan 30
        $run.Errors.Count | Should -Be 0
        $run.Jobs.Count | Should -Be 1
        $run.Jobs[0].Id | Should -Be 'busy'
        $run.Jobs[0].Status | Should -Be 'Queued'
        $run.Warnings.Count | Should -Be 1
        $run.Warnings[0].Message | Should -Match '1 job\(s\) had not finished after 3 s'
        $log = Get-DetailLog Krea
        $log[0].status | Should -Be 200
        @($log | Select-Object -Skip 1 | Where-Object status -ne 503).Count | Should -Be 0
    }

    It 'a job that could not be read is an error, and the others are written as last seen with the warning' {
        New-SimulatorLiveJob Unstructured @(@{ id = 'fine'; runMs = 600000 })
        $piped = @((Get-ProviderJob -Provider Krea -Id busy), (Get-ProviderJob -Provider Unstructured -Id fine))
        Set-SimulatorOption Krea @{ failStatus = 429; failCount = 100; retryAfter = '60' }

        $run = Invoke-TimedWait @{ InputObject = $piped; Timeout = 2; PollingIntervalSec = 1 }

        $run.Seconds | Should -BeLessThan 30
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be "ProviderRateLimited,$CmdletId"
        $run.Errors[0].TargetObject | Should -Be 'busy'
        ($run.Jobs.Id -join ',') | Should -Be 'fine'
        $run.Warnings.Count | Should -Be 1
        $run.Warnings[0].Message | Should -Match '1 job\(s\) had not finished after 2 s'
    }

    It '-Timeout 0 reads each job with one attempt, not retried' {
        Set-SimulatorOption Krea @{ failStatus = 503; failCount = 20; retryAfter = '0' }

        $run = Invoke-TimedWait @{ Provider = 'Krea'; Id = 'busy'; Timeout = 0; MaximumRetryCount = 3 }

        (Get-DetailLog Krea).Count | Should -Be 1
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be "ProviderUnavailable,$CmdletId"
        $run.Errors[0].TargetObject | Should -Be 'busy'
    }

    It '-Timeout 0 lets that one attempt take what -TimeoutSec allows' {
        Set-SimulatorOption Krea @{ latencyMs = 1500 }

        $run = Invoke-TimedWait @{ Provider = 'Krea'; Id = 'busy'; Timeout = 0; TimeoutSec = 30 }

        $run.Errors.Count | Should -Be 0
        $run.Jobs.Id | Should -Be 'busy'
        $run.Warnings.Count | Should -Be 1
        $run.Seconds | Should -BeGreaterOrEqual 1.4 -Because 'the answer came after its 1.5 s latency and was waited for'
    }

    It 'Stop() still ends the wait at once while a Retry-After well inside -Timeout is waited out' {
        Set-SimulatorOption Krea @{ failStatus = 429; failCount = 1; retryAfter = '30' }
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$env:JOBSMODULE_MODULE_PATH'").Invoke()
            $shell.Commands.Clear()
            $null = $shell.AddCommand('Wait-ProviderJob').AddParameter('Provider', 'Krea').AddParameter('Id', 'busy').AddParameter('Timeout', 600)
            $async = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (@(Get-SimulatorLog Krea).Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            Start-Sleep -Milliseconds 200
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 5 -Because 'the 30 s Retry-After is cancelled, not waited out'
            $async.IsCompleted | Should -BeTrue
            @(Get-SimulatorLog Krea).Count | Should -Be 1
        }
        finally { $shell.Dispose() }
    }
}

Describe 'Wait-ProviderJob and the same job given twice' {
    BeforeEach {
        Reset-Simulator; Set-SimulatorEnvironment
        New-SimulatorLiveJob Krea @(@{ id = 'twice'; runMs = 2500 })
    }

    It 'waits for a job <How> once and writes it once' -ForEach @(
        @{ How = 'piped twice'; Piped = $true }
        @{ How = 'given twice with -Id'; Piped = $false }
    ) {
        $arguments = @{ PollingIntervalSec = 1; Timeout = 30 }
        if ($Piped) {
            $job = Get-ProviderJob -Provider Krea -Id twice
            Clear-SimulatorLog
            $jobs = @(@($job, $job) | Wait-ProviderJob @arguments)
        }
        else {
            Clear-SimulatorLog
            $jobs = @(Wait-ProviderJob -Provider Krea -Id twice, twice @arguments)
        }

        $jobs.Count | Should -Be 1
        $jobs[0].Id | Should -Be 'twice'
        $jobs[0].Status | Should -Be 'Succeeded'
        # One read per poll: two reads of the same round would come milliseconds apart.
        $polls = @(Get-DetailLog Krea | ForEach-Object { [datetime]$_.startedAt })
        $polls.Count | Should -BeGreaterOrEqual 2
        for ($i = 1; $i -lt $polls.Count; $i++) { ($polls[$i] - $polls[$i - 1]).TotalMilliseconds | Should -BeGreaterOrEqual 900 }
    }
}
