# Outcome and FailedItems on every job, and Get-ProviderJob / Wait-ProviderJob -Detailed, against the
# simulator: what each provider's listing says, the detail reads -Detailed sends (counted in the
# simulator's log), a detail read that fails, 402, and pyannoteAI's remembered v1 route tried again.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Providers = @(Get-ProviderFacts)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force
    $CmdletId = 'JobsModule.Commands.GetProviderJobCommand'

    # Requests for one job (its own endpoint, Unstructured's details and failed files), not the list.
    function Get-DetailLog([string] $Provider) {
        @(Get-SimulatorLog $Provider | Where-Object { $_.method -eq 'GET' -and $_.path -match '/jobs/[^/?]+' })
    }

    function Select-Job($Output) { @($Output | Where-Object { $_ -is [JobsModule.ProviderJob] }) }
    function Select-Record($Output, [type] $Type) { @($Output | Where-Object { $_ -is $Type }) }
}

Describe 'Outcome from the listing' {
    BeforeAll { Reset-Simulator; Set-SimulatorEnvironment }
    AfterAll { Reset-Simulator; Set-SimulatorEnvironment }

    It 'Convertly: a completed job with failed files is Partial (Failed when none completed), its failed files a count' {
        Set-SimulatorDataset Convertly 120
        $raw = @{}
        foreach ($item in Get-SimulatorJob Convertly) { $raw[$item.id] = $item }
        $jobs = @(Get-ProviderJob -Provider Convertly)
        $jobs.Count | Should -Be 120
        foreach ($job in $jobs) {
            $item = $raw[$job.Id]
            $expected = switch ($item.status) {
                'completed' { if ($item.failed_files -eq 0) { 'Complete' } elseif ($item.completed_files -eq 0) { 'Failed' } else { 'Partial' } }
                'failed' { 'Failed' }
                { $_ -in 'pending', 'processing' } { 'Unfinished' }
                default { 'Unverified' }
            }
            "$($job.Id) $($job.Outcome)" | Should -Be "$($job.Id) $expected"
            if ($item.failed_files -gt 0) {
                $job.FailedItems.Total | Should -Be $item.failed_files
                $job.FailedItems[0].Name | Should -BeNullOrEmpty
            }
            else {
                $job.FailedItems | Should -BeNullOrEmpty
            }
        }
        @($jobs | Where-Object Outcome -EQ 'Partial').Count | Should -BeGreaterThan 0
        @($jobs | Where-Object { $_.Status -eq 'Succeeded' -and $_.Outcome -ne 'Complete' }).Count | Should -BeGreaterThan 0
    }

    It 'Unstructured: COMPLETED is Unverified until its details are read, and template jobs are listed with their kind' {
        Set-SimulatorDataset Unstructured 100
        $jobs = @(Get-ProviderJob -Provider Unstructured)
        $jobs.Count | Should -Be 100
        @($jobs | Where-Object Status -EQ 'Succeeded' | Where-Object Outcome -NE 'Unverified').Count | Should -Be 0
        @($jobs | Where-Object Status -EQ 'Failed' | Where-Object Outcome -NE 'Failed').Count | Should -Be 0
        @($jobs | Where-Object Status -EQ 'Canceled' | Where-Object Outcome -NE 'Canceled').Count | Should -Be 0
        @($jobs | Where-Object Status -In 'Queued', 'Running' | Where-Object Outcome -NE 'Unfinished').Count | Should -Be 0
        @($jobs | Where-Object Kind -EQ 'template').Count | Should -BeGreaterThan 0
        @(Get-ProviderJob -Provider Unstructured -Kind template).Count | Should -Be @($jobs | Where-Object Kind -EQ 'template').Count
    }

    It 'ittybit: the newer statuses are Queued and Running and Unfinished, none Unknown' {
        Set-SimulatorDataset Ittybit 80
        $jobs = @(Get-ProviderJob -Provider Ittybit)
        $byRaw = $jobs | Group-Object ProviderStatus -AsHashTable -AsString
        foreach ($raw in 'waiting', 'validating') { $byRaw[$raw].Status | Sort-Object -Unique | Should -Be 'Queued' }
        $byRaw['finishing'].Status | Sort-Object -Unique | Should -Be 'Running'
        foreach ($raw in 'waiting', 'validating', 'finishing') { $byRaw[$raw].Outcome | Sort-Object -Unique | Should -Be 'Unfinished' }
        $byRaw['cancelled'].Outcome | Sort-Object -Unique | Should -Be 'Canceled'
        @($jobs | Where-Object Status -EQ 'Unknown' | Where-Object ProviderStatus -NotIn 'paused', 'expired').Count | Should -Be 0
    }

    It '<Name>: every job has an Outcome that follows its Status' -ForEach @($Providers | Where-Object Name -In 'Krea', 'PyannoteAI') {
        Set-SimulatorDataset $Name 60
        $jobs = @(Get-ProviderJob -Provider $Name)
        $jobs.Count | Should -Be 60
        $rule = @{ Queued = 'Unfinished'; Running = 'Unfinished'; Succeeded = 'Complete'; Failed = 'Failed'; Canceled = 'Canceled'; Unknown = 'Unverified' }
        foreach ($job in $jobs) { "$($job.Id) $($job.Outcome)" | Should -Be "$($job.Id) $($rule["$($job.Status)"])" }
        @($jobs.Outcome | Sort-Object -Unique).Count | Should -BeGreaterThan 2
    }

    It 'the runbook recipe keeps what is not known to be complete' {
        Set-SimulatorDataset Convertly 60
        $jobs = @(Get-ProviderJob -Provider Convertly -Status Succeeded)
        $notComplete = @($jobs | Where-Object Outcome -NE Complete)
        $notComplete.Count | Should -BeGreaterThan 0
        $notComplete.Count | Should -BeLessThan $jobs.Count
        @($notComplete | Where-Object { $_.FailedFiles -gt 0 }).Count | Should -Be $notComplete.Count
    }
}

Describe 'Get-ProviderJob -Detailed' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'Unstructured: one details read per finished job, failed files where it reports errors, none for unfinished jobs' {
        Set-SimulatorDataset Unstructured 60
        $plain = @(Get-ProviderJob -Provider Unstructured)
        Clear-SimulatorLog
        $output = @(Get-ProviderJob -Provider Unstructured -Detailed -Verbose 4>&1)
        $jobs = Select-Job $output

        ($jobs.Id -join ',') | Should -Be ($plain.Id -join ',')
        $finished = @($plain | Where-Object Status -In 'Succeeded', 'Failed')
        $details = @(Get-DetailLog Unstructured | Where-Object path -Match '/details$')
        $files = @(Get-DetailLog Unstructured | Where-Object path -Match '/failed-files$')
        $details.Count | Should -Be $finished.Count
        (@($details.path | Sort-Object) -join ',') | Should -Be (@($finished | ForEach-Object { "/unstructured/api/v1/jobs/$($_.Id)/details" } | Sort-Object) -join ',')
        $withErrors = @($jobs | Where-Object Outcome -In 'Partial', 'Failed')
        $files.Count | Should -Be $withErrors.Count
        @(Get-DetailLog Unstructured).Count | Should -Be ($details.Count + $files.Count)
        @($jobs | Where-Object Outcome -EQ 'Partial').Count | Should -BeGreaterThan 0
        @($jobs | Where-Object Outcome -EQ 'Complete').Count | Should -BeGreaterThan 0
        @($jobs | Where-Object { $_.Status -eq 'Succeeded' -and $_.Outcome -eq 'Unverified' }).Count | Should -Be 0
        foreach ($job in $withErrors) {
            $job.FailedItems.Count | Should -BeGreaterThan 0
            $job.FailedItems[0].Name | Should -Not -BeNullOrEmpty
            $job.FailedItems[0].Error | Should -Not -BeNullOrEmpty
            $job.Error | Should -Not -BeNullOrEmpty
        }
        $line = @((Select-Record $output ([System.Management.Automation.VerboseRecord])).Message | Where-Object { $_ -like '-Detailed:*' })
        $line.Count | Should -Be 1
        $line[0] | Should -Be "-Detailed: $($details.Count + $files.Count) extra requests for the details of $($finished.Count) finished jobs (Unstructured $($details.Count + $files.Count))."
    }

    It 'without -Detailed nothing but the listing is sent' {
        Set-SimulatorDataset Unstructured 60
        Clear-SimulatorLog
        $null = Get-ProviderJob -Provider Unstructured
        Set-SimulatorDataset PyannoteAI 30
        $null = Get-ProviderJob -Provider PyannoteAI
        @(Get-DetailLog Unstructured).Count | Should -Be 0
        @(Get-DetailLog PyannoteAI).Count | Should -Be 0
    }

    It 'no detail read for a listing of unfinished jobs only' {
        Set-SimulatorDataset Unstructured 60
        Clear-SimulatorLog
        $jobs = @(Get-ProviderJob -Provider Unstructured -Status Queued, Running -Detailed)
        $jobs.Count | Should -BeGreaterThan 0
        @(Get-DetailLog Unstructured).Count | Should -Be 0
    }

    It 'pyannoteAI: a finished job is read alone for its error, and a failed job carries it' {
        Set-SimulatorDataset PyannoteAI 40
        $plain = @(Get-ProviderJob -Provider PyannoteAI)
        @($plain | Where-Object Error).Count | Should -Be 0
        Clear-SimulatorLog
        $jobs = @(Get-ProviderJob -Provider PyannoteAI -Detailed -ThrottleLimit 3)
        ($jobs.Id -join ',') | Should -Be ($plain.Id -join ',')
        $read = @($plain | Where-Object Status -In 'Succeeded', 'Failed')
        (@((Get-DetailLog PyannoteAI).path | Sort-Object) -join ',') | Should -Be (@($read | ForEach-Object { "/pyannoteai/v1/jobs/$($_.Id)" } | Sort-Object) -join ',')
        $failed = @($jobs | Where-Object Status -EQ 'Failed')
        $failed.Count | Should -BeGreaterThan 0
        foreach ($job in $failed) {
            $job.Outcome | Should -Be 'Failed'
            $job.Error | Should -Not -BeNullOrEmpty
            $job.FailedItems[0].Name | Should -Be $job.Id
            $job.FailedItems[0].Error | Should -Be $job.Error
        }
    }

    It 'ittybit: only a cancelled job is read alone, and one whose sibling task failed is Failed' {
        Set-SimulatorDataset Ittybit 80
        $plain = @(Get-ProviderJob -Provider Ittybit)
        Clear-SimulatorLog
        $jobs = @(Get-ProviderJob -Provider Ittybit -Detailed)
        ($jobs.Id -join ',') | Should -Be ($plain.Id -join ',')
        $cancelled = @($plain | Where-Object Status -EQ 'Canceled')
        (@((Get-DetailLog Ittybit).path | Sort-Object) -join ',') | Should -Be (@($cancelled | ForEach-Object { "/ittybit/jobs/$($_.Id)" } | Sort-Object) -join ',')
        $sibling = @($jobs | Where-Object { $_.Status -eq 'Canceled' -and $_.Outcome -eq 'Failed' })
        $sibling.Count | Should -BeGreaterThan 0
        foreach ($job in $sibling) { $job.FailedItems[0].Error | Should -Not -BeNullOrEmpty }
        @($jobs | Where-Object { $_.Status -eq 'Canceled' -and $_.Outcome -eq 'Canceled' }).Count | Should -BeGreaterThan 0
    }

    It 'Convertly and Krea send nothing more: their listings say it all' {
        Set-SimulatorDataset Convertly 30
        Set-SimulatorDataset Krea 30
        Clear-SimulatorLog
        $output = @(Get-ProviderJob -Provider Convertly, Krea -Detailed -Verbose 4>&1)
        (Select-Job $output).Count | Should -Be 60
        @(Get-DetailLog Convertly).Count + @(Get-DetailLog Krea).Count | Should -Be 0
        @((Select-Record $output ([System.Management.Automation.VerboseRecord])).Message | Where-Object { $_ -like '-Detailed:*' }) |
            Should -Be '-Detailed: 0 extra requests for the details of 0 finished jobs.'
    }

    It 'a detail read answered <Status> leaves that job Unverified with one warning, the rest unchanged' -ForEach @(
        @{ Status = 429; Reads = 3 }, @{ Status = 503; Reads = 3 }, @{ Status = 404; Reads = 1 }
    ) {
        Set-SimulatorDataset Unstructured 30
        $reference = @(Get-ProviderJob -Provider Unstructured -Detailed)
        $target = @($reference | Where-Object Outcome -EQ 'Complete')[0]
        Set-SimulatorOption Unstructured @{ failJob = @{ id = $target.Id; status = $Status }; retryAfter = '0' }
        Clear-SimulatorLog
        $output = @(Get-ProviderJob -Provider Unstructured -Detailed -MaximumRetryCount 2 -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable problems -ErrorAction SilentlyContinue)
        $jobs = Select-Job $output

        $problems.Count | Should -Be 0
        ($jobs.Id -join ',') | Should -Be ($reference.Id -join ',')
        for ($i = 0; $i -lt $jobs.Count; $i++) {
            $expected = if ($jobs[$i].Id -eq $target.Id) { 'Unverified' } else { $reference[$i].Outcome }
            "$($jobs[$i].Id) $($jobs[$i].Outcome)" | Should -Be "$($jobs[$i].Id) $expected"
        }
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -BeLike "Unstructured job '$($target.Id)'*: reading its details for -Detailed failed, so it is written with Outcome Unverified*$Status*"
        @(Get-DetailLog Unstructured | Where-Object path -EQ "/unstructured/api/v1/jobs/$($target.Id)/details").Count | Should -Be $Reads
    }

    It 'Get-ProviderJob -Id -Detailed reads the job and then its details' {
        Set-SimulatorDataset Unstructured 30
        $listed = @(Get-ProviderJob -Provider Unstructured -Detailed | Where-Object Outcome -EQ 'Partial')[0]
        Clear-SimulatorLog
        $job = Get-ProviderJob -Provider Unstructured -Id $listed.Id -Detailed
        $job.Outcome | Should -Be 'Partial'
        ($job.FailedItems.Name -join ',') | Should -Be ($listed.FailedItems.Name -join ',')
        (@(Get-SimulatorLog Unstructured).path -join ',') | Should -Be "/unstructured/api/v1/jobs/$($listed.Id),/unstructured/api/v1/jobs/$($listed.Id)/details,/unstructured/api/v1/jobs/$($listed.Id)/failed-files"
    }
}

Describe 'Wait-ProviderJob -Detailed' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'returns a finished job with its details, and without -Detailed reads none' {
        Set-SimulatorDataset Unstructured 30
        $partial = @(Get-ProviderJob -Provider Unstructured -Detailed | Where-Object Outcome -EQ 'Partial')[0]
        $listed = Get-ProviderJob -Provider Unstructured | Where-Object Id -EQ $partial.Id
        Clear-SimulatorLog
        $plain = $listed | Wait-ProviderJob -Timeout 20
        $plain.Outcome | Should -Be 'Unverified'
        @(Get-DetailLog Unstructured).Count | Should -Be 0

        $waited = $listed | Wait-ProviderJob -Detailed -Timeout 20
        $waited.Outcome | Should -Be 'Partial'
        $waited.FailedItems.Count | Should -BeGreaterThan 0
        (@(Get-DetailLog Unstructured).path -join ',') | Should -Be "/unstructured/api/v1/jobs/$($partial.Id)/details,/unstructured/api/v1/jobs/$($partial.Id)/failed-files"
    }
}

Describe 'Payment required (402)' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It '<Name> answering 402 is ProviderQuotaExceeded (LimitsExceeded) after one request' -ForEach $Providers {
        Set-SimulatorOption $Name @{ failStatus = 402; failCount = 100; retryAfter = '0' }
        Clear-SimulatorLog
        $jobs = @(Get-ProviderJob -Provider $Name -MaximumRetryCount 3 -ErrorVariable problems -ErrorAction SilentlyContinue)
        $jobs.Count | Should -Be 0
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "ProviderQuotaExceeded,$CmdletId"
        $problems[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $problems[0].Exception.StatusCode | Should -Be 402
        @(Get-SimulatorLog $Name).Count | Should -Be 1
    }

    It 'a detail read answered 402 is one warning, not retried, and the account is asked no more' {
        Set-SimulatorDataset Unstructured 30
        $first = @(Get-ProviderJob -Provider Unstructured | Where-Object Status -EQ 'Succeeded')[0]
        Set-SimulatorOption Unstructured @{ failJob = @{ id = $first.Id; status = 402 } }
        Clear-SimulatorLog
        $jobs = @(Get-ProviderJob -Provider Unstructured -Detailed -ThrottleLimit 1 -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable problems -ErrorAction SilentlyContinue)
        $problems.Count | Should -Be 0
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -BeLike '*402*No more details are asked of this account in this call*'
        @(Get-DetailLog Unstructured | Where-Object path -EQ "/unstructured/api/v1/jobs/$($first.Id)/details").Count | Should -Be 1
        ($jobs | Where-Object Id -EQ $first.Id).Outcome | Should -Be 'Unverified'
    }
}

Describe 'pyannoteAI: a remembered v1 route tried again' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }
    AfterEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'lists with v2 again once v1 answers 404, says so in one verbose line, and forgets v1' {
        # A base URL of this test's own: the fallback is remembered per base URL for the whole process.
        Set-SimulatorDataset PyannoteAI 20
        Set-SimulatorOption PyannoteAI @{ listRoutes = 'v1' }
        $env:PYANNOTEAI_BASE_URL = ((Get-SimulatorInfo).providers.pyannoteai.baseUrl -replace '127\.0\.0\.1', 'localhost') + '/'
        $before = @(Get-ProviderJob -Provider PyannoteAI)
        $before.Count | Should -Be 20

        Set-SimulatorOption PyannoteAI @{ listRoutes = 'v2' }
        Clear-SimulatorLog
        $output = @(Get-ProviderJob -Provider PyannoteAI -Verbose 4>&1)
        ((Select-Job $output).Id -join ',') | Should -Be ($before.Id -join ',')
        $log = @(Get-SimulatorLog PyannoteAI)
        ($log | ForEach-Object { "$($_.path) $($_.status)" }) -join ',' | Should -Be '/pyannoteai/v1/jobs 404,/pyannoteai/v2/jobs 200'
        $lines = @((Select-Record $output ([System.Management.Automation.VerboseRecord])).Message | Where-Object { $_ -like '*the older route this session had remembered*' })
        $lines.Count | Should -Be 1
        $lines[0] | Should -BeLike '*404 to /pyannoteai/v1/jobs*trying /pyannoteai/v2/jobs again*'

        Clear-SimulatorLog
        $null = Get-ProviderJob -Provider PyannoteAI
        (@(Get-SimulatorLog PyannoteAI).path -join ',') | Should -Be '/pyannoteai/v2/jobs'
    }
}
