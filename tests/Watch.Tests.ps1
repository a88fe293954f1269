# Watch-ProviderJob: each change written once, across -Once runs from a state file and in a continuous
# watch; faults during a pass; the state file held, damaged, or left by a watch that was killed.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Providers = @(Get-ProviderFacts)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force
    $CmdletId = 'JobsModule.Commands.WatchProviderJobCommand'
    # A day to run: a live job stays queued until a test moves it on (Step-SimulatorLiveJob).
    $Day = 86400000

    function Invoke-Watch([string] $Provider, [string] $StatePath, [hashtable] $Arguments = @{}) {
        # One -Once pass; what it wrote, warned and logged, and the requests it sent.
        Clear-SimulatorLog
        $output = @(Watch-ProviderJob -Provider $Provider -StatePath $StatePath -Once @Arguments -Verbose -ErrorVariable problems -ErrorAction SilentlyContinue 3>&1 4>&1)
        [pscustomobject]@{
            Changes  = @($output | Where-Object { $_ -is [JobsModule.JobChange] })
            Warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message)
            Verbose  = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
            Errors   = @($problems)
            Log      = @(Get-SimulatorLog $Provider)
        }
    }

    function Get-Summary($Changes) {
        # "Change:Id:Previous>Now" per change, in the order written.
        ($Changes | ForEach-Object { '{0}:{1}:{2}>{3}' -f $_.Change, $_.Job.Id, $_.PreviousStatus, $_.Job.Status }) -join ' '
    }

    function Get-ReadsById($Log) { @($Log | Where-Object { $_.method -eq 'GET' -and $_.path -match '/jobs/.+' }) }
    function Get-Listings($Log) { @($Log | Where-Object { $_.method -eq 'GET' -and $_.path -notmatch '/jobs/.+' }) }
}

Describe 'Watch-ProviderJob -Once from a state file (<Name>)' -ForEach $Providers {
    BeforeAll {
        Reset-Simulator
        Set-SimulatorEnvironment
        # Only live jobs: the test knows every status. One finished job gives the baseline its newest.
        Set-SimulatorDataset $Name 0
        New-SimulatorLiveJob $Name @(@{ id = 'w-seed'; runMs = 0; final = 'succeeded' })
        Start-Sleep -Milliseconds 20
        $state = Join-Path $TestDrive "$Name.json"
    }

    It 'takes a silent baseline first, saying so' {
        $run = Invoke-Watch $Name $state
        $run.Changes.Count | Should -Be 0
        $run.Errors.Count | Should -Be 0
        ($run.Verbose -join "`n") | Should -Match 'baseline'
        Test-Path $state | Should -BeTrue
        (Get-Content $state -Raw | ConvertFrom-Json).version | Should -Be 2
    }

    It 'writes the new jobs, oldest first, once' {
        # jobs[0] is the newest.
        New-SimulatorLiveJob $Name @(@{ id = 'w-a'; runMs = $Day; final = 'failed' }, @{ id = 'w-b'; runMs = $Day; final = 'succeeded' })
        $run = Invoke-Watch $Name $state
        Get-Summary $run.Changes | Should -Be 'New:w-b:>Queued New:w-a:>Queued'
        $run.Errors.Count | Should -Be 0
        $run.Warnings.Count | Should -Be 0
        # One listing page down to the newest job known; nothing unfinished was known to read.
        (Get-Listings $run.Log).Count | Should -Be 1
        (Get-ReadsById $run.Log).Count | Should -Be 0
    }

    It 'writes each status change once, and nothing when nothing changed' {
        Step-SimulatorLiveJob $Name w-a running
        Step-SimulatorLiveJob $Name w-b final
        $run = Invoke-Watch $Name $state
        # Newest first, the listing shows w-a and w-b is read by id after it; a provider that does not
        # list newest first shows both in its own order.
        $expected = 'StatusChanged:w-a:Queued>Running', 'StatusChanged:w-b:Queued>Succeeded'
        if ($Ordered) { Get-Summary $run.Changes | Should -Be ($expected -join ' ') }
        else { Get-Summary ($run.Changes | Sort-Object { $_.Job.Id }) | Should -Be ($expected -join ' ') }

        $again = Invoke-Watch $Name $state
        $again.Changes.Count | Should -Be 0
        # The listing shows the newest known job (w-a, still running): nothing is read by id.
        (Get-Listings $again.Log).Count | Should -Be 1
        (Get-ReadsById $again.Log).Count | Should -Be 0
        # w-b finished, so it left the state.
        $saved = Get-Content $state -Raw | ConvertFrom-Json
        @($saved.accounts.PSObject.Properties.Value.unfinished.PSObject.Properties.Name) | Should -Be @('w-a')
    }

    It 'reads by id a known unfinished job the listing no longer reaches (one not newest first lists it again)' {
        New-SimulatorLiveJob $Name @(@{ id = 'w-c'; runMs = $Day; final = 'succeeded' })
        $run = Invoke-Watch $Name $state
        Get-Summary $run.Changes | Should -Be 'New:w-c:>Queued'
        # The listing went down to w-a, the newest known job, and showed it unchanged.
        (Get-ReadsById $run.Log).Count | Should -Be 0

        Step-SimulatorLiveJob $Name w-a final
        $run = Invoke-Watch $Name $state
        Get-Summary $run.Changes | Should -Be 'StatusChanged:w-a:Running>Failed'
        # The listing stops at w-c now, so w-a (older) is read by id, and w-c is not; a listing that is
        # not newest first is read whole, w-a in it.
        $reads = Get-ReadsById $run.Log
        $reads.Count | Should -Be ([int]$Ordered)
        if ($Ordered) { $reads[0].path | Should -Match '/w-a$' }
        (Get-Listings $run.Log).Count | Should -Be 1

        $again = Invoke-Watch $Name $state
        $again.Changes.Count | Should -Be 0
        (Get-ReadsById $again.Log).Count | Should -Be 0
    }
}

Describe 'An idle watch' {
    BeforeAll { Reset-Simulator; Set-SimulatorEnvironment }

    It 'follows no finished job: after the baseline of <Name>, a pass is one listing page and no read' -ForEach $Providers {
        # Every job finished (the simulator's finished dataset): nothing to follow, whatever the history's length.
        Set-SimulatorDataset $Name 300 -Finished
        $state = Join-Path $TestDrive "idle-$Name.json"
        $baseline = Invoke-Watch $Name $state
        $baseline.Changes.Count | Should -Be 0
        ($baseline.Verbose -join "`n") | Should -Match 'baseline \(0 unfinished jobs to follow\)'

        $run = Invoke-Watch $Name $state
        $run.Changes.Count | Should -Be 0
        $run.Warnings.Count | Should -Be 0
        $run.Log.Count | Should -Be 1
        (Get-ReadsById $run.Log).Count | Should -Be 0
        @((Get-Content $state -Raw | ConvertFrom-Json).accounts.PSObject.Properties.Value.unfinished.PSObject.Properties.Name) | Should -Be @()
    }
}

Describe 'Watch-ProviderJob -IncludeExisting' {
    BeforeAll { Reset-Simulator; Set-SimulatorEnvironment }

    It 'writes every job as New on a first run, oldest first, and nothing on the next' {
        Set-SimulatorDataset Krea 25
        $state = Join-Path $TestDrive 'existing.json'
        $expected = @(Get-SimulatorJobId Krea)
        $run = Invoke-Watch Krea $state @{ IncludeExisting = $true }

        $run.Changes.Count | Should -Be 25
        @($run.Changes | Where-Object Change -ne 'New').Count | Should -Be 0
        (($run.Changes.Job.Id | Sort-Object) -join ',') | Should -Be (($expected | Sort-Object) -join ',')
        $times = @($run.Changes | ForEach-Object { $_.Job.CreatedAt })
        for ($i = 1; $i -lt $times.Count; $i++) { $times[$i] | Should -BeGreaterOrEqual $times[$i - 1] }

        $again = Invoke-Watch Krea $state @{ IncludeExisting = $true }
        $again.Changes.Count | Should -Be 0
    }
}

Describe 'Watch-ProviderJob -Detailed' {
    BeforeEach {
        Reset-Simulator
        Set-SimulatorEnvironment
        Set-SimulatorDataset Unstructured 0
        New-SimulatorLiveJob Unstructured @(@{ id = 'd-seed'; runMs = 0; final = 'succeeded' })
        $state = Join-Path $TestDrive "detailed-$([guid]::NewGuid()).json"
        $null = Invoke-Watch Unstructured $state @{ Detailed = $true }
    }

    It 'reads a job that moved to a final status in detail before its change is written, and no unfinished job' {
        New-SimulatorLiveJob Unstructured @(@{ id = 'd-fail'; runMs = $Day; final = 'failed' }, @{ id = 'd-ok'; runMs = $Day; final = 'succeeded' })
        $run = Invoke-Watch Unstructured $state @{ Detailed = $true }
        Get-Summary $run.Changes | Should -Be 'New:d-ok:>Queued New:d-fail:>Queued'
        @($run.Log | Where-Object path -Match '/(details|failed-files)$').Count | Should -Be 0

        Step-SimulatorLiveJob Unstructured d-fail final
        Step-SimulatorLiveJob Unstructured d-ok final
        $run = Invoke-Watch Unstructured $state @{ Detailed = $true }
        # Both in Unstructured's listing (read whole each pass), in its order.
        Get-Summary ($run.Changes | Sort-Object { $_.Job.Id }) | Should -Be 'StatusChanged:d-fail:Queued>Failed StatusChanged:d-ok:Queued>Succeeded'
        $run.Warnings.Count | Should -Be 0
        $ok = $run.Changes | Where-Object { $_.Job.Id -eq 'd-ok' }
        $failed = $run.Changes | Where-Object { $_.Job.Id -eq 'd-fail' }
        # Without its details a COMPLETED job is Unverified; with them it is Complete.
        $ok.Job.Outcome | Should -Be 'Complete'
        $ok.PreviousOutcome | Should -Be 'Unfinished'
        $failed.Job.Outcome | Should -Be 'Failed'
        @($failed.Job.FailedItems).Count | Should -BeGreaterThan 0
        # One listing page, then the details of both and the failed files of the failed one.
        (@($run.Log | Where-Object path -Match '/(details|failed-files)$' | ForEach-Object path | Sort-Object) -join ',') |
            Should -Be '/unstructured/api/v1/jobs/d-fail/details,/unstructured/api/v1/jobs/d-fail/failed-files,/unstructured/api/v1/jobs/d-ok/details'
        (Get-Listings $run.Log).Count | Should -Be 1
        ($run.Verbose -join "`n") | Should -Match '-Detailed: 3 extra requests'
        # Both finished with their outcome known: they left the state.
        @((Get-Content $state -Raw | ConvertFrom-Json).accounts.PSObject.Properties.Value.unfinished.PSObject.Properties.Name) | Should -Be @()
    }

    It 'without -Detailed writes the listed outcome and reads no details' {
        New-SimulatorLiveJob Unstructured @(@{ id = 'p-ok'; runMs = $Day; final = 'succeeded' })
        $null = Invoke-Watch Unstructured $state
        Step-SimulatorLiveJob Unstructured p-ok final
        $run = Invoke-Watch Unstructured $state
        Get-Summary $run.Changes | Should -Be 'StatusChanged:p-ok:Queued>Succeeded'
        $run.Changes[0].Job.Outcome | Should -Be 'Unverified'
        @($run.Log | Where-Object path -Match '/(details|failed-files)$').Count | Should -Be 0
    }

    It 'writes a job whose details could not be read as Unverified with one warning, then its outcome once as OutcomeChanged' {
        New-SimulatorLiveJob Unstructured @(@{ id = 'o-job'; runMs = 0; final = 'succeeded' })
        Set-SimulatorOption Unstructured @{ failJob = @{ id = 'o-job'; status = 503 }; retryAfter = '0' }
        $run = Invoke-Watch Unstructured $state @{ Detailed = $true; MaximumRetryCount = 0 }
        Get-Summary $run.Changes | Should -Be 'New:o-job:>Succeeded'
        $run.Changes[0].Job.Outcome | Should -Be 'Unverified'
        $run.Errors.Count | Should -Be 0
        $run.Warnings.Count | Should -Be 1
        $run.Warnings[0] | Should -BeLike "Unstructured job 'o-job'*reading its details for -Detailed failed, so it is written with Outcome Unverified*503*"
        @($run.Log | Where-Object path -EQ '/unstructured/api/v1/jobs/o-job/details').Count | Should -Be 1
        # Still followed, for its outcome.
        $saved = (Get-Content $state -Raw | ConvertFrom-Json).accounts.PSObject.Properties.Value.unfinished
        $saved.'o-job'.status | Should -Be 'Succeeded'
        $saved.'o-job'.outcome | Should -Be 'Unverified'

        Set-SimulatorOption Unstructured @{ failJob = $null }
        $next = Invoke-Watch Unstructured $state @{ Detailed = $true }
        $next.Changes.Count | Should -Be 1
        $next.Changes[0].Change | Should -Be 'OutcomeChanged'
        $next.Changes[0].PreviousStatus | Should -Be 'Succeeded'
        $next.Changes[0].PreviousOutcome | Should -Be 'Unverified'
        $next.Changes[0].Job.Outcome | Should -Be 'Complete'
        $next.Warnings.Count | Should -Be 0
        @($next.Log | Where-Object path -EQ '/unstructured/api/v1/jobs/o-job/details').Count | Should -Be 1
        $narrow = ($next.Changes | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() } | ForEach-Object TrimEnd
        $narrow | Should -Contain ('{0,-7} {1,-12} {2,-36} {3,-10} {4}' -f 'Outcome', 'Unstructured', 'o-job', 'Unverified', 'Complete')

        # Written once: it left the state, and the next pass reads nothing of it.
        $last = Invoke-Watch Unstructured $state @{ Detailed = $true }
        $last.Changes.Count | Should -Be 0
        @($last.Log | Where-Object path -Match '/(details|failed-files)$').Count | Should -Be 0
        @((Get-Content $state -Raw | ConvertFrom-Json).accounts.PSObject.Properties.Value.unfinished.PSObject.Properties.Name) | Should -Be @()
    }
}

Describe 'The JobChange table' {
    BeforeAll { Reset-Simulator; Set-SimulatorEnvironment }

    It 'keeps the change, the provider, the whole id and what it went from and to within 80 columns, and the rest at 120' {
        Set-SimulatorDataset Unstructured 3
        $changes = @(Watch-ProviderJob -Provider Unstructured -Once -IncludeExisting)
        $changes.Count | Should -Be 3
        $narrow = ($changes | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() } | ForEach-Object TrimEnd
        $wide = ($changes | Out-String -Width 120) -split "`r?`n" | Where-Object { $_.Trim() }

        $narrow[0] | Should -Match '^Change\s+Provider\s+Id\s+From\s+To$'
        foreach ($change in $changes) {
            $narrow | Should -Contain ('{0,-7} {1,-12} {2,-36} {3,-10} {4}' -f 'New', 'Unstructured', $change.Job.Id, '', $change.Job.Status)
        }
        @($narrow | Where-Object { $_.Length -gt 80 }).Count | Should -Be 0
        $wide[0] | Should -Match '^Change\s+Provider\s+Id\s+From\s+To\s+Outcome\s+DetectedAt \(UTC\)$'
        $wide[2] | Should -Match ' \w+ +\w+ +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$'
    }

    It 'shows a status change as its statuses and an outcome change as its outcomes' {
        Set-SimulatorDataset Krea 0
        $state = Join-Path $TestDrive 'table.json'
        New-SimulatorLiveJob Krea @(@{ id = 't-seed'; runMs = 0 })
        $null = Invoke-Watch Krea $state
        New-SimulatorLiveJob Krea @(@{ id = 't-run'; runMs = $Day; final = 'failed' })
        $null = Invoke-Watch Krea $state
        Step-SimulatorLiveJob Krea t-run final
        $change = (Invoke-Watch Krea $state).Changes
        $change.Count | Should -Be 1
        $change[0].PreviousStatus | Should -Be 'Queued'
        $change[0].PreviousOutcome | Should -Be 'Unfinished'
        $narrow = ($change | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() } | ForEach-Object TrimEnd
        $narrow | Should -Contain ('{0,-7} {1,-12} {2,-36} {3,-10} {4}' -f 'Status', 'Krea', 't-run', 'Queued', 'Failed')
    }
}

Describe 'A pass that fails part-way' {
    BeforeEach {
        Reset-Simulator
        Set-SimulatorEnvironment
        Set-SimulatorDataset Krea 0
        New-SimulatorLiveJob Krea @(@{ id = 'f-seed'; runMs = 0 })
        $state = Join-Path $TestDrive "faults-$([guid]::NewGuid()).json"
        $null = Invoke-Watch Krea $state
    }

    It 'keeps the state when the listing fails beyond the retries (503), and writes its jobs in the next pass' {
        New-SimulatorLiveJob Krea @(@{ id = 'f-new'; runMs = $Day })
        $before = Get-Content $state -Raw
        Set-SimulatorOption Krea @{ failStatus = 503; failCount = 1; retryAfter = '0' }
        $run = Invoke-Watch Krea $state @{ MaximumRetryCount = 0 }

        $run.Changes.Count | Should -Be 0
        $run.Errors.Count | Should -Be 0
        $run.Warnings.Count | Should -Be 1
        $run.Warnings[0] | Should -Match 'listing of new jobs failed.*503'
        Get-Content $state -Raw | Should -Be $before

        $next = Invoke-Watch Krea $state
        Get-Summary $next.Changes | Should -Be 'New:f-new:>Queued'
        $next.Warnings.Count | Should -Be 0
    }

    It 'writes the changes once when 429s are retried within the pass' {
        New-SimulatorLiveJob Krea @(@{ id = 'f-429'; runMs = $Day })
        Set-SimulatorOption Krea @{ failStatus = 429; failCount = 2; retryAfter = '0' }
        $run = Invoke-Watch Krea $state @{ MaximumRetryCount = 3 }

        Get-Summary $run.Changes | Should -Be 'New:f-429:>Queued'
        ($run.Log.status -join ',') | Should -Be '429,429,200'
        $run.Errors.Count | Should -Be 0
        (Invoke-Watch Krea $state).Changes.Count | Should -Be 0
    }

    It 'reads again in the next pass the jobs whose read failed' {
        New-SimulatorLiveJob Krea @(@{ id = 'f-u1'; runMs = $Day; final = 'failed' }, @{ id = 'f-u2'; runMs = $Day })
        (Get-Summary (Invoke-Watch Krea $state).Changes) | Should -Be 'New:f-u2:>Queued New:f-u1:>Queued'
        # A newer job: the listing stops there, so the two are read by id from now on.
        New-SimulatorLiveJob Krea @(@{ id = 'f-top'; runMs = $Day })
        (Get-Summary (Invoke-Watch Krea $state).Changes) | Should -Be 'New:f-top:>Queued'

        Step-SimulatorLiveJob Krea f-u1 final
        # The listing goes through; the first read by id fails with 503 and no retry.
        Set-SimulatorOption Krea @{ failStatus = 503; failCount = 1; failAfter = 1; retryAfter = '0' }
        $run = Invoke-Watch Krea $state @{ MaximumRetryCount = 0 }
        $run.Changes.Count | Should -Be 0
        $run.Warnings.Count | Should -Be 1
        $run.Warnings[0] | Should -Match '2 unfinished jobs were not read again'
        # The rest of the pass's reads wait for the next pass instead of adding to the provider's trouble.
        (Get-ReadsById $run.Log).Count | Should -Be 1

        $next = Invoke-Watch Krea $state
        Get-Summary $next.Changes | Should -Be 'StatusChanged:f-u1:Queued>Failed'
        (Get-ReadsById $next.Log).Count | Should -Be 2
        (Invoke-Watch Krea $state).Changes.Count | Should -Be 0
    }
}

Describe 'The state file' {
    BeforeEach {
        Reset-Simulator
        Set-SimulatorEnvironment
        $state = Join-Path $TestDrive "state-$([guid]::NewGuid()).json"
    }

    It 'refuses a <What> file, sends nothing, and leaves it as it is' -ForEach @(
        @{ What = 'damaged'; Text = '{"format":"JobsModule.WatchState","version":1,"accounts":{"Krea|Krea|x":{"newest":' }
        @{ What = 'foreign'; Text = '{"name":"something else","version":1}' }
        @{ What = 'later version'; Text = '{"format":"JobsModule.WatchState","version":99,"accounts":{}}' }
        @{ What = 'malformed entry'; Text = '{"format":"JobsModule.WatchState","version":1,"accounts":{"a":{"newest":null,"newestIds":[],"unfinished":{"x":{"status":"Succeeded"}},"undated":[]}}}' }
    ) {
        Set-Content -LiteralPath $state -Value $Text -NoNewline
        Clear-SimulatorLog
        $err = $null
        try { Watch-ProviderJob -Provider Krea -StatePath $state -Once -ErrorAction Stop } catch { $err = $_ }

        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be "WatchStateInvalid,$CmdletId"
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.ToString() | Should -Match ([regex]::Escape($state))
        Get-Content -LiteralPath $state -Raw | Should -Be $Text
        @(Get-SimulatorLog).Count | Should -Be 0
    }

    It 'reads a version-1 file (no outcomes), taking the outcome each status gave, and writes version 2' {
        Set-SimulatorDataset Krea 0
        New-SimulatorLiveJob Krea @(@{ id = 'v1-seed'; runMs = 0 })
        $null = Invoke-Watch Krea $state
        New-SimulatorLiveJob Krea @(@{ id = 'v1-job'; runMs = $Day; final = 'succeeded' })
        (Get-Summary (Invoke-Watch Krea $state).Changes) | Should -Be 'New:v1-job:>Queued'
        # The same state as the module wrote it in version 1: no outcome (edited as text: ConvertFrom-Json would turn the times into dates).
        $text = Get-Content -LiteralPath $state -Raw
        $text | Should -Match '"outcome": "Unfinished"'
        $old = ($text -replace '"version": 2', '"version": 1') -replace ',\s*"outcome": "\w+"', ''
        $old | Should -Not -Match 'outcome'
        $old | Should -Match '"status": "Queued"'
        Set-Content -LiteralPath $state -Value $old -NoNewline

        Step-SimulatorLiveJob Krea v1-job final
        $run = Invoke-Watch Krea $state
        $run.Errors.Count | Should -Be 0
        Get-Summary $run.Changes | Should -Be 'StatusChanged:v1-job:Queued>Succeeded'
        $run.Changes[0].PreviousOutcome | Should -Be 'Unfinished'
        $run.Changes[0].Job.Outcome | Should -Be 'Complete'
        (Get-Content -LiteralPath $state -Raw | ConvertFrom-Json).version | Should -Be 2
        (Invoke-Watch Krea $state).Changes.Count | Should -Be 0
    }

    It 'names a later format version in its error' {
        Set-Content -LiteralPath $state -Value '{"format":"JobsModule.WatchState","version":7,"accounts":{}}' -NoNewline
        $err = $null
        try { Watch-ProviderJob -Provider Krea -StatePath $state -Once -ErrorAction Stop } catch { $err = $_ }
        $err.ToString() | Should -Match 'version 7 by a later JobsModule'
    }

    It 'is refused in a folder that does not exist' {
        $err = $null
        try { Watch-ProviderJob -Provider Krea -StatePath (Join-Path $TestDrive 'no-such-folder/state.json') -Once -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be "WatchStateUnavailable,$CmdletId"
        $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
    }

    It 'must be a file system path' {
        $err = $null
        try { Watch-ProviderJob -Provider Krea -StatePath 'Variable:\watch' -Once -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be "StatePathNotFile,$CmdletId"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'never holds a key' {
        Set-SimulatorDataset Krea 5
        $null = Invoke-Watch Krea $state @{ IncludeExisting = $true }
        $text = Get-Content -LiteralPath $state -Raw
        $text | Should -Not -Match ([regex]::Escape((Get-SimulatorInfo).providers.krea.key))
        $text | Should -Match '"format": "JobsModule.WatchState"'
    }

    It 'is held by one run at a time, and a run killed mid-watch leaves a state the next run reads' {
        Set-SimulatorDataset Krea 0
        New-SimulatorLiveJob Krea @(@{ id = 'k-seed'; runMs = 0 })
        $pwsh = Get-PwshCommand
        $script = "Import-Module '$env:JOBSMODULE_MODULE_PATH'; Watch-ProviderJob -Provider Krea -StatePath '$state' -PollingIntervalSec 1 -Timeout 120"
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
        $child = Start-Process -FilePath $pwsh[0] -ArgumentList (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded)) -PassThru
        try {
            # The child's first pass (a baseline) has been saved: it holds the file.
            $clock = [Diagnostics.Stopwatch]::StartNew()
            while (-not (Test-Path -LiteralPath $state) -and $clock.Elapsed.TotalSeconds -lt 60) { Start-Sleep -Milliseconds 100 }
            Test-Path -LiteralPath $state | Should -BeTrue

            $err = $null
            try { Watch-ProviderJob -Provider Krea -StatePath $state -Once -ErrorAction Stop } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be "WatchStateInUse,$CmdletId"
            $err.CategoryInfo.Category | Should -Be 'ResourceBusy'

            # Killed while it runs its passes (and saves after each): what it left is a whole state.
            New-SimulatorLiveJob Krea @(@{ id = 'k-after'; runMs = $Day })
            Start-Sleep -Milliseconds 1500
        }
        finally {
            Stop-Process -Id $child.Id -Force -ErrorAction SilentlyContinue
            $child.WaitForExit()
        }

        (Get-Content -LiteralPath $state -Raw | ConvertFrom-Json).version | Should -Be 2
        $run = Invoke-Watch Krea $state
        $run.Errors.Count | Should -Be 0
        # The child may have seen k-after before it was killed; either way it is known or written now, once.
        New-SimulatorLiveJob Krea @(@{ id = 'k-last'; runMs = $Day })
        Get-Summary (Invoke-Watch Krea $state).Changes | Should -Be 'New:k-last:>Queued'
    }
}

Describe 'A continuous watch' {
    BeforeEach {
        Reset-Simulator
        Set-SimulatorEnvironment
        Set-SimulatorDataset Krea 0
        New-SimulatorLiveJob Krea @(@{ id = 'c-seed'; runMs = 0 })
    }

    It 'writes a job created while it runs in the first pass after it' {
        $adder = Start-ThreadJob -ArgumentList (Get-SimulatorUrl) -ScriptBlock {
            param($url)
            Start-Sleep -Seconds 3
            $null = Invoke-RestMethod -Method Post -Uri "$url/_sim/krea/live" -ContentType 'application/json' -Body '{"jobs":[{"id":"c-live","runMs":86400000}]}'
        }
        $changes = @(Watch-ProviderJob -Provider Krea -PollingIntervalSec 1 -Count 1 -Timeout 60)
        $null = $adder | Wait-Job | Receive-Job
        $adder | Remove-Job

        Get-Summary $changes | Should -Be 'New:c-live:>Queued'
        # Found by the first listing sent after the job was created: within one interval.
        $created = $changes[0].Job.CreatedAt
        @(Get-SimulatorLog Krea | Where-Object { ([datetimeoffset]$_.startedAt) -ge $created }).Count | Should -Be 1
    }

    It 'ends at -Timeout, between passes, without an error' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $output = @(Watch-ProviderJob -Provider Krea -PollingIntervalSec 3600 -Timeout 2 -Verbose -ErrorVariable problems 4>&1)
        $clock.Stop()
        @($problems).Count | Should -Be 0
        ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Out-String) | Should -Match 'Timeout of 2 seconds reached'
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 1.9
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 30
        # One pass (the baseline), then the wait that -Timeout cut short.
        @(Get-SimulatorLog Krea).Count | Should -Be 1
    }

    It 'ends within a second when stopped (Ctrl+C)' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:JOBSMODULE_MODULE_PATH'; Watch-ProviderJob -Provider Krea -PollingIntervalSec 3600")
            $handle = $ps.BeginInvoke()
            $clock = [Diagnostics.Stopwatch]::StartNew()
            while (@(Get-SimulatorLog Krea).Count -eq 0 -and $clock.Elapsed.TotalSeconds -lt 60) { Start-Sleep -Milliseconds 100 }
            Start-Sleep -Milliseconds 300
            $stop = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $stop.Stop()
            $stop.Elapsed.TotalSeconds | Should -BeLessThan 1
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $handle.IsCompleted | Should -BeTrue
        }
        finally { $ps.Dispose() }
    }
}
