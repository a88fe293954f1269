# One job by id, waiting for jobs, and cancelling them.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Providers = @(Get-ProviderFacts)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force
    function Get-DetailLog([string] $Provider) { @(Get-SimulatorLog $Provider | Where-Object { $_.method -eq 'GET' -and $_.query -eq '' -and $_.path -match '/jobs/.+' }) }
}

Describe 'Get-ProviderJob -Id (<Name>)' -ForEach $Providers {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'gets one job from the single-job endpoint, with what it adds' {
        $raw = (Get-SimulatorJob $Name)[3]
        $id = $raw.($IdField)
        Clear-SimulatorLog
        $job = @(Get-ProviderJob -Provider $Name -Id $id)
        $job.Count | Should -Be 1
        $job[0].Id | Should -Be $id
        $job[0].Provider | Should -Be $Name
        $job[0].ProviderStatus | Should -Be $raw.status
        $job[0].psobject.TypeNames[0] | Should -Be "JobsModule.$($Name)Job"
        $job[0].psobject.TypeNames | Should -Contain 'JobsModule.ProviderJob'
        $log = Get-DetailLog $Name
        $log.Count | Should -Be 1
        $log[0].path | Should -Match ([regex]::Escape([uri]::EscapeDataString($id)) + '$')
        switch ($Name) {
            'Ittybit' { $job[0].Tasks | Should -Not -BeNullOrEmpty }
            'Convertly' { $job[0].TotalFiles | Should -Be $raw.total_files }
        }
    }

    It 'a missing id is JobNotFound and the other ids go on' {
        $id = (Get-SimulatorJob $Name)[0].($IdField)
        $jobs = @(Get-ProviderJob -Provider $Name -Id 'no-such-job', $id -ErrorVariable problems -ErrorAction SilentlyContinue)
        $jobs.Id | Should -Be $id
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'JobNotFound,JobsModule.Commands.GetProviderJobCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be 'no-such-job'
        $problems[0].ErrorDetails.Message | Should -Match "$Name has no job with id 'no-such-job'"
    }

    It 'escapes ids in the path' {
        New-SimulatorLiveJob $Name @(@{ id = 'a/b c?d'; runMs = 100000 })
        Clear-SimulatorLog
        (Get-ProviderJob -Provider $Name -Id 'a/b c?d').Id | Should -Be 'a/b c?d'
        # The simulator logs the path as ASP.NET decodes it: only the escaped slash stays escaped,
        # and the '?' reached it as part of the path rather than starting a query.
        $entry = (Get-DetailLog $Name)[0]
        $entry.path | Should -Match 'a%2Fb c\?d$'
        $entry.query | Should -Be ''
    }

    It 'refreshes jobs piped to it' {
        $listed = @(Get-ProviderJob -Provider $Name -First 2)
        Clear-SimulatorLog
        $fresh = @($listed | Get-ProviderJob)
        ($fresh.Id -join ',') | Should -Be ($listed.Id -join ',')
        (Get-DetailLog $Name).Count | Should -Be 2
    }
}

Describe 'Get-ProviderJob -Id and accounts' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }
    AfterEach { Get-ProviderAccount | Where-Object IsConnected | Disconnect-ProviderAccount }

    It 'finds a job through whichever account has it' {
        $info = Get-SimulatorInfo
        Connect-ProviderAccount -Provider Krea -Name a-broken -ApiKey (ConvertTo-SecureString 'wrong' -AsPlainText -Force)
        Connect-ProviderAccount -Provider Krea -Name b-good -ApiKey (ConvertTo-SecureString $info.providers.krea.key -AsPlainText -Force)
        $id = (Get-SimulatorJob Krea)[0].job_id
        $job = @(Get-ProviderJob -Provider Krea -Id $id -ErrorVariable problems)
        $problems.Count | Should -Be 0
        $job.Account | Should -Be 'b-good'
        @(Get-ProviderJob -Provider Krea -Id $id -Account a-broken -ErrorVariable problems -ErrorAction SilentlyContinue).Count | Should -Be 0
        $problems[0].FullyQualifiedErrorId | Should -Be 'ProviderAuthenticationFailed,JobsModule.Commands.GetProviderJobCommand'
    }

    It 'honours -BaseUri' {
        $info = Get-SimulatorInfo
        $env:KREA_BASE_URL = 'http://127.0.0.1:9/nowhere'
        $id = (Get-SimulatorJob Krea)[0].job_id
        (Get-ProviderJob -Provider Krea -Id $id -BaseUri $info.providers.krea.baseUrl).Id | Should -Be $id
    }

    It 'Wait- and Stop-ProviderJob -Id also find the job through whichever account has it' {
        $info = Get-SimulatorInfo
        Connect-ProviderAccount -Provider Krea -Name a-broken -ApiKey (ConvertTo-SecureString 'wrong' -AsPlainText -Force)
        Connect-ProviderAccount -Provider Krea -Name b-good -ApiKey (ConvertTo-SecureString $info.providers.krea.key -AsPlainText -Force)
        New-SimulatorLiveJob Krea @(@{ id = 'done-soon'; runMs = 0 }, @{ id = 'to-stop'; runMs = 600000 })
        $waited = @(Wait-ProviderJob -Provider Krea -Id done-soon -Timeout 10 -ErrorVariable problems)
        $problems.Count | Should -Be 0
        $waited.Account | Should -Be 'b-good'
        $waited.Status | Should -Be 'Succeeded'
        $stopped = @(Stop-ProviderJob -Provider Krea -Id to-stop -Account b* -Confirm:$false -PassThru -ErrorVariable problems)
        $problems.Count | Should -Be 0
        $stopped.Status | Should -Be 'Canceled'
        $stopped.Account | Should -Be 'b-good'
    }

    It 'a job piped with -ApiKey is refreshed with that key, whatever account listed it' {
        $info = Get-SimulatorInfo
        $jobs = @(Get-ProviderJob -Provider Krea -First 2)
        $jobs[0].Account | Should -Be 'Krea'
        $env:KREA_API_KEY = 'no-longer-valid'
        $refreshed = @($jobs | Get-ProviderJob -ApiKey (ConvertTo-SecureString $info.providers.krea.key -AsPlainText -Force) -ErrorVariable problems)
        $problems.Count | Should -Be 0
        $refreshed.Id | Should -Be $jobs.Id
    }

    It 'refuses -ApiKey with -Account' {
        $err = $null
        try { Get-ProviderJob -Provider Krea -Account x -ApiKey (ConvertTo-SecureString 'k' -AsPlainText -Force) } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'ApiKeyWithAccount,JobsModule.Commands.GetProviderJobCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}

Describe 'pyannoteAI output' {
    BeforeAll { Reset-Simulator; Set-SimulatorEnvironment }

    It 'fills Output for a succeeded job' {
        $raw = Get-SimulatorJob PyannoteAI | Where-Object status -eq 'succeeded' | Select-Object -First 1
        $job = Get-ProviderJob -Provider PyannoteAI -Id $raw.id
        $job | Should -BeOfType ([JobsModule.PyannoteAIJob])
        $job.Output.diarization[0].speaker | Should -Be 'SPEAKER_00'
    }
}

Describe 'Wait-ProviderJob' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'waits for jobs that finish at different times and writes them as they finish' {
        New-SimulatorLiveJob Krea @(@{ id = 'slow'; runMs = 2500; final = 'failed' }, @{ id = 'fast'; runMs = 800; final = 'succeeded' })
        $jobs = @(Get-ProviderJob -Provider Krea -Id slow, fast | Wait-ProviderJob -PollingIntervalSec 1)
        ($jobs.Id -join ',') | Should -Be 'fast,slow'
        ($jobs.Status -join ',') | Should -Be 'Succeeded,Failed'
    }

    It '-Any returns when the first job finishes' {
        New-SimulatorLiveJob Unstructured @(@{ id = 'long'; runMs = 60000 }, @{ id = 'short'; runMs = 600 })
        $jobs = @(Wait-ProviderJob -Provider Unstructured -Id long, short -Any -PollingIntervalSec 1)
        $jobs.Id | Should -Be 'short'
        $jobs[0].Status | Should -Be 'Succeeded'
    }

    It '-Timeout writes the jobs still running as they are, with a warning' {
        New-SimulatorLiveJob Convertly @(@{ id = 'endless'; runMs = 600000 })
        $output = @(Wait-ProviderJob -Provider Convertly -Id endless -Timeout 2 -PollingIntervalSec 1 3>&1)
        $warning = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $warning.Count | Should -Be 1
        $warning[0].Message | Should -Match '1 job\(s\) had not finished after 2 s'
        $job = @($output | Where-Object { $_ -is [JobsModule.ProviderJob] })
        $job.Id | Should -Be 'endless'
        $job.Status | Should -BeIn 'Queued', 'Running'
    }

    It '-Timeout 0 reads each job once and writes it as it is' {
        New-SimulatorLiveJob Krea @(@{ id = 'busy'; runMs = 600000 })
        Clear-SimulatorLog
        $output = @(Wait-ProviderJob -Provider Krea -Id busy -Timeout 0 3>&1)
        @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 1
        ($output | Where-Object { $_ -is [JobsModule.ProviderJob] }).Id | Should -Be 'busy'
        (Get-DetailLog Krea).Count | Should -Be 1
    }

    It '-TimeoutSec is each request''s limit, as on Get-ProviderJob, and no other name for -Timeout' {
        New-SimulatorLiveJob Krea @(@{ id = 'busy'; runMs = 600000 })
        $output = @(Wait-ProviderJob -Provider Krea -Id busy -Timeout 0 -TimeoutSec 30 -ErrorVariable problems 3>&1)
        $problems.Count | Should -Be 0
        ($output | Where-Object { $_ -is [JobsModule.ProviderJob] }).Id | Should -Be 'busy'
        @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 1
        (Get-Command Wait-ProviderJob).Parameters['Timeout'].Aliases | Should -Not -Contain 'TimeoutSec'
        foreach ($name in 'Wait-ProviderJob', 'Stop-ProviderJob', 'Remove-ProviderJob') {
            $range = (Get-Command $name).Parameters['TimeoutSec'].Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] }
            "$name $($range.MinRange)-$($range.MaxRange)" | Should -Be "$name 1-86400"
        }
    }

    It '-MaximumRetryCount and -RetryIntervalSec retry the reads as on Get-ProviderJob, on Wait-, Stop- and Remove-ProviderJob' {
        New-SimulatorLiveJob Krea @(@{ id = 'flaky'; runMs = 600000 })
        Set-SimulatorOption Krea @{ failStatus = 503; failCount = 20; retryAfter = '0' }
        Clear-SimulatorLog
        $null = Wait-ProviderJob -Provider Krea -Id flaky -Timeout 30 -MaximumRetryCount 1 -ErrorVariable waitProblems -ErrorAction SilentlyContinue 3>$null
        (Get-DetailLog Krea).Count | Should -Be 2 -Because 'one try and one retry'
        $waitProblems[0].FullyQualifiedErrorId | Should -Be 'ProviderUnavailable,JobsModule.Commands.WaitProviderJobCommand'
        $waitProblems[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'

        Clear-SimulatorLog
        Stop-ProviderJob -Provider Krea -Id flaky -MaximumRetryCount 0 -Confirm:$false -ErrorVariable stopProblems -ErrorAction SilentlyContinue
        (@(Get-SimulatorLog Krea).method -join ',') | Should -Be 'GET' -Because 'the read failed, so no stop was sent'
        $stopProblems[0].FullyQualifiedErrorId | Should -Be 'ProviderUnavailable,JobsModule.Commands.StopProviderJobCommand'

        Clear-SimulatorLog
        Remove-ProviderJob -Provider Krea -Id flaky -MaximumRetryCount 2 -RetryIntervalSec 1 -Confirm:$false -ErrorVariable removeProblems -ErrorAction SilentlyContinue
        (@(Get-SimulatorLog Krea).method -join ',') | Should -Be 'GET,GET,GET'
        $removeProblems[0].FullyQualifiedErrorId | Should -Be 'ProviderUnavailable,JobsModule.Commands.RemoveProviderJobCommand'
        foreach ($name in 'Wait-ProviderJob', 'Stop-ProviderJob', 'Remove-ProviderJob') {
            $parameters = (Get-Command $name).Parameters
            $retries = $parameters['MaximumRetryCount'].Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] }
            $interval = $parameters['RetryIntervalSec'].Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] }
            "$name $($retries.MinRange)-$($retries.MaxRange) $($interval.MinRange)-$($interval.MaxRange)" | Should -Be "$name 0-100 1-3600"
        }
    }

    It 'a stop that fails is not retried, whatever -MaximumRetryCount says' {
        $busy = @(Get-SimulatorJob Convertly | Where-Object status -eq 'pending')[0]
        Set-SimulatorOption Convertly @{ failStatus = 503; failCount = 1; failAfter = 1; retryAfter = '0' }
        Clear-SimulatorLog
        Stop-ProviderJob -Provider Convertly -Id $busy.id -MaximumRetryCount 5 -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        (@(Get-SimulatorLog Convertly).method -join ',') | Should -Be 'GET,DELETE'
        $problems[0].FullyQualifiedErrorId | Should -Be 'ProviderUnavailable,JobsModule.Commands.StopProviderJobCommand'
        $problems[0].Exception.StatusCode | Should -Be 503
    }

    It 'polls each job no more often than -PollingIntervalSec' {
        New-SimulatorLiveJob Ittybit @(@{ id = 'job_paced'; runMs = 3500 })
        Clear-SimulatorLog
        $null = Wait-ProviderJob -Provider Ittybit -Id job_paced -PollingIntervalSec 1
        $polls = @(Get-DetailLog Ittybit | ForEach-Object { [datetime]$_.startedAt })
        $polls.Count | Should -BeGreaterOrEqual 3
        for ($i = 1; $i -lt $polls.Count; $i++) { ($polls[$i] - $polls[$i - 1]).TotalMilliseconds | Should -BeGreaterOrEqual 950 }
    }

    It 'warns once about a status it does not know and waits on' {
        New-SimulatorLiveJob Krea @(@{ id = 'odd'; runMs = 2000; middle = 'mystery' })
        $output = @(Wait-ProviderJob -Provider Krea -Id odd -PollingIntervalSec 1 3>&1)
        @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] -and $_.Message -match "status 'mystery'" }).Count | Should -Be 1
        ($output | Where-Object { $_ -is [JobsModule.ProviderJob] }).Status | Should -Be 'Succeeded'
    }

    It 'writes a job that is already finished without asking again' {
        $done = Get-ProviderJob -Provider Krea | Where-Object Status -eq Succeeded | Select-Object -First 1
        Clear-SimulatorLog
        (Wait-ProviderJob -InputObject $done).Id | Should -Be $done.Id
        (Get-SimulatorLog).Count | Should -Be 0
    }
}

Describe 'Stop-ProviderJob' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'cancels a <Name> job with <Method>; -PassThru writes ProviderStatus <Raw>' -ForEach @(
        @{ Name = 'Krea'; Method = 'DELETE'; Final = 'Canceled'; Raw = 'deleted' }
        @{ Name = 'Unstructured'; Method = 'POST'; Final = 'Canceled'; Raw = 'STOPPED' }
    ) {
        New-SimulatorLiveJob $Name @(@{ id = 'to-stop'; runMs = 600000 })
        Clear-SimulatorLog
        $job = Get-ProviderJob -Provider $Name -Id 'to-stop' | Stop-ProviderJob -Confirm:$false -PassThru
        $job.Status | Should -Be $Final
        $job.ProviderStatus | Should -BeExactly $Raw
        @(Get-SimulatorLog $Name | Where-Object method -eq $Method).Count | Should -Be 1
    }

    It 'cancels a pending Convertly job (which Convertly then removes)' {
        New-SimulatorLiveJob Convertly @(@{ id = 'pending-one'; runMs = 600000 })
        $job = Get-ProviderJob -Provider Convertly -Id 'pending-one'
        $job.Status | Should -Be 'Queued'
        $result = $job | Stop-ProviderJob -Confirm:$false -PassThru
        $result.Id | Should -Be 'pending-one'
        $result.Status | Should -Be 'Canceled'
        # Convertly has no word for a job it removed: the module's own marker says what happened.
        $result.ProviderStatus | Should -BeExactly 'deleted'
        $job.Status | Should -Be 'Queued'
        @(Get-SimulatorLog Convertly | Where-Object method -eq 'DELETE').Count | Should -Be 1
        @(Get-ProviderJob -Provider Convertly -Id 'pending-one' -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'Convertly -Id with -PassThru reads the job first, then writes it cancelled without an error' {
        New-SimulatorLiveJob Convertly @(@{ id = 'pending-two'; runMs = 600000 })
        Clear-SimulatorLog
        $result = @(Stop-ProviderJob -Provider Convertly -Id 'pending-two' -Confirm:$false -PassThru -ErrorVariable problems)
        $problems.Count | Should -Be 0
        $result.Count | Should -Be 1
        $result[0].Status | Should -Be 'Canceled'
        $result[0].ProviderStatus | Should -BeExactly 'deleted'
        $result[0] | Should -BeOfType ([JobsModule.ConvertlyJob])
        (@(Get-SimulatorLog Convertly).method -join ',') | Should -Be 'GET,DELETE,GET'
    }

    It 'a job the provider will not cancel in its state is ProviderConflict (InvalidOperation) with the provider''s message' {
        # Convertly cancels pending jobs only: a processing one is unfinished, so the cancel is sent, and refused.
        $busy = @(Get-SimulatorJob Convertly | Where-Object status -eq 'processing')[0]
        Clear-SimulatorLog
        Stop-ProviderJob -Provider Convertly -Id $busy.id -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -Be 'ProviderConflict,JobsModule.Commands.StopProviderJobCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $problems[0].Exception.StatusCode | Should -Be 409
        $problems[0].Exception.ProviderMessage | Should -Match 'cannot be cancelled'
        $problems[0].TargetObject | Should -Be $busy.id
        (@(Get-SimulatorLog Convertly).method -join ',') | Should -Be 'GET,DELETE'
    }

    It '<Name> has no cancel endpoint: NotImplemented, nothing sent' -ForEach @(@{ Name = 'PyannoteAI' }, @{ Name = 'Ittybit' }) {
        $job = Get-ProviderJob -Provider $Name -First 1
        Clear-SimulatorLog
        $job | Stop-ProviderJob -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -Be 'CancelNotSupported,JobsModule.Commands.StopProviderJobCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'NotImplemented'
        $problems[0].Exception.Message | Should -Match $Name
        (Get-SimulatorLog).Count | Should -Be 0
    }

    It '-WhatIf reads the job and sends no cancel' {
        New-SimulatorLiveJob Unstructured @(@{ id = 'spared'; runMs = 600000 })
        Clear-SimulatorLog
        Stop-ProviderJob -Provider Unstructured -Id spared -WhatIf
        (@(Get-SimulatorLog).method -join ',') | Should -Be 'GET'
        (Get-ProviderJob -Provider Unstructured -Id spared).Status | Should -BeIn 'Queued', 'Running'
    }
}
