# Wait-ProviderJob ends a wait on every final status, not only Succeeded: jobs that end Failed or
# Canceled are written as soon as they are seen so, without waiting out -Timeout.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Providers = @(Get-ProviderFacts)
    # Convertly has no cancelled status (a cancelled job is deleted), so no job of its can end Canceled.
    $Cancellable = @($Providers | Where-Object Name -ne 'Convertly')
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force
    function Get-DetailLog([string] $Provider) { @(Get-SimulatorLog $Provider | Where-Object { $_.method -eq 'GET' -and $_.path -match '/jobs/.+' }) }
}

Describe 'Wait-ProviderJob on a <Name> job that ends Failed' -ForEach $Providers {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'writes it Failed as soon as it fails, with no warning' {
        New-SimulatorLiveJob $Name @(@{ id = 'doomed'; runMs = 1200; final = 'failed' })
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $output = @(Wait-ProviderJob -Provider $Name -Id doomed -PollingIntervalSec 1 -Timeout 25 3>&1)
        $clock.Stop()

        @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 0
        $job = @($output | Where-Object { $_ -is [JobsModule.ProviderJob] })
        $job.Count | Should -Be 1
        $job[0].Id | Should -Be 'doomed'
        $job[0].Status | Should -Be 'Failed'
        $job[0].Provider | Should -Be $Name
        # Well before -Timeout: the wait ended on the status, not on the clock.
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 20
    }
}

Describe 'Wait-ProviderJob on a <Name> job that ends Canceled' -ForEach $Cancellable {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'writes it Canceled as soon as it is cancelled, with no warning' {
        New-SimulatorLiveJob $Name @(@{ id = 'called-off'; runMs = 1200; final = 'canceled' })
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $output = @(Wait-ProviderJob -Provider $Name -Id called-off -PollingIntervalSec 1 -Timeout 25 3>&1)
        $clock.Stop()

        @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 0
        $job = @($output | Where-Object { $_ -is [JobsModule.ProviderJob] })
        $job.Count | Should -Be 1
        $job[0].Id | Should -Be 'called-off'
        $job[0].Status | Should -Be 'Canceled'
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 20
    }

    It 'writes a job piped in already Canceled without asking again' {
        $cancelled = Get-ProviderJob -Provider $Name -Status Canceled -First 1
        $cancelled | Should -Not -BeNullOrEmpty -Because 'every dataset has cancelled jobs'
        Clear-SimulatorLog

        # -Timeout only so that a wait that wrongly polls ends: it must not be needed.
        $job = @(Wait-ProviderJob -InputObject $cancelled -Timeout 10 3>&1)

        $job.Count | Should -Be 1
        $job[0].Id | Should -Be $cancelled.Id
        $job[0].Status | Should -Be 'Canceled'
        @(Get-SimulatorLog).Count | Should -Be 0
    }
}

Describe 'Wait-ProviderJob with several final states' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'writes each job as it ends, whichever way it ends' {
        New-SimulatorLiveJob Krea @(
            @{ id = 'ok'; runMs = 3600; final = 'succeeded' }
            @{ id = 'broke'; runMs = 600; final = 'failed' }
            @{ id = 'dropped'; runMs = 1800; final = 'canceled' }
        )
        $jobs = @(Wait-ProviderJob -Provider Krea -Id ok, broke, dropped -PollingIntervalSec 1 -Timeout 30)

        ($jobs.Id -join ',') | Should -Be 'broke,dropped,ok'
        ($jobs.Status -join ',') | Should -Be 'Failed,Canceled,Succeeded'
    }

    It '-Any returns the first job to end, even when it ends Canceled' {
        New-SimulatorLiveJob Unstructured @(@{ id = 'long'; runMs = 60000 }, @{ id = 'stopped'; runMs = 600; final = 'canceled' })
        $jobs = @(Wait-ProviderJob -Provider Unstructured -Id long, stopped -Any -PollingIntervalSec 1 -Timeout 30)

        $jobs.Count | Should -Be 1
        $jobs[0].Id | Should -Be 'stopped'
        $jobs[0].Status | Should -Be 'Canceled'
        $jobs[0].ProviderStatus | Should -Be 'STOPPED'
    }

    It 'writes jobs piped in already Failed without asking again' {
        $failed = @(Get-ProviderJob -Provider Ittybit -Status Failed -First 2)
        $failed.Count | Should -Be 2
        Clear-SimulatorLog

        $jobs = @($failed | Wait-ProviderJob -Timeout 10 3>&1)

        ($jobs.Id -join ',') | Should -Be ($failed.Id -join ',')
        @(Get-SimulatorLog).Count | Should -Be 0
    }
}
