# Throttling, retries, broken responses, lists that change while read, loops, redirects, timeouts.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Providers = @(Get-ProviderFacts)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force
    $CmdletId = 'JobsModule.Commands.GetProviderJobCommand'
    function Get-Failures([string] $Name, [hashtable] $Options, [hashtable] $Arguments = @{}) {
        Set-SimulatorOption $Name $Options
        Clear-SimulatorLog
        $jobs = @(Get-ProviderJob -Provider $Name @Arguments -ErrorVariable problems -ErrorAction SilentlyContinue)
        [pscustomobject]@{ Jobs = $jobs; Errors = @($problems); Log = @(Get-SimulatorLog $Name) }
    }
}

Describe 'A soak of throttling, outages and resets (<Name>)' -ForEach $Providers {
    BeforeAll { Reset-Simulator; Set-SimulatorEnvironment }

    It 'lists 2,000 jobs exactly with a 429 every 7th request, a 503 every 11th and a reset every 13th' {
        Set-SimulatorDataset $Name 2000
        $expected = Get-SimulatorJobId $Name
        # Unstructured is one unpaged request, so periodic faults would never reach it: two 503s instead.
        $faults = if ($Max) { @{ every429 = 7; every503 = 11; everyReset = 13; retryAfter = '0' } } else { @{ failStatus = 503; failCount = 2; retryAfter = '0' } }
        Set-SimulatorOption $Name $faults
        Clear-SimulatorLog
        $pageSize = if ($Max) { @{ PageSize = [Math]::Min(100, $Max) } } else { @{} }
        $output = Get-ProviderJob -Provider $Name @pageSize -MaximumRetryCount 6 -Verbose *>&1
        $jobs = @($output | Where-Object { $_ -is [JobsModule.ProviderJob] })
        if ($Ordered) { ($jobs.Id -join ',') | Should -Be ($expected -join ',') }
        else { (($jobs.Id | Sort-Object) -join ',') | Should -Be (($expected | Sort-Object) -join ',') }
        @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -Be 0
        @(Get-SimulatorLog $Name | Where-Object { $_.fault }).Count | Should -BeGreaterThan 0
        $text = $output | Out-String -Width 300
        $text | Should -Match 'retry 1 of 6'
        $text | Should -Not -Match ([regex]::Escape((Get-SimulatorInfo).providers.$Sim.key))
    }
}

Describe 'Waiting as the provider asks' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'honours Retry-After given as an HTTP date' {
        $when = [DateTime]::UtcNow.AddSeconds(3).ToString('r')
        $run = Get-Failures Krea @{ failStatus = 429; failCount = 1; retryAfter = $when }
        $run.Jobs.Count | Should -Be 25
        ($run.Log.status -join ',') | Should -Be '429,200'
        ([datetime]$run.Log[1].startedAt - [datetime]$run.Log[0].endedAt).TotalSeconds | Should -BeGreaterOrEqual 1
    }

    It 'honours X-RateLimit-Reset when there is no Retry-After' {
        $reset = [DateTimeOffset]::UtcNow.AddSeconds(2).ToUnixTimeSeconds()
        $run = Get-Failures PyannoteAI @{ failStatus = 429; failCount = 1; retryAfter = ''; rateLimitReset = "$reset" }
        $run.Jobs.Count | Should -Be 25
        ($run.Log.status -join ',') | Should -Be '429,200'
        ([datetime]$run.Log[1].startedAt - [datetime]$run.Log[0].endedAt).TotalSeconds | Should -BeGreaterOrEqual 0.9
    }

    It 'never retries <Status>' -ForEach @(@{ Status = 400 }, @{ Status = 401 }, @{ Status = 402 }, @{ Status = 403 }, @{ Status = 404 }, @{ Status = 422 }) {
        $run = Get-Failures Convertly @{ failStatus = $Status; failCount = 5 }
        $run.Log.Count | Should -Be 1
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].Exception.StatusCode | Should -Be $Status
    }

    It 'gives up after -MaximumRetryCount with the last status, RetryAfter included' {
        $run = Get-Failures Ittybit @{ failStatus = 429; failCount = 10; retryAfter = '0' } @{ MaximumRetryCount = 2 }
        $run.Log.Count | Should -Be 3
        $run.Errors[0].FullyQualifiedErrorId | Should -Be "ProviderRateLimited,$CmdletId"
        $run.Errors[0].Exception.RetryAfter | Should -Be ([TimeSpan]::Zero)
    }
}

Describe 'Lists that change while they are read' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'new jobs at the head of <Name>''s pages cause no duplicate and no gap (<Route>)' -ForEach @(
        @{ Name = 'PyannoteAI'; Route = 'v1 take/skip' }, @{ Name = 'PyannoteAI'; Route = 'v2 cursor' }, @{ Name = 'Convertly'; Route = 'offset' }
    ) {
        if ($Route -eq 'v1 take/skip') { Use-PyannoteV1Route }
        Set-SimulatorDataset $Name 500
        $before = Get-SimulatorJobId $Name
        Set-SimulatorOption $Name @{ insertBetweenPages = 7 }
        $jobs = @(Get-ProviderJob -Provider $Name -PageSize 100)
        @($jobs.Id | Select-Object -Unique).Count | Should -Be $jobs.Count
        $listed = [System.Collections.Generic.HashSet[string]]::new([string[]]$jobs.Id)
        @($before | Where-Object { -not $listed.Contains($_) }).Count | Should -Be 0
    }

    It 'pyannoteAI''s /v1/jobs: jobs deleted at the head between pages are gone back for, and every job comes once' {
        Use-PyannoteV1Route
        Set-SimulatorDataset PyannoteAI 300
        $before = @(Get-SimulatorJobId PyannoteAI)
        Set-SimulatorOption PyannoteAI @{ deleteBetweenPages = 5 }
        Clear-SimulatorLog
        $output = @(Get-ProviderJob -Provider PyannoteAI 3>&1)
        $jobs = @($output | Where-Object { $_ -is [JobsModule.ProviderJob] })
        @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 0
        # The deleted jobs are the newest, read before they went: every job of the start, once.
        @($jobs.Id | Select-Object -Unique).Count | Should -Be $jobs.Count
        (($jobs.Id | Sort-Object) -join ',') | Should -Be (($before | Sort-Object) -join ',')
        # Page 2 (skip=32) came after 5 jobs before it went: the next page goes back over those 5, the 5
        # that may go next and one job of page 1 (the anchor), to 21; each page after reaches back 6.
        $pages = @(Get-SimulatorLog PyannoteAI -Route v1 | ForEach-Object { $q = ConvertTo-PlainQuery $_.query; "$($q.skip)+$($q.take)" })
        ($pages -join ' ') | Should -Be '0+32 32+100 21+100 115+100 209+100'
    }

    It 'Convertly -Status Queued: pending jobs deleted by someone else between pages leave every other pending job listed once' {
        Set-SimulatorDataset Convertly 1200
        $pendingBefore = @(Get-SimulatorJob Convertly | Where-Object status -eq 'pending' | ForEach-Object id)
        Set-SimulatorOption Convertly @{ deleteBetweenPages = 9 }
        Clear-SimulatorLog
        $output = @(Get-ProviderJob -Provider Convertly -Status Queued -PageSize 20 3>&1)
        $jobs = @($output | Where-Object { $_ -is [JobsModule.ProviderJob] })
        $warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        @($jobs.Id | Select-Object -Unique).Count | Should -Be $jobs.Count
        $listed = [System.Collections.Generic.HashSet[string]]::new([string[]]$jobs.Id)
        $left = @(Get-SimulatorJob Convertly | Where-Object status -eq 'pending' | ForEach-Object id | Where-Object { $_ -in $pendingBefore })
        $missing = @($left | Where-Object { -not $listed.Contains($_) }).Count
        # Every pending job still there is listed once, or the warning counts it.
        $warned = ($warnings | ForEach-Object { if ($_.Message -match 'up to (\d+) matching job') { [int]$Matches[1] } } | Measure-Object -Sum).Sum
        $missing | Should -BeLessOrEqual ([int]$warned)
        $missing | Should -Be 0
        $warnings.Count | Should -Be 0
        # Each page asks for status=pending, and none starts beyond where the page before it ended.
        $pages = @(Get-SimulatorLog Convertly | ForEach-Object { ConvertTo-PlainQuery $_.query })
        $pages[0].offset | Should -Be '0'
        for ($i = 1; $i -lt $pages.Count; $i++) {
            $pages[$i].status | Should -Be 'pending'
            [int]$pages[$i].offset | Should -BeLessOrEqual ([int]$pages[$i - 1].offset + [int]$pages[$i - 1].limit)
        }
        $pages.Count | Should -BeLessOrEqual (2 * [Math]::Ceiling($pendingBefore.Count / 20) + 1)
    }
}

Describe 'Stopping what a listing streams' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'stops every queued Convertly job of a filtered offset-paged listing, each once (<Case>)' -ForEach @(
        @{ Case = 'pages of 10'; Arguments = @{ PageSize = 10 }; First = 10; Max = 10 }
        @{ Case = 'the default sizes'; Arguments = @{}; First = 32; Max = 100 }
    ) {
        Set-SimulatorDataset Convertly 1000
        $pending = @(Get-SimulatorJob Convertly | Where-Object status -eq 'pending' | ForEach-Object id)
        Clear-SimulatorLog
        Get-ProviderJob -Provider Convertly -Status Queued @Arguments -WarningVariable warnings | Stop-ProviderJob -Confirm:$false
        @(Get-SimulatorJob Convertly | Where-Object status -eq 'pending').Count | Should -Be 0
        $warnings.Count | Should -Be 0
        $log = @(Get-SimulatorLog Convertly)
        $deleted = @($log | Where-Object method -eq 'DELETE' | ForEach-Object { $_.path -replace '^.*/', '' })
        $deleted.Count | Should -Be $pending.Count
        (($deleted | Sort-Object) -join ',') | Should -Be (($pending | Sort-Object) -join ',')
        # Every job listed is gone before the next page is asked for, so each page starts at the head:
        # a page asked for at the offset after the last one would skip as many pending jobs.
        $pages = @($log | Where-Object { $_.method -eq 'GET' -and $_.query } | ForEach-Object { ConvertTo-PlainQuery $_.query })
        $pages.Count | Should -Be (1 + [Math]::Ceiling(($pending.Count - $First) / $Max))
        ($pages | ForEach-Object { $_.offset } | Sort-Object -Unique) | Should -Be '0'
        ($pages | ForEach-Object { $_.status } | Sort-Object -Unique) | Should -Be 'pending'
        $pages[0].limit | Should -Be "$First"
        @($pages | Select-Object -Skip 1 | Where-Object limit -ne "$Max").Count | Should -Be 0
    }

    It 'Krea (cursor pages) stops every queued job with the same page requests as a listing alone' {
        Set-SimulatorDataset Krea 3000
        $queued = @(Get-SimulatorJob Krea | Where-Object status -in 'backlogged', 'queued', 'scheduled' | ForEach-Object job_id)
        Clear-SimulatorLog
        $null = @(Get-ProviderJob -Provider Krea -Status Queued)
        $alone = @(Get-SimulatorLog Krea | ForEach-Object query)
        Clear-SimulatorLog
        Get-ProviderJob -Provider Krea -Status Queued | Stop-ProviderJob -Confirm:$false
        @(Get-SimulatorJob Krea | Where-Object status -in 'backlogged', 'queued', 'scheduled').Count | Should -Be 0
        $log = @(Get-SimulatorLog Krea)
        $deleted = @($log | Where-Object method -eq 'DELETE' | ForEach-Object { $_.path -replace '^.*/', '' })
        (($deleted | Sort-Object) -join ',') | Should -Be (($queued | Sort-Object) -join ',')
        $pages = @($log | Where-Object { $_.method -eq 'GET' -and $_.query } | ForEach-Object query)
        ($pages -join ' ') | Should -Be ($alone -join ' ')
        $pages.Count | Should -Be (Get-ExpectedRequestCount -Count 3000 -Max 1000)
    }

    It 'stops every queued job of Convertly and Krea listed together, each once' {
        Set-SimulatorDataset Convertly 600
        Set-SimulatorDataset Krea 600
        $pending = @(Get-SimulatorJob Convertly | Where-Object status -eq 'pending' | ForEach-Object id)
        Clear-SimulatorLog
        Get-ProviderJob -Provider Convertly, Krea -Status Queued -WarningVariable warnings | Stop-ProviderJob -Confirm:$false
        $warnings.Count | Should -Be 0
        @(Get-SimulatorJob Convertly | Where-Object status -eq 'pending').Count | Should -Be 0
        @(Get-SimulatorJob Krea | Where-Object status -in 'backlogged', 'queued', 'scheduled').Count | Should -Be 0
        $log = @(Get-SimulatorLog Convertly)
        $deleted = @($log | Where-Object method -eq 'DELETE' | ForEach-Object { $_.path -replace '^.*/', '' })
        (($deleted | Sort-Object) -join ',') | Should -Be (($pending | Sort-Object) -join ',')
        # Listed on a thread of its own, Convertly waits for the stops of each page before the next: every
        # page starts at the head, but the second, which may have been asked for before the first stop
        # (then it is asked for again, from the head).
        $offsets = @($log | Where-Object { $_.method -eq 'GET' -and $_.query } | ForEach-Object { (ConvertTo-PlainQuery $_.query).offset })
        @($offsets | Where-Object { $_ -ne '0' }).Count | Should -BeLessOrEqual 1
        @($offsets | Where-Object { $_ -notin '0', '32' }).Count | Should -Be 0
        $offsets.Count | Should -BeLessOrEqual (2 + [Math]::Ceiling(($pending.Count - 32) / 100))
    }
}

Describe 'Broken responses' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'a 200 with a <Body> body ends <Name>''s listing with ProviderResponseInvalid, keeping the jobs already written' -ForEach @(
        @{ Name = 'Krea'; Body = 'html'; Says = 'text/html' }
        @{ Name = 'PyannoteAI'; Body = 'truncated'; Says = 'not valid JSON' }
        @{ Name = 'Ittybit'; Body = 'wrongShape'; Says = 'not the documented shape' }
        @{ Name = 'Convertly'; Body = 'empty'; Says = 'not valid JSON' }
        @{ Name = 'Unstructured'; Body = 'wrongShape'; Says = 'not the documented shape' }
    ) {
        Set-SimulatorDataset $Name 150
        $failAfter = if ($Name -eq 'Unstructured') { 0 } else { 1 }
        $run = Get-Failures $Name @{ corruptBody = $Body; corruptCount = 5; failAfter = $failAfter } @{ PageSize = 100 }
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be "ProviderResponseInvalid,$CmdletId"
        $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $run.Errors[0].Exception.Message | Should -Match "^$Name sent a response .* \(HTTP 200, content type .*\): .*"
        $run.Errors[0].Exception.Message | Should -Match $Says
        $run.Errors[0].Exception | Should -Not -BeOfType ([System.Text.Json.JsonException])
        # Every job written before the fault stays written, in order and once: the first page, and for a
        # body cut short, the jobs of the second page that arrived before the cut.
        $prefix = @(Get-SimulatorJobId $Name | Select-Object -First $run.Jobs.Count)
        ($run.Jobs.Id -join ',') | Should -Be ($prefix -join ',')
        if ($Body -eq 'truncated') { $run.Jobs.Count | Should -BeGreaterThan 100; $run.Jobs.Count | Should -BeLessThan 150 }
        else { $run.Jobs.Count | Should -Be (100 * $failAfter) }
    }

    It 'a 503 HTML maintenance page is ProviderUnavailable without the HTML in the message' {
        $run = Get-Failures Convertly @{ failStatus = 503; failCount = 10; failBody = 'html'; retryAfter = '0' } @{ MaximumRetryCount = 1 }
        $run.Errors[0].FullyQualifiedErrorId | Should -Be "ProviderUnavailable,$CmdletId"
        $run.Errors[0].Exception.ContentType | Should -Match 'text/html'
        $run.Errors[0].Exception.Message | Should -Not -Match '<'
    }

    It 'a connection reset half-way through a body is retried and the listing is exact' {
        Set-SimulatorDataset Krea 300
        $run = Get-Failures Krea @{ corruptBody = 'resetMidBody'; corruptCount = 1; failAfter = 1 } @{ PageSize = 100 }
        $run.Errors.Count | Should -Be 0
        ($run.Jobs.Id -join ',') | Should -Be ((Get-SimulatorJobId Krea) -join ',')
        $run.Log.Count | Should -BeGreaterOrEqual 4
    }

    It 'a body slower than -TimeoutSec is ProviderTimeout' {
        $run = Get-Failures Convertly @{ slowBodyMs = 4000 } @{ TimeoutSec = 1; MaximumRetryCount = 0 }
        $run.Errors[0].FullyQualifiedErrorId | Should -Be "ProviderTimeout,$CmdletId"
        $run.Errors[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
    }
}

Describe 'No endless loops, no key sent elsewhere' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'a cursor that repeats (<Name>) ends with ProviderPagingLoop after the first page''s jobs' -ForEach @(@{ Name = 'Krea' }, @{ Name = 'Ittybit' }, @{ Name = 'PyannoteAI' }) {
        Set-SimulatorDataset $Name 500
        $run = Get-Failures $Name @{ repeatCursor = $true } @{ PageSize = 100 }
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be "ProviderPagingLoop,$CmdletId"
        $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        @($run.Jobs.Id | Select-Object -Unique).Count | Should -Be $run.Jobs.Count
        $run.Log.Count | Should -BeLessOrEqual 3
    }

    It 'a page that does not advance (<Name>) ends with ProviderPagingLoop' -ForEach @(@{ Name = 'PyannoteAI' }, @{ Name = 'Convertly' }) {
        if ($Name -eq 'PyannoteAI') { Use-PyannoteV1Route }
        Set-SimulatorDataset $Name 500
        $run = Get-Failures $Name @{ stuckPage = $true } @{ PageSize = 100 }
        $run.Errors[0].FullyQualifiedErrorId | Should -Be "ProviderPagingLoop,$CmdletId"
        $run.Jobs.Count | Should -Be 100
        @($run.Log | Where-Object path -NotMatch '/v2/jobs').Count | Should -Be 2
    }

    It 'a redirect is refused, not followed' {
        $info = Get-SimulatorInfo
        $run = Get-Failures Krea @{ redirectTo = $info.providers.ittybit.baseUrl }
        $run.Errors[0].FullyQualifiedErrorId | Should -Be "ProviderRedirectRefused,$CmdletId"
        $run.Errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
        (Get-SimulatorLog).Count | Should -Be 1
    }

    It 'a next-page link to another host is refused before any request goes there' {
        Set-SimulatorDataset Ittybit 300
        $port = ([uri](Get-SimulatorUrl)).Port
        $run = Get-Failures Ittybit @{ linkHost = "http://127.0.0.2:$port" } @{ PageSize = 100 }
        $run.Jobs.Count | Should -Be 100
        $run.Errors[0].FullyQualifiedErrorId | Should -Be "ProviderRedirectRefused,$CmdletId"
        $run.Log.Count | Should -Be 1
    }
}

Describe 'Stopping during a retry wait' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'Stop() returns within a second while a 30 s Retry-After is being waited out' {
        Set-SimulatorOption Krea @{ failStatus = 429; failCount = 1; retryAfter = '30' }
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$env:JOBSMODULE_MODULE_PATH'").Invoke()
            $shell.Commands.Clear()
            $null = $shell.AddCommand('Get-ProviderJob').AddParameter('Provider', 'Krea')
            $async = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (@(Get-SimulatorLog Krea).Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            Start-Sleep -Milliseconds 200
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 1
            $async.IsCompleted | Should -BeTrue
            @(Get-SimulatorLog Krea).Count | Should -Be 1
        }
        finally { $shell.Dispose() }
    }
}

Describe 'Injection attempts stay inside their parameter' {
    BeforeAll { Reset-Simulator; Set-SimulatorEnvironment }

    It '-WorkflowId with query syntax is one escaped value' {
        Clear-SimulatorLog
        $value = 'wf&status=FAILED#x y'
        @(Get-ProviderJob -Provider Unstructured -WorkflowId $value).Count | Should -Be 0
        $query = ConvertTo-PlainQuery (Get-SimulatorLog Unstructured)[0].query
        $query.workflow_id | Should -BeExactly $value
        $query.Contains('status') | Should -BeFalse
    }

    It '-Kind values for Krea cannot add parameters' {
        Clear-SimulatorLog
        @(Get-ProviderJob -Provider Krea -Kind 'flux&limit=1').Count | Should -Be 0
        $query = ConvertTo-PlainQuery (Get-SimulatorLog Krea)[0].query
        $query.types | Should -BeExactly 'flux&limit=1'
        $query.limit | Should -Be ([string](Get-FirstPageSize))
    }
}

Describe 'Pacing by the provider''s budget' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'lists three budgets'' worth of pages with no 429, waiting for each window, and says so' {
        Set-SimulatorDataset Krea 1400
        Set-SimulatorOption Krea @{ rateBudget = @{ limit = 5; windowMs = 1500 } }
        Clear-SimulatorLog
        $output = @(Get-ProviderJob -Provider Krea -PageSize 100 -Verbose 4>&1)
        $jobs = @($output | Where-Object { $_ -is [JobsModule.ProviderJob] })
        $log = @(Get-SimulatorLog Krea)

        ($jobs.Id -join ',') | Should -Be ((Get-SimulatorJobId Krea) -join ',')
        @($log | Where-Object status -eq 429).Count | Should -Be 0
        $log.Count | Should -Be 14
        @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'request budget' }).Count | Should -BeGreaterThan 0
        # Never more than the budget in one window.
        $log | Group-Object { [Math]::Floor(([datetimeoffset][datetime]$_.startedAt).ToUnixTimeMilliseconds() / 1500) } | ForEach-Object { $_.Count | Should -BeLessOrEqual 5 }
    }
}
