# What is shown and what is done can be trusted: an answer about another job is never used, a stop the
# provider accepted is reported as done, and the errors about one job say the same thing everywhere.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Providers = @(Get-ProviderFacts)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force
    function Get-Methods([string] $Provider) { @(Get-SimulatorLog $Provider).method -join ',' }
}

Describe 'A gateway that answers with another job (<Name>)' -ForEach $Providers {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'Get-ProviderJob -Id writes ProviderResponseInvalid naming both ids, and not the other job' {
        $jobs = @(Get-SimulatorJob $Name)
        $asked = $jobs[0].($IdField)
        $other = $jobs[1].($IdField)
        Set-SimulatorOption $Name @{ answerWithJob = $other }
        Clear-SimulatorLog

        $written = @(Get-ProviderJob -Provider $Name -Id $asked -ErrorVariable problems -ErrorAction SilentlyContinue)

        $written.Count | Should -Be 0
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'ProviderResponseInvalid,JobsModule.Commands.GetProviderJobCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problems[0].TargetObject | Should -Be $asked
        $problems[0].Exception.Message | Should -Match ([regex]::Escape("with job '$other' instead of job '$asked'"))
        (Get-SimulatorLog $Name).fault | Should -Be 'answerWithJob'
    }
}

Describe 'A gateway that answers a finished Krea job''s read with a running one' {
    BeforeEach {
        Reset-Simulator; Set-SimulatorEnvironment
        New-SimulatorLiveJob Krea @(@{ id = 'running-one'; runMs = 600000 })
        $script:Finished = (Get-SimulatorJob Krea | Where-Object status -eq 'completed' | Select-Object -First 1).job_id
        $script:Piped = Get-ProviderJob -Provider Krea -Id $script:Finished
        Set-SimulatorOption Krea @{ answerWithJob = 'running-one' }
        Clear-SimulatorLog
    }

    It '<Command> <How> writes ProviderResponseInvalid and sends no DELETE' -ForEach @(
        @{ Command = 'Stop-ProviderJob'; How = '-Id'; Piped = $false }
        @{ Command = 'Stop-ProviderJob'; How = 'piped'; Piped = $true }
        @{ Command = 'Remove-ProviderJob'; How = '-Id'; Piped = $false }
        @{ Command = 'Remove-ProviderJob'; How = 'piped'; Piped = $true }
    ) {
        $arguments = @{ Confirm = $false; PassThru = $true; ErrorVariable = 'problems'; ErrorAction = 'SilentlyContinue' }
        $written = if ($Piped) { @($script:Piped | & $Command @arguments) } else { @(& $Command -Provider Krea -Id $script:Finished @arguments) }

        $written.Count | Should -Be 0
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "ProviderResponseInvalid,JobsModule.Commands.$($Command -replace '-', '')Command"
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problems[0].TargetObject | Should -Be $script:Finished
        $problems[0].Exception.Message | Should -Match ([regex]::Escape("with job 'running-one' instead of job '$($script:Finished)'"))
        Get-Methods Krea | Should -Be 'GET' -Because 'the job was judged on nothing, so nothing was sent'
        (Get-SimulatorJob Krea).job_id | Should -Contain $script:Finished
    }

    It 'Wait-ProviderJob writes ProviderResponseInvalid and not the other job' {
        $written = @(Wait-ProviderJob -Provider Krea -Id $script:Finished -Timeout 10 -ErrorVariable problems -ErrorAction SilentlyContinue)

        $written.Count | Should -Be 0
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'ProviderResponseInvalid,JobsModule.Commands.WaitProviderJobCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problems[0].TargetObject | Should -Be $script:Finished
        Get-Methods Krea | Should -Be 'GET'
    }
}

Describe 'A stop the provider accepted, whose read afterwards fails (<Name>)' -ForEach @(
    @{ Name = 'Unstructured'; Stop = 'POST'; Read = 'SCHEDULED' }
    @{ Name = 'Krea'; Stop = 'DELETE'; Read = 'queued' }
) {
    BeforeEach {
        Reset-Simulator; Set-SimulatorEnvironment
        New-SimulatorLiveJob $Name @(@{ id = 'to-stop'; runMs = 600000 })
        # The read and the stop go through; every request after them is a 503.
        Set-SimulatorOption $Name @{ failStatus = 503; failAfter = 2; failCount = 100; retryAfter = '0' }
        Clear-SimulatorLog
    }

    It 'is reported as done with -ErrorAction Stop: the job as read before the stop, and a warning instead of an error' {
        $thrown = $null
        try { $output = @(Stop-ProviderJob -Provider $Name -Id to-stop -Confirm:$false -PassThru -MaximumRetryCount 1 -ErrorAction Stop 3>&1) }
        catch { $thrown = $_ }

        $thrown | Should -BeNullOrEmpty
        $jobs = @($output | Where-Object { $_ -is [JobsModule.ProviderJob] })
        $jobs.Count | Should -Be 1
        $jobs[0].Id | Should -Be 'to-stop'
        $jobs[0].ProviderStatus | Should -BeExactly $Read
        $warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -Match "^$Name accepted the stop of job 'to-stop', but reading the job again afterwards failed, so -PassThru writes it as it was read before the stop: $Name answered 503"
        Get-Methods $Name | Should -Be "GET,$Stop,GET,GET"
        $after = Get-SimulatorJob $Name | Where-Object { $_.id -eq 'to-stop' -or $_.job_id -eq 'to-stop' }
        if ($Name -eq 'Krea') { $after | Should -BeNullOrEmpty -Because 'Krea deleted it' } else { $after.status | Should -Be 'STOPPED' }
    }
}

Describe 'One wording for a job the provider does not have' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It '<Command> writes JobNotFound saying "Krea has no job with id ''nope''." in its error and its exception' -ForEach @(
        @{ Command = 'Get-ProviderJob' }, @{ Command = 'Wait-ProviderJob' }, @{ Command = 'Stop-ProviderJob' }, @{ Command = 'Remove-ProviderJob' }
    ) {
        $arguments = @{ Provider = 'Krea'; Id = 'nope'; ErrorVariable = 'problems'; ErrorAction = 'SilentlyContinue' }
        if ($Command -ne 'Get-ProviderJob' -and $Command -ne 'Wait-ProviderJob') { $arguments.Confirm = $false }
        $null = & $Command @arguments

        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "JobNotFound,JobsModule.Commands.$($Command -replace '-', '')Command"
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be 'nope'
        $problems[0].ToString() | Should -BeExactly "Krea has no job with id 'nope'."
        $problems[0].Exception.Message | Should -BeExactly "Krea has no job with id 'nope'."
        # The provider's own words and the status are still there for a script.
        $problems[0].Exception.StatusCode | Should -Be 404
        $problems[0].Exception.ProviderMessage | Should -Be 'Job not found'
    }
}

Describe 'A provider that cannot stop or delete names the job' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It '<Command> on a <Name> job is <Id>, naming the provider and the job, with the job as target' -ForEach @(
        @{ Command = 'Stop-ProviderJob'; Name = 'PyannoteAI'; Id = 'CancelNotSupported'; Words = 'cannot be stopped: PyannoteAI has no endpoint to cancel a job' }
        @{ Command = 'Stop-ProviderJob'; Name = 'Ittybit'; Id = 'CancelNotSupported'; Words = 'cannot be stopped: Ittybit has no endpoint to cancel a job' }
        @{ Command = 'Remove-ProviderJob'; Name = 'Convertly'; Id = 'DeleteNotSupported'; Words = 'cannot be removed: Convertly documents no way to delete a job' }
        @{ Command = 'Remove-ProviderJob'; Name = 'Unstructured'; Id = 'DeleteNotSupported'; Words = 'cannot be removed: Unstructured documents no way to delete a job' }
    ) {
        $job = Get-ProviderJob -Provider $Name -First 1
        Clear-SimulatorLog

        $job | & $Command -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue

        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "$Id,JobsModule.Commands.$($Command -replace '-', '')Command"
        $problems[0].CategoryInfo.Category | Should -Be 'NotImplemented'
        $problems[0].TargetObject | Should -Be $job.Id
        $problems[0].ToString() | Should -BeExactly "$Name job '$($job.Id)' $Words. Nothing was sent."
        $problems[0].Exception.Message | Should -BeExactly $problems[0].ToString()
        @(Get-SimulatorLog).Count | Should -Be 0
    }
}
