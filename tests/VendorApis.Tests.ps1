# The APIs as their vendors publish them today: pyannoteAI's /v2/jobs (and its /v1 fallback), stopping
# without destroying and deleting on purpose, one unreadable value losing only that value, https only off
# loopback, ittybit's pinned API version. Against the simulator, asserting from its request log.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Providers = @(Get-ProviderFacts)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force
    function Get-ListLog([string] $Provider) { @(Get-SimulatorLog $Provider | Where-Object { $_.method -eq 'GET' -and $_.path -match '/jobs/?$' }) }
    function Get-Key([string] $Sim) { ConvertTo-SecureString (Get-SimulatorInfo).providers.$Sim.key -AsPlainText -Force }

    # The module remembers, per base URL, that pyannoteAI has only /v1/jobs there. Tests that make the
    # simulator v1-only reach it as localhost, a base URL of their own, so that the others still see /v2.
    function Get-LocalhostBaseUrl([string] $Sim) { ((Get-SimulatorInfo).providers.$Sim.baseUrl) -replace '127\.0\.0\.1', 'localhost' }
}

Describe 'pyannoteAI lists from /v2/jobs' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'lists <Count> jobs exactly with a cursor, <Requests> request(s): a small first page, then limit=100 (routes: <Routes>)' -ForEach @(
        @{ Count = 0; Requests = 1; Routes = 'both' }
        @{ Count = 132; Requests = 2; Routes = 'v2' }
        @{ Count = 250; Requests = 4; Routes = 'both' }
        @{ Count = 250; Requests = 4; Routes = 'v2' }
    ) {
        Set-SimulatorOption PyannoteAI @{ listRoutes = $Routes }
        Set-SimulatorDataset PyannoteAI $Count
        Clear-SimulatorLog
        $jobs = @(Get-ProviderJob -Provider PyannoteAI)

        ($jobs.Id -join ',') | Should -Be ((Get-SimulatorJobId PyannoteAI) -join ',')
        $log = Get-SimulatorLog PyannoteAI
        $log.Count | Should -Be $Requests
        $log | ForEach-Object { $_.path | Should -Be '/pyannoteai/v2/jobs'; $_.status | Should -Be 200 }
        (ConvertTo-PlainQuery $log[0].query).Keys -join ',' | Should -Be 'limit'
        (ConvertTo-PlainQuery $log[0].query).limit | Should -Be ([string](Get-FirstPageSize))
        for ($i = 1; $i -lt $log.Count; $i++) {
            $query = ConvertTo-PlainQuery $log[$i].query
            $query.cursor | Should -Be $jobs[(Get-FirstPageSize) + 100 * ($i - 1) - 1].Id
            $query.limit | Should -Be '100'
        }
    }

    It '-First 5 is one request with limit=5, and -Status goes to the server' {
        Set-SimulatorDataset PyannoteAI 300
        Clear-SimulatorLog
        @(Get-ProviderJob -Provider PyannoteAI -First 5).Count | Should -Be 5
        $running = @(Get-ProviderJob -Provider PyannoteAI -Status Running -PageSize 7)
        $log = Get-SimulatorLog PyannoteAI
        $log[0].query | Should -Be '?limit=5'
        (ConvertTo-PlainQuery $log[1].query).status | Should -Be 'running'
        $running.Count | Should -Be (@(Get-SimulatorJob PyannoteAI | Where-Object status -eq 'running').Count)
        $log.Count | Should -Be (1 + [Math]::Ceiling($running.Count / 7))
    }

    It '-IncludeTotalCount says the total is unknown, since /v2/jobs gives none' {
        Set-SimulatorDataset PyannoteAI 30
        $output = @(Get-ProviderJob -Provider PyannoteAI -IncludeTotalCount)
        $total = $output[-1]
        $total.Accuracy | Should -Be 0
        $output.Count | Should -Be 31
    }

    It '-CreatedAfter stops at the first older job without asking for the next page' {
        Set-SimulatorDataset PyannoteAI 250
        $all = Get-SimulatorJob PyannoteAI
        $after = ([datetime]$all[20].createdAt).ToUniversalTime()
        Clear-SimulatorLog
        $jobs = @(Get-ProviderJob -Provider PyannoteAI -CreatedAfter $after)
        $jobs.Count | Should -Be 21
        (Get-SimulatorLog PyannoteAI).Count | Should -Be 1
    }

    It 'a v1-only deployment is listed through /v1/jobs after one 404, said once in verbose, and remembered' {
        Set-SimulatorOption PyannoteAI @{ listRoutes = 'v1' }
        Set-SimulatorDataset PyannoteAI 150
        # A base URL no other test uses (the trailing slash), so that this listing is the first there.
        $env:PYANNOTEAI_BASE_URL = (Get-LocalhostBaseUrl pyannoteai) + '/'
        Clear-SimulatorLog
        $output = @(Get-ProviderJob -Provider PyannoteAI -Status Succeeded -Verbose 4>&1)
        $jobs = @($output | Where-Object { $_ -is [JobsModule.ProviderJob] })
        $notes = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'instead' })

        ($jobs.Id -join ',') | Should -Be ((Get-SimulatorJob PyannoteAI | Where-Object status -eq 'succeeded').id -join ',')
        $notes.Count | Should -Be 1
        $notes[0].Message | Should -Match '404.*/pyannoteai/v2/jobs.*/pyannoteai/v1/jobs'
        $log = Get-SimulatorLog PyannoteAI
        ($log.path -join ',') | Should -Be '/pyannoteai/v2/jobs,/pyannoteai/v1/jobs'
        ($log.status -join ',') | Should -Be '404,200'
        (ConvertTo-PlainQuery $log[1].query).status | Should -Be 'succeeded'

        Clear-SimulatorLog
        $again = @(Get-ProviderJob -Provider PyannoteAI -PageSize 100 -Verbose 4>&1)
        @($again | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'instead' }).Count | Should -Be 0
        ((Get-SimulatorLog PyannoteAI).path -join ',') | Should -Be '/pyannoteai/v1/jobs,/pyannoteai/v1/jobs'
        @($again | Where-Object { $_ -is [JobsModule.ProviderJob] }).Count | Should -Be 150
    }

    It 'reads output.error and output.warning of a single job' {
        Set-SimulatorDataset PyannoteAI 60
        $all = Get-SimulatorJob PyannoteAI
        $failed = Get-ProviderJob -Provider PyannoteAI -Id ($all | Where-Object status -eq 'failed' | Select-Object -First 1).id
        $failed.Status | Should -Be 'Failed'
        $failed.Error | Should -Not -BeNullOrEmpty
        $warned = @(Get-ProviderJob -Provider PyannoteAI -Id ($all | Where-Object status -eq 'succeeded').id | Where-Object Warning)
        $warned.Count | Should -BeGreaterThan 0
    }
}

Describe 'Stop-ProviderJob looks before it acts' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'a finished <Name> job is JobAlreadyFinished, and only a GET is sent' -ForEach @(
        @{ Name = 'Krea'; Status = 'completed' }
        @{ Name = 'Unstructured'; Status = 'COMPLETED' }
        @{ Name = 'Convertly'; Status = 'completed' }
    ) {
        $done = @(Get-SimulatorJob $Name | Where-Object status -eq $Status)[0]
        $id = $done.((Get-ProviderFacts $Name).IdField)
        Clear-SimulatorLog
        Stop-ProviderJob -Provider $Name -Id $id -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue

        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'JobAlreadyFinished,JobsModule.Commands.StopProviderJobCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $problems[0].TargetObject | Should -Be $id
        $problems[0].Exception.Message | Should -Match 'nothing was sent'
        (@(Get-SimulatorLog $Name).method -join ',') | Should -Be 'GET'
        (Get-ProviderJob -Provider $Name -Id $id).Status | Should -Be 'Succeeded'
    }

    It 'the Krea message says that its stop deletes, and points at Remove-ProviderJob' {
        $done = @(Get-SimulatorJob Krea | Where-Object status -eq 'failed')[0]
        Stop-ProviderJob -Provider Krea -Id $done.job_id -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].Exception.Message | Should -Match 'deleting it'
        $problems[0].Exception.Message | Should -Match 'Remove-ProviderJob'
    }

    It 'a running Krea job is stopped with its DELETE, and -PassThru writes it Canceled, ProviderStatus deleted' {
        New-SimulatorLiveJob Krea @(@{ id = 'rendering'; runMs = 600000 })
        Clear-SimulatorLog
        $job = Stop-ProviderJob -Provider Krea -Id rendering -Confirm:$false -PassThru
        $job.Status | Should -Be 'Canceled'
        # Krea deleted the job, so it never said 'cancelled': the module's marker, not Krea's word.
        $job.ProviderStatus | Should -BeExactly 'deleted'
        (@(Get-SimulatorLog Krea).method -join ',') | Should -Be 'GET,DELETE,GET'
        @(Get-ProviderJob -Provider Krea -Id rendering -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'a Krea job in a status the module does not know is JobStatusUnknown, and not deleted' {
        # The simulator gives every 17th job (index 8) a status outside the documented ones.
        $odd = (Get-SimulatorJob Krea)[8]
        (Get-ProviderJob -Provider Krea -Id $odd.job_id).Status | Should -Be 'Unknown'
        Clear-SimulatorLog
        Stop-ProviderJob -Provider Krea -Id $odd.job_id -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -Be 'JobStatusUnknown,JobsModule.Commands.StopProviderJobCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $problems[0].Exception.Message | Should -Match ([regex]::Escape("'$($odd.status)'"))
        (@(Get-SimulatorLog Krea).method -join ',') | Should -Be 'GET'
    }

    It '-WhatIf reads the job, says the stop deletes it, and sends nothing that changes it' {
        New-SimulatorLiveJob Krea @(@{ id = 'spared'; runMs = 600000 })
        Clear-SimulatorLog
        $text = Invoke-ModuleProcess 'Stop-ProviderJob -Provider Krea -Id spared -WhatIf'
        $text | Should -Match 'deleting the job and its results'
        $text | Should -Match "Krea job 'spared'"
        (@(Get-SimulatorLog Krea).method -join ',') | Should -Be 'GET'
        (Get-ProviderJob -Provider Krea -Id spared).Status | Should -BeIn 'Queued', 'Running'
    }
}

Describe 'Remove-ProviderJob' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'deletes a finished Krea job after reading it; -PassThru writes it as it was' {
        $done = @(Get-SimulatorJob Krea | Where-Object status -eq 'completed')[0]
        $before = (Get-SimulatorInfo).providers.krea.count
        Clear-SimulatorLog
        $removed = Get-ProviderJob -Provider Krea -Id $done.job_id | Remove-ProviderJob -Confirm:$false -PassThru

        $removed.Id | Should -Be $done.job_id
        $removed.Status | Should -Be 'Succeeded'
        (@(Get-SimulatorLog Krea).method -join ',') | Should -Be 'GET,GET,DELETE'
        (Get-SimulatorInfo).providers.krea.count | Should -Be ($before - 1)
        (Get-SimulatorJobId Krea) | Should -Not -Contain $done.job_id
    }

    It '-WhatIf names the job and its status and deletes nothing' {
        $done = @(Get-SimulatorJob Krea | Where-Object status -eq 'completed')[0]
        Clear-SimulatorLog
        $text = Invoke-ModuleProcess "Remove-ProviderJob -Provider Krea -Id '$($done.job_id)' -WhatIf"
        $text | Should -Match 'Delete the job and its results'
        $text | Should -Match "\(completed\)"
        (@(Get-SimulatorLog Krea).method -join ',') | Should -Be 'GET'
        (Get-SimulatorJobId Krea) | Should -Contain $done.job_id
    }

    It 'an id Krea does not have is JobNotFound, and no DELETE is sent' {
        Clear-SimulatorLog
        Remove-ProviderJob -Provider Krea -Id 'no-such-job' -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -Be 'JobNotFound,JobsModule.Commands.RemoveProviderJobCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        @(Get-SimulatorLog Krea | Where-Object method -eq 'DELETE').Count | Should -Be 0
    }

    It '<Name> documents no delete: DeleteNotSupported, nothing sent' -ForEach @(
        @{ Name = 'PyannoteAI' }, @{ Name = 'Ittybit' }, @{ Name = 'Convertly' }, @{ Name = 'Unstructured' }
    ) {
        $job = Get-ProviderJob -Provider $Name -First 1
        Clear-SimulatorLog
        $job | Remove-ProviderJob -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'DeleteNotSupported,JobsModule.Commands.RemoveProviderJobCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'NotImplemented'
        $problems[0].Exception.Message | Should -Match $Name
        (Get-SimulatorLog).Count | Should -Be 0
    }
}

Describe 'One unreadable value (<Name>)' -ForEach @(
    @{ Name = 'Unstructured'; Field = 'runtime'; Value = 'P99999999D'; Property = 'Duration' }
    @{ Name = 'Ittybit'; Field = 'created_at'; Value = 99999999999999999; Property = 'CreatedAt' }
    @{ Name = 'PyannoteAI'; Field = 'createdAt'; Value = 'not a date'; Property = 'CreatedAt' }
    @{ Name = 'Krea'; Field = 'completed_at'; Value = 'yesterday-ish'; Property = 'CompletedAt' }
    @{ Name = 'Convertly'; Field = 'progress'; Value = 1e20; Property = 'Progress' }
) {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment; Set-SimulatorDataset $Name 30 }

    It 'loses only that value: every job is listed, one warning names the provider, the job, the field and the value' {
        $expected = @(Get-SimulatorJobId $Name)
        Set-SimulatorOption $Name @{ poison = @{ index = 3; field = $Field; value = $Value } }
        $output = @(Get-ProviderJob -Provider $Name -PageSize $(if ((Get-ProviderFacts $Name).Max) { 10 } else { 1 }) -ErrorVariable problems 3>&1 |
                Where-Object { $_ -isnot [string] })
        $jobs = @($output | Where-Object { $_ -is [JobsModule.ProviderJob] })
        $warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })

        $problems.Count | Should -Be 0
        (($jobs.Id | Sort-Object) -join ',') | Should -Be (($expected | Sort-Object) -join ',')
        $bad = @($jobs | Where-Object { $_.UnreadableFields })
        $bad.Count | Should -Be 1
        $bad[0].Id | Should -Be $expected[3]
        $bad[0].$Property | Should -BeNullOrEmpty
        $bad[0].UnreadableFields.Keys | Should -Be $Field
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -Match $Name
        $warnings[0].Message | Should -Match ([regex]::Escape("'$($expected[3])'"))
        $warnings[0].Message | Should -Match ([regex]::Escape("'$Field'"))
        $warnings[0].Message | Should -Not -Match 'Exception'
    }

    It 'a job without its id is one ProviderResponseInvalid error naming its place, and the others are listed' {
        $expected = @(Get-SimulatorJobId $Name)
        $idField = (Get-ProviderFacts $Name).IdField
        Set-SimulatorOption $Name @{ poison = @{ index = 2; field = $idField; remove = $true } }
        $jobs = @(Get-ProviderJob -Provider $Name -ErrorVariable problems -ErrorAction SilentlyContinue)

        $jobs.Count | Should -Be 29
        $jobs.Id | Should -Not -Contain $expected[2]
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'ProviderResponseInvalid,JobsModule.Commands.GetProviderJobCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problems[0].Exception.Message | Should -Match $Name
        $problems[0].Exception.Message | Should -Match 'item \d+ of page 1'
    }
}

Describe 'Keys go out over https only, except to this machine' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment; Clear-SimulatorLog }
    AfterEach { Set-SimulatorEnvironment; Get-ProviderAccount | Where-Object IsConnected | Disconnect-ProviderAccount }

    It '-BaseUri http://... to another host is InsecureBaseUri (<Cmdlet>), nothing sent' -ForEach @(
        @{ Cmdlet = 'Get-ProviderJob'; Call = { Get-ProviderJob -Provider Krea -BaseUri 'http://jobs.example.invalid' } }
        @{ Cmdlet = 'Get-ProviderJob -Id'; Call = { Get-ProviderJob -Provider Krea -Id x -BaseUri 'http://jobs.example.invalid' } }
        @{ Cmdlet = 'Connect-ProviderAccount'; Call = { Connect-ProviderAccount -Provider Krea -ApiKey (Get-Key krea) -BaseUri 'http://jobs.example.invalid' } }
    ) {
        $err = $null
        try { & $Call } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Match '^InsecureBaseUri,JobsModule\.Commands\.'
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.Exception.Message | Should -Match 'https'
        (Get-SimulatorLog).Count | Should -Be 0
        @(Get-ProviderAccount -Provider Krea | Where-Object IsConnected).Count | Should -Be 0
    }

    It '<Variable> set to plain http is refused, naming the variable' -ForEach @(
        @{ Variable = 'PYANNOTEAI_BASE_URL'; Provider = 'PyannoteAI' }
        @{ Variable = 'ITTYBIT_BASE_URL'; Provider = 'Ittybit' }
        @{ Variable = 'CONVERTLY_BASE_URL'; Provider = 'Convertly' }
        @{ Variable = 'UNSTRUCTURED_API_URL'; Provider = 'Unstructured' }
        @{ Variable = 'KREA_BASE_URL'; Provider = 'Krea' }
    ) {
        Set-Item "env:$Variable" 'http://api.example.com'
        $err = $null
        try { Get-ProviderJob -Provider $Provider } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'InsecureBaseUri,JobsModule.Commands.GetProviderJobCommand'
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.TargetObject | Should -Be $Variable
        $err.Exception.Message | Should -Match "^$Variable must be an https URL"
        (Get-SimulatorLog).Count | Should -Be 0
    }

    It 'plain http to localhost and 127.0.0.1 still works' {
        $env:KREA_BASE_URL = Get-LocalhostBaseUrl krea
        @(Get-ProviderJob -Provider Krea -First 2).Count | Should -Be 2
        (Get-SimulatorLog Krea).Count | Should -Be 1
    }
}

Describe 'ittybit''s Accept-Version' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment; Clear-SimulatorLog }
    AfterEach { Remove-Item env:ITTYBIT_API_VERSION -ErrorAction SilentlyContinue; Get-ProviderAccount | Where-Object IsConnected | Disconnect-ProviderAccount }

    It 'is pinned to 2025-08-20 on every request, and sent to ittybit only' {
        $null = Get-ProviderJob -Provider Ittybit -PageSize 10
        $null = Get-ProviderJob -Provider Krea -First 1
        $ittybit = @(Get-SimulatorLog Ittybit)
        $ittybit.Count | Should -Be 3
        $ittybit | ForEach-Object { $_.acceptVersion | Should -Be '2025-08-20' }
        (Get-SimulatorLog Krea)[0].acceptVersion | Should -BeNullOrEmpty
    }

    It 'ITTYBIT_API_VERSION overrides it, and a connected account''s -ApiVersion overrides that' {
        $env:ITTYBIT_API_VERSION = '2026-01-15'
        $null = Get-ProviderJob -Provider Ittybit -First 1
        (Get-SimulatorLog Ittybit)[0].acceptVersion | Should -Be '2026-01-15'
        (Get-ProviderAccount -Provider Ittybit).ApiVersion | Should -Be '2026-01-15'

        Connect-ProviderAccount -Provider Ittybit -Name pinned -ApiKey (Get-Key ittybit) -BaseUri (Get-SimulatorInfo).providers.ittybit.baseUrl -ApiVersion 2025-07-01
        Clear-SimulatorLog
        $null = Get-ProviderJob -Provider Ittybit -First 1
        (Get-SimulatorLog Ittybit)[0].acceptVersion | Should -Be '2025-07-01'
    }

    It 'a version a header cannot carry is InvalidApiVersion before anything is sent' {
        $env:ITTYBIT_API_VERSION = "2025-08-20`r`nX-Injected: 1"
        $err = $null
        try { Get-ProviderJob -Provider Ittybit } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'InvalidApiVersion,JobsModule.Commands.GetProviderJobCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Be 'ITTYBIT_API_VERSION'
        (Get-SimulatorLog).Count | Should -Be 0
    }

    It '-ApiVersion for a provider without versions is InvalidApiVersion' {
        $err = $null
        try { Connect-ProviderAccount -Provider Krea -ApiKey (Get-Key krea) -ApiVersion 2025-08-20 } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'InvalidApiVersion,JobsModule.Commands.ConnectProviderAccountCommand'
        $err.Exception.Message | Should -Match 'Krea does not version its API'
    }
}

Describe 'Convertly''s error code and detail' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'are in the message and on the exception' {
        Set-SimulatorOption Convertly @{ failStatus = 402; failCount = 1 }
        $null = Get-ProviderJob -Provider Convertly -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -Be 'ProviderQuotaExceeded,JobsModule.Commands.GetProviderJobCommand'
        $problems[0].Exception.ProviderErrorCode | Should -Be 'quota_exceeded'
        $problems[0].Exception.ProviderMessage | Should -Match '^.+: Monthly quota of 100 conversions reached'
        $problems[0].Exception.Message | Should -Match '\(code quota_exceeded\)$'
    }
}
