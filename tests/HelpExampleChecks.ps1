# What each example in docs/en-US does, checked after tests/Help.Tests.ps1 runs it against the
# simulator: the objects it writes, the text of its tables, its warnings, and the requests it sends
# (or does not send). Dot-sourced by Help.Tests.ps1; every example must have an entry here.

function New-ExampleRun {
    <# What one example left behind: its output split by kind, its text as shown, and the simulator's log. #>
    param([object[]] $All)
    $output = @($All | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] })
    [pscustomobject]@{
        Output   = $output
        Jobs     = @($output | Where-Object { $_ -is [JobsModule.ProviderJob] })
        Accounts = @($output | Where-Object { $_ -is [JobsModule.ProviderAccount] })
        Strings  = @($output | Where-Object { $_ -is [string] })
        Warnings = @($All | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message)
        Text     = ($output | Out-String -Width 250)
        Log      = @(Get-SimulatorLog)
    }
}

function Get-LogLine {
    <# The requests of a run as "METHOD provider path?query status", in order; optionally one provider's or one method's. #>
    param([object] $Run, [string] $Provider, [string] $Method)
    foreach ($entry in $Run.Log) {
        if ($Provider -and $entry.provider -ne $Provider) { continue }
        if ($Method -and $entry.method -ne $Method) { continue }
        "$($entry.method) $($entry.provider) $($entry.path)$($entry.query) $($entry.status)"
    }
}

function Get-DetailRequest {
    <# Single-job reads (GET of /jobs/<id>) of a run. #>
    param([object] $Run, [string] $Provider)
    # The comma keeps an array of one (or none) an array, so that .Count is always there.
    , @($Run.Log | Where-Object { $_.method -eq 'GET' -and $_.path -match '/jobs/[^/]+$' -and (-not $Provider -or $_.provider -eq $Provider) })
}

function Get-TableRow {
    <# The data rows of the tables in a run's text whose first column matches a pattern. #>
    param([object] $Run, [string] $Pattern)
    , @(($Run.Text -split "`r?`n") | Where-Object { $_ -match $Pattern })
}

function Get-FileHostLog {
    <# The simulator's file host's requests (a second origin): path, host, status and the credential headers it was sent. #>
    @(Invoke-Simulator -Path '/_sim/files/log')
}

function Get-SavedTree {
    <# The files under a folder of the temp directory, relative, with '/' between parts: what an example saved there. #>
    param([Parameter(Mandatory)] [string] $Name)
    $root = Join-Path ([IO.Path]::GetTempPath()) $Name
    if (-not (Test-Path -LiteralPath $root)) { return @() }
    @(Get-ChildItem -LiteralPath $root -Recurse -File -Force | ForEach-Object { [IO.Path]::GetRelativePath($root, $_.FullName).Replace('\', '/') } | Sort-Object)
}

# The folders Save-ProviderJobOutput's examples save to, emptied before each runs.
$SaveExampleFolders = 'krea-results', 'workflow-outputs', 'diarizations', 'preview', 'batch'
function Clear-SaveExampleFolder { foreach ($name in $SaveExampleFolders) { Remove-Item -LiteralPath (Join-Path ([IO.Path]::GetTempPath()) $name) -Recurse -Force -ErrorAction Ignore } }

# What an example needs from the simulator beyond its default datasets (a few hours of jobs per provider).
$ExampleSetup = @{
    'Save-ProviderJobOutput: Example 1: Save a day''s Krea results' = { Clear-SaveExampleFolder }
    'Save-ProviderJobOutput: Example 2: An Unstructured workflow''s outputs' = { Clear-SaveExampleFolder }
    'Save-ProviderJobOutput: Example 3: Wait for a job, then save what it produced' = { Clear-SaveExampleFolder }
    'Save-ProviderJobOutput: Example 4: See what would be saved' = { Clear-SaveExampleFolder }
    'Save-ProviderJobOutput: Example 5: Errors from a batch, as data' = { Clear-SaveExampleFolder }
    # About 7.3 days of Krea jobs, seven minutes apart: a few failed ones are older than a week.
    'Remove-ProviderJob: Example 2: Delete the failed Krea jobs of last week, keeping a record' = { Set-SimulatorDataset Krea 1500 }
    # Hundreds of pending jobs, several pages of them, each page shifted by the stops before it.
    'Stop-ProviderJob: Example 5: Pending Convertly jobs' = { Set-SimulatorDataset Convertly 1000 }
    # The runbook has run before (its baseline), and a Krea job has failed since.
    'Watch-ProviderJob: Example 1: A scheduled runbook that alerts on the jobs that failed since its last run' = {
        $state = Join-Path ([IO.Path]::GetTempPath()) 'jobs-watch.json'
        Remove-Item -LiteralPath $state, "$state.lock" -ErrorAction Ignore
        Watch-ProviderJob -StatePath $state -Once
        New-SimulatorLiveJob Krea @(@{ id = 'nightly-42'; runMs = 0; final = 'failed' })
        Clear-SimulatorLog
    }
    # A Krea job that starts a second in and finishes four seconds in.
    'Watch-ProviderJob: Example 2: An interactive watch' = { New-SimulatorLiveJob Krea @(@{ id = 'render-7'; runMs = 4000 }) }
    # An ittybit job that fails two seconds in.
    'Watch-ProviderJob: Example 4: Wait for the next failure' = { New-SimulatorLiveJob Ittybit @(@{ id = 'clip-9'; runMs = 2000; final = 'failed' }) }
    'Watch-ProviderJob: Example 5: Two runs on one state file' = {
        $state = Join-Path ([IO.Path]::GetTempPath()) 'jobs-watch-busy.json'
        Remove-Item -LiteralPath $state, "$state.lock" -ErrorAction Ignore
    }
    # The runbook has run before (its baseline, of an account whose jobs had all finished); since then one
    # Unstructured job failed and one completed.
    'Watch-ProviderJob: Example 6: Alert on work not done in full, with the failed files' = {
        Set-SimulatorDataset Unstructured 25 -Finished
        $state = Join-Path ([IO.Path]::GetTempPath()) 'jobs-watch-detailed.json'
        Remove-Item -LiteralPath $state, "$state.lock" -ErrorAction Ignore
        Watch-ProviderJob -Provider Unstructured -StatePath $state -Once -Detailed
        New-SimulatorLiveJob Unstructured @(@{ id = 'ingest-17'; runMs = 0; final = 'failed' }, @{ id = 'ingest-18'; runMs = 0; final = 'succeeded' })
        Clear-SimulatorLog
    }
}

$ExampleChecks = @{
    # Save-ProviderJobOutput
    'Save-ProviderJobOutput: Example 1: Save a day''s Krea results' = {
        param($Run)
        $jobs = @(Get-ProviderJob -Provider Krea -Status Succeeded)
        $urls = @($jobs.ResultUrls)
        $urls.Count | Should -BeGreaterThan 2
        $expected = @(foreach ($job in $jobs) { foreach ($url in $job.ResultUrls) { "Krea/$($job.Id)/$(([uri]$url).Segments[-1])" } }) | Sort-Object
        Get-SavedTree 'krea-results' | Should -Be $expected
        (Get-TableRow $Run '^Krea\s+\S+\s+4096\s+\S+\.(png|mp4)').Count | Should -Be $urls.Count
        $files = Get-FileHostLog
        $files.Count | Should -Be $urls.Count
        @($files | Where-Object { $_.credentials.Count -gt 0 }).Count | Should -Be 0
        Get-LogLine $Run | Should -Be 'GET krea /krea/jobs?limit=32&status=completed 200'
    }
    'Save-ProviderJobOutput: Example 2: An Unstructured workflow''s outputs' = {
        param($Run)
        $workflowId = (Get-ProviderJob -Provider Unstructured -Status Succeeded -First 1).WorkflowId
        $jobs = @(Get-ProviderJob -Provider Unstructured -WorkflowId $workflowId -Status Succeeded)
        $expected = @(foreach ($job in $jobs) { foreach ($file in $job.OutputNodeFiles) { "Unstructured/$($job.Id)/$($file.file_id -replace '\.json$', '').json" } }) | Sort-Object
        $expected.Count | Should -BeGreaterThan 0
        Get-SavedTree 'workflow-outputs' | Should -Be $expected
        @(Get-LogLine $Run -Provider unstructured | Where-Object { $_ -match '/download\?file_id=' }).Count | Should -Be $expected.Count
        foreach ($job in $jobs) { (Get-TableRow $Run "^$([regex]::Escape($job.Id))\s+$(@($job.OutputNodeFiles).Count)\s*$").Count | Should -Be 1 }
        Get-FileHostLog | Should -BeNullOrEmpty
    }
    'Save-ProviderJobOutput: Example 3: Wait for a job, then save what it produced' = {
        param($Run)
        $id = (Get-ProviderJob -Provider PyannoteAI -Status Succeeded -First 1).Id
        $file = @($Run.Output | Where-Object { $_.psobject.Properties['FullName'] })
        $file.Count | Should -Be 1
        $file[0].Name | Should -Be "$id.json"
        $file[0].FullName | Should -Be (Join-Path ([IO.Path]::GetTempPath()) 'diarizations' 'PyannoteAI' $id "$id.json")
        # Byte for byte the output of the job's answer, as sent.
        $detail = (Invoke-WebRequest -Uri "$env:PYANNOTEAI_BASE_URL/v1/jobs/$id" -Headers @{ Authorization = "Bearer $env:PYANNOTEAI_API_KEY" }).Content
        $output = [System.Text.Json.JsonDocument]::Parse($detail).RootElement.GetProperty('output').GetRawText()
        [IO.File]::ReadAllText($file[0].FullName) | Should -BeExactly $output
        # The wait's read, then the read that gives the output.
        @(Get-LogLine $Run -Provider pyannoteai | Where-Object { $_ -like "GET pyannoteai /pyannoteai/v1/jobs/$id 200" }).Count | Should -Be 2
    }
    'Save-ProviderJobOutput: Example 4: See what would be saved' = {
        param($Run)
        $Run.Output | Should -BeNullOrEmpty
        # The two listings run at once, so their order in the log may be either.
        Get-LogLine $Run | Sort-Object | Should -Be 'GET convertly /convertly/api/jobs?limit=4&offset=0&status=completed 200', 'GET krea /krea/jobs?limit=4&status=completed 200'
        Get-FileHostLog | Should -BeNullOrEmpty
        Test-Path -LiteralPath (Join-Path ([IO.Path]::GetTempPath()) 'preview') | Should -BeFalse
    }
    'Save-ProviderJobOutput: Example 5: Errors from a batch, as data' = {
        param($Run)
        $jobs = @(Get-ProviderJob -Provider Krea -First 8)
        $open = @($jobs | Where-Object Status -In Queued, Running)
        $done = @($jobs | Where-Object Status -EQ Succeeded)
        $open.Count | Should -BeGreaterThan 0
        $done.Count | Should -BeGreaterThan 0
        (Get-TableRow $Run '^JobNotFinished,JobsModule\.Commands\.SaveProviderJobOutputCommand\s').Count | Should -Be $open.Count
        foreach ($job in $open) { $Run.Text | Should -Match ([regex]::Escape($job.Id)) }
        $expected = @(foreach ($job in $done) { foreach ($url in $job.ResultUrls) { "Krea/$($job.Id)/$(([uri]$url).Segments[-1])" } }) | Sort-Object
        Get-SavedTree 'batch' | Should -Be $expected
        (Get-FileHostLog).Count | Should -Be $expected.Count
    }
    # Connect-ProviderAccount
    'Connect-ProviderAccount: Example 1: Connect a Krea account and list its jobs' = {
        param($Run)
        $Run.Jobs.Count | Should -Be 5
        $Run.Jobs.Account | Sort-Object -Unique | Should -Be 'production'
        Get-LogLine $Run | Should -Be 'GET krea /krea/jobs?limit=5 200'
    }
    'Connect-ProviderAccount: Example 2: Two accounts of one provider, listed together' = {
        param($Run)
        $Run.Text | Should -Match '(?m)^\s+25 production\s*$'
        $Run.Text | Should -Match '(?m)^\s+25 staging\s*$'
        @(Get-LogLine $Run) | Should -Be @('GET krea /krea/jobs?limit=32 200', 'GET krea /krea/jobs?limit=32 200')
    }
    'Connect-ProviderAccount: Example 3: A key in a PSCredential, whose user name names the account' = {
        param($Run)
        $Run.Accounts.Count | Should -Be 1
        $Run.Accounts[0].Provider | Should -Be 'Ittybit'
        $Run.Accounts[0].Name | Should -Be 'team-a'
        $Run.Accounts[0].KeySource | Should -Be '-Credential'
        (Get-TableRow $Run '^team-a\s+job_').Count | Should -Be 3
        Get-LogLine $Run | Should -Be 'GET ittybit /ittybit/jobs?limit=3 200'
    }
    'Connect-ProviderAccount: Example 4: Check the key before keeping the account' = {
        param($Run)
        $Run.Strings | Should -Be 'ProviderAuthenticationFailed,JobsModule.Commands.ConnectProviderAccountCommand'
        @(Get-LogLine $Run) | Should -Be @('GET krea /krea/jobs?limit=1 200', 'GET krea /krea/jobs?limit=1 401')
    }
    'Connect-ProviderAccount: Example 5: Keep the environment''s key under a name of your own' = {
        param($Run)
        $Run.Accounts.Count | Should -Be 1
        $Run.Accounts[0].Name | Should -Be 'ops'
        $Run.Accounts[0].KeySource | Should -Be 'env:CONVERTLY_API_KEY'
        $Run.Jobs.Count | Should -Be 3
        $Run.Jobs.Account | Sort-Object -Unique | Should -Be 'ops'
        Get-LogLine $Run | Should -Be 'GET convertly /convertly/api/jobs?limit=3&offset=0 200'
    }
    'Connect-ProviderAccount: Example 6: An account behind a gateway' = {
        param($Run)
        $Run.Text | Should -Match '(?m)^Name\s+: gateway\s*$'
        $Run.Text | Should -Match ('(?m)^BaseUri\s+: ' + [regex]::Escape($env:KREA_BASE_URL) + '\s*$')
        $Run.Text | Should -Match '(?m)^IsConnected : True\s*$'
        $Run.Log.Count | Should -Be 0 -Because 'connecting without -Validate sends nothing'
    }

    # Disconnect-ProviderAccount
    'Disconnect-ProviderAccount: Example 1: Disconnect one account' = {
        param($Run)
        $Run.Accounts.Count | Should -Be 1
        $Run.Accounts[0].Name | Should -Be 'Krea'
        $Run.Accounts[0].KeySource | Should -Be 'env:KREA_API_KEY'
        $Run.Accounts[0].IsConnected | Should -BeFalse
        $Run.Log.Count | Should -Be 0
    }
    'Disconnect-ProviderAccount: Example 2: Disconnect every connected account' = {
        param($Run)
        $Run.Output.Count | Should -Be 0
        $Run.Log.Count | Should -Be 0
    }
    'Disconnect-ProviderAccount: Example 3: The same name for two providers' = {
        param($Run)
        $Run.Accounts.Count | Should -Be 1
        $Run.Accounts[0].Provider | Should -Be 'Ittybit'
        $Run.Accounts[0].Name | Should -Be 'team-a'
    }
    'Disconnect-ProviderAccount: Example 4: See what would be disconnected' = {
        param($Run)
        # -WhatIf writes only to the host: had it disconnected, the second command would have failed.
        $Run.Output.Count | Should -Be 0
        $Run.Log.Count | Should -Be 0
    }
    'Disconnect-ProviderAccount: Example 5: Disconnect the accounts a pattern matches' = {
        param($Run)
        $Run.Strings | Should -Be 'ops'
        $Run.Log.Count | Should -Be 0
        @(Get-ProviderAccount -Provider Krea | Where-Object IsConnected).Count | Should -Be 0
    }
    'Disconnect-ProviderAccount: Example 6: A name that is not connected' = {
        param($Run)
        $Run.Strings | Should -Be 'AccountNotConnected,JobsModule.Commands.DisconnectProviderAccountCommand'
    }

    # Get-ProviderAccount
    'Get-ProviderAccount: Example 1: Every account the module can use' = {
        param($Run)
        ($Run.Accounts.Name -join ',') | Should -Be 'Convertly,Ittybit,Krea,PyannoteAI,Unstructured'
        $Run.Accounts | ForEach-Object { $_.KeySource | Should -BeLike 'env:*' }
        @($Run.Accounts | Where-Object IsConnected).Count | Should -Be 0
        $Run.Log.Count | Should -Be 0
    }
    'Get-ProviderAccount: Example 2: Connected accounts next to the environment''s, with wildcards' = {
        param($Run)
        (Get-TableRow $Run '^Krea\s+prod-(eu|us)\s+-ApiKey\s+True\s*$').Count | Should -Be 2
        ($Run.Accounts | ForEach-Object { "$($_.Provider)/$($_.Name)" } | Sort-Object) -join ',' | Should -Be 'Ittybit/Ittybit,Krea/prod-eu,Krea/prod-us'
    }
    'Get-ProviderAccount: Example 3: List the jobs of the accounts you select' = {
        param($Run)
        (Get-TableRow $Run '^(Krea|PyannoteAI)\s+(Krea|PyannoteAI)\s+\S+').Count | Should -Be 10
        @(Get-LogLine $Run | Sort-Object) | Should -Be @('GET krea /krea/jobs?limit=10 200', 'GET pyannoteai /pyannoteai/v2/jobs?limit=10 200')
    }
    'Get-ProviderAccount: Example 4: Where each key comes from' = {
        param($Run)
        (Get-TableRow $Run '^KeySource\s+: env:[A-Z_]+_API_KEY\s*$').Count | Should -Be 5
        $Run.Log.Count | Should -Be 0
    }
    'Get-ProviderAccount: Example 5: Is there a key for a provider?' = {
        param($Run)
        $Run.Strings | Should -Be 'Unstructured jobs can be listed.'
    }

    # Get-ProviderJob
    'Get-ProviderJob: Example 1: The newest jobs of one provider' = {
        param($Run)
        ($Run.Jobs.Id -join ',') | Should -Be ((Get-SimulatorJobId Krea | Select-Object -First 3) -join ',')
        Get-LogLine $Run | Should -Be 'GET krea /krea/jobs?limit=3 200'
    }
    'Get-ProviderJob: Example 2: Failed jobs of the last week, everywhere, to a CSV file' = {
        param($Run)
        $rows = @(Import-Csv (Join-Path ([IO.Path]::GetTempPath()) 'failed-jobs.csv'))
        $rows.Count | Should -BeGreaterThan 0
        $rows.Status | Sort-Object -Unique | Should -Be 'Failed'
        # The times are ISO 8601 UTC text with milliseconds, and read back as the instants listed.
        $weekAgo = [DateTimeOffset]::UtcNow.AddDays(-7).AddMinutes(-5)
        $rows | ForEach-Object {
            $_.CreatedAtIso | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$'
            [DateTimeOffset]$_.CreatedAtIso | Should -BeGreaterThan $weekAgo
        }
        ($rows.Provider | Sort-Object -Unique) -join ',' | Should -Be 'Convertly,Ittybit,Krea,PyannoteAI,Unstructured'
        @(Get-LogLine $Run).Count | Should -Be 5
    }
    'Get-ProviderJob: Example 3: How many jobs per provider and status' = {
        param($Run)
        $groups = Get-TableRow $Run '^\s*\d+ \w+, \w+\s*$'
        ($groups | ForEach-Object { [int]($_.Trim() -split ' ')[0] } | Measure-Object -Sum).Sum | Should -Be 125
        $Run.Text | Should -Match '(?m)^\s+\d+ Krea, Succeeded\s*$'
        @(Get-LogLine $Run).Count | Should -Be 5
    }
    'Get-ProviderJob: Example 4: ittybit video jobs for one input file' = {
        param($Run)
        $Run.Jobs.Count | Should -BeGreaterThan 0
        $Run.Jobs.Kind | Sort-Object -Unique | Should -Be 'video'
        $Run.Jobs.Input | Sort-Object -Unique | Should -Be 'https://media.example.com/uploads/video/sample-1.mp4'
        Get-LogLine $Run | Should -Be 'GET ittybit /ittybit/jobs?limit=32&kind=video&input=https%3A%2F%2Fmedia.example.com%2Fuploads%2Fvideo%2Fsample-1.mp4 200'
    }
    'Get-ProviderJob: Example 5: The running jobs of one Unstructured workflow' = {
        param($Run)
        $lines = @(Get-LogLine $Run)
        $lines.Count | Should -Be 2
        $lines[1] | Should -Match '^GET unstructured /unstructured/api/v1/jobs/\?workflow_id=[0-9a-f-]+&status=IN_PROGRESS 200$'
        (Get-TableRow $Run '^[0-9a-f-]{36}\s.*\sRunning\s').Count | Should -BeGreaterThan 0
    }
    'Get-ProviderJob: Example 6: Krea jobs created before a moment' = {
        param($Run)
        $Run.Jobs.Count | Should -BeGreaterThan 0
        $hourAgo = [datetime]::UtcNow.AddHours(-1)
        $Run.Jobs | ForEach-Object { $_.CreatedAt | Should -BeLessThan $hourAgo }
        Get-LogLine $Run | Should -Match '^GET krea /krea/jobs\?cursor=[^&]+&limit=50 200$'
    }
    'Get-ProviderJob: Example 7: Paging with -Skip, -First and -IncludeTotalCount' = {
        param($Run)
        ($Run.Jobs.Id -join ',') | Should -Be ((Get-SimulatorJobId Convertly | Select-Object -Skip 10 -First 5) -join ',')
        @($Run.Output | Where-Object { $_ -is [uint64] }) | Should -Be 25
        Get-LogLine $Run | Should -Be 'GET convertly /convertly/api/jobs?limit=15&offset=0 200'
    }
    'Get-ProviderJob: Example 8: Fields only one provider has' = {
        param($Run)
        $Run.Text | Should -Match '(?m)^TotalFiles\s+: \d+'
        $Run.Text | Should -Match '(?m)^ExtraFields\s+: \{'
        $Run.Strings | Should -Be (Get-SimulatorJob Ittybit)[0].options.format
    }
    'Get-ProviderJob: Example 9: Two accounts of one provider, side by side' = {
        param($Run)
        (Get-TableRow $Run '^(production|staging)\s+\S+\s+\w+\s').Count | Should -Be 10
        $Run.Jobs.Count | Should -BeGreaterThan 0
        $Run.Jobs.Account | Sort-Object -Unique | Should -Be 'staging'
        $Run.Jobs.Status | Sort-Object -Unique | Should -Be 'Failed'
        @(Get-LogLine $Run) | Should -Be @('GET krea /krea/jobs?limit=10 200', 'GET krea /krea/jobs?limit=10 200', 'GET krea /krea/jobs?limit=32&status=failed 200')
    }
    'Get-ProviderJob: Example 10: The accounts from Get-ProviderAccount' = {
        param($Run)
        $Run.Jobs.Count | Should -Be 10
        ($Run.Jobs.Provider | Sort-Object -Unique) -join ',' | Should -Be 'Ittybit,Krea'
        $created = @($Run.Jobs.CreatedAt)
        ($created -join ',') | Should -Be (($created | Sort-Object -Descending) -join ',') -Because 'the two accounts are merged newest first'
    }
    'Get-ProviderJob: Example 11: Accounts by name, with wildcards' = {
        param($Run)
        (Get-TableRow $Run '^(Krea|Ittybit)\s+(Krea|Ittybit)\s+\S+').Count | Should -BeGreaterThan 0
        @(Get-LogLine $Run | Sort-Object) | Should -Be @('GET ittybit /ittybit/jobs?limit=20&status=succeeded 200', 'GET krea /krea/jobs?limit=20&status=completed 200')
    }
    'Get-ProviderJob: Example 12: Fewer requests at once' = {
        param($Run)
        $Run.Output.Count | Should -Be 1
        $Run.Output[0].Count | Should -Be 125
        @(Get-LogLine $Run).Count | Should -Be 5
    }
    'Get-ProviderJob: Example 13: One key for one call' = {
        param($Run)
        $Run.Jobs.Count | Should -Be 5
        $Run.Jobs.Provider | Sort-Object -Unique | Should -Be 'Krea'
        Get-LogLine $Run | Should -Be 'GET krea /krea/jobs?limit=5 200'
    }
    'Get-ProviderJob: Example 14: Errors per account, without stopping the listing' = {
        param($Run)
        # Every account answers here, so there is no error to show.
        $Run.Output.Count | Should -Be 0
        @(Get-LogLine $Run | Where-Object { $_ -match ' 200$' }).Count | Should -Be 5
    }
    'Get-ProviderJob: Example 15: A filter the provider cannot apply' = {
        param($Run)
        $Run.Strings | Should -Be 'FilterNotSupported,JobsModule.Commands.GetProviderJobCommand'
        $Run.Log.Count | Should -Be 0 -Because 'bad input is an error before anything is sent'
    }
    'Get-ProviderJob: Example 16: Retries, timeouts and a request log' = {
        param($Run)
        $Run.Jobs.Count | Should -Be 25
        Get-LogLine $Run | Should -Be 'GET convertly /convertly/api/jobs?limit=32&offset=0 200'
    }
    'Get-ProviderJob: Example 19: The jobs of the last half hour, by your clock' = {
        param($Run)
        # Krea's jobs, newest first: the ones written are the newest, all within the half hour (give or
        # take the moments the example and this check ran apart), and the next one is older.
        $all = @(Get-SimulatorJob Krea)
        $Run.Jobs.Count | Should -BeGreaterThan 0
        ($Run.Jobs.Id -join ',') | Should -Be (($all | Select-Object -First $Run.Jobs.Count).job_id -join ',')
        $Run.Jobs | ForEach-Object { $_.CreatedAt | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(-31)) }
        [DateTimeOffset]$all[$Run.Jobs.Count].created_at | Should -BeLessThan ([DateTimeOffset]::UtcNow.AddMinutes(-29))
        # The listing took one request (25 jobs, a first page of 32); the last command one more, and found nothing newer.
        @(Get-LogLine $Run).Count | Should -Be 2
    }
    'Get-ProviderJob: Example 20: Finished jobs whose work was not all done' = {
        param($Run)
        $completed = @(Get-SimulatorJob Unstructured | Where-Object status -EQ 'COMPLETED')
        $details = @($Run.Log | Where-Object path -Match '^/unstructured/api/v1/jobs/[^/]+/details$')
        $files = @($Run.Log | Where-Object path -Match '^/unstructured/api/v1/jobs/[^/]+/failed-files$')
        # One details read per COMPLETED job, failed files for the ones that completed with errors: those the table shows.
        (@($details.path | Sort-Object) -join ',') | Should -Be (@($completed | ForEach-Object { "/unstructured/api/v1/jobs/$($_.id)/details" } | Sort-Object) -join ',')
        $files.Count | Should -BeGreaterThan 0
        $rows = Get-TableRow $Run '^[0-9a-f-]{36}\s+Partial\s+\S'
        $rows.Count | Should -Be $files.Count
        (Get-TableRow $Run '^[0-9a-f-]{36}\s').Count | Should -Be $files.Count
        @(Get-LogLine $Run -Provider unstructured | Where-Object { $_ -match '/jobs/\?' }) | Should -Be 'GET unstructured /unstructured/api/v1/jobs/?status=COMPLETED 200'
        $Run.Log.Count | Should -Be (1 + $details.Count + $files.Count)
    }
    'Get-ProviderJob: Example 21: The reason a pyannoteAI job failed' = {
        param($Run)
        $reads = Get-DetailRequest $Run pyannoteai
        $reads.Count | Should -Be 3
        ([regex]::Matches($Run.Text, '(?m)^Outcome\s+: Failed\s*$')).Count | Should -Be 3
        ([regex]::Matches($Run.Text, '(?m)^Error\s+: \S')).Count | Should -Be 3
        ([regex]::Matches($Run.Text, '(?m)^FailedItems\s+: \{?[0-9a-f-]{36}: \S')).Count | Should -Be 3
        $Run.Log.Count | Should -Be 4
    }
    'Get-ProviderJob: Example 17: The current state of jobs you already have' = {
        param($Run)
        $details = Get-DetailRequest $Run krea
        $details.Count | Should -Be 4
        $Run.Jobs.Count | Should -Be 1
        $Run.Jobs[0].Id | Should -Be ($details[0].path -split '/')[-1]
        (Get-TableRow $Run '^[0-9a-f-]{36}\s+Running').Count | Should -Be 3
    }
    'Get-ProviderJob: Example 18: Only the count' = {
        param($Run)
        $Run.Jobs.Count | Should -Be 0
        $Run.Output.Count | Should -Be 1
        [uint64]$Run.Output[0].psobject.BaseObject | Should -Be @(Get-SimulatorJob Convertly | Where-Object status -eq 'pending').Count
        $Run.Output[0].Accuracy | Should -Be 1
        Get-LogLine $Run | Should -Be 'GET convertly /convertly/api/jobs?limit=1&offset=0&status=pending 200'
    }

    # Stop-ProviderJob
    'Stop-ProviderJob: Example 1: See what would be cancelled' = {
        param($Run)
        $lines = @(Get-LogLine $Run)
        $lines[0] | Should -Be 'GET krea /krea/jobs?limit=32 200' -Because 'Queued is three Krea statuses, filtered here'
        $details = Get-DetailRequest $Run krea
        $details.Count | Should -BeGreaterThan 0 -Because 'each job is read before the question is asked'
        $lines.Count | Should -Be (1 + $details.Count) -Because '-WhatIf sends no stop'
        @(Get-SimulatorJob Krea | Where-Object status -in 'backlogged', 'queued', 'scheduled').Count | Should -Be $details.Count -Because 'the queued jobs are all still there'
    }
    'Stop-ProviderJob: Example 2: Cancel the queued Krea jobs older than an hour, in a runbook' = {
        param($Run)
        $deletes = @(Get-LogLine $Run -Method DELETE)
        $deletes.Count | Should -BeGreaterThan 0
        $deletes | ForEach-Object { $_ | Should -Match '^DELETE krea /krea/jobs/[0-9a-f-]+ 200$' }
        (Get-TableRow $Run '^[0-9a-f-]{36}\s+Canceled\s+deleted\s').Count | Should -Be $deletes.Count
    }
    'Stop-ProviderJob: Example 3: Cancel one job by its id' = {
        param($Run)
        $deletes = @(Get-LogLine $Run -Method DELETE)
        $deletes.Count | Should -Be 1
        $id = ($deletes[0] -split ' ')[2] -replace '^/krea/jobs/', ''
        @(Get-SimulatorJob Krea | Where-Object job_id -eq $id).Count | Should -Be 0 -Because 'Krea deletes the job it stops'
        $Run.Output.Count | Should -Be 0
    }
    'Stop-ProviderJob: Example 4: Stop the open jobs of one Unstructured workflow' = {
        param($Run)
        $cancels = @(Get-LogLine $Run -Method POST)
        $cancels.Count | Should -BeGreaterThan 0
        $cancels | ForEach-Object { $_ | Should -Match '^POST unstructured /unstructured/api/v1/jobs/[0-9a-f-]+/cancel 200$' }
        (Get-TableRow $Run '\sCanceled\s+STOPPED\s*$').Count | Should -Be $cancels.Count
    }
    'Stop-ProviderJob: Example 5: Pending Convertly jobs' = {
        param($Run)
        $deletes = @(Get-LogLine $Run -Method DELETE)
        $deletes.Count | Should -BeGreaterThan 200
        @($deletes | Sort-Object -Unique).Count | Should -Be $deletes.Count -Because 'each job is stopped once'
        @(Get-LogLine $Run -Method GET | Where-Object { $_ -match '/api/jobs\?' -and $_ -notmatch 'offset=0&' }).Count | Should -Be 0 -Because 'each page of the stopping listing starts at the head'
        (Get-TableRow $Run '^[0-9a-f-]{36}\s+Canceled\s').Count | Should -Be $deletes.Count
        $measured = @($Run.Output | Where-Object { $_ -is [Microsoft.PowerShell.Commands.GenericMeasureInfo] })
        $measured.Count | Should -Be 1
        $measured[0].Count | Should -Be 0 -Because 'no pending job is left'
    }
    'Stop-ProviderJob: Example 6: Errors from a mixed batch' = {
        param($Run)
        @(Get-LogLine $Run -Method DELETE).Count | Should -Be 0 -Because 'ittybit cannot cancel, and a finished Krea job is never deleted'
        $Run.Strings.Count | Should -Be 4
        $refused = (Get-TableRow $Run '^\S+\s+CancelNotSupported,JobsModule\.Commands\.StopProviderJobCommand\s+NotImplemented\s*$').Count
        $finished = (Get-TableRow $Run '^[0-9a-f-]{36}\s+JobAlreadyFinished,JobsModule\.Commands\.StopProviderJobCommand\s+InvalidOperation\s*$').Count
        $refused + $finished | Should -Be 4
        $finished | Should -Be (Get-DetailRequest $Run krea).Count -Because 'each Krea job is read, found finished, and left alone'
    }

    # Remove-ProviderJob
    'Remove-ProviderJob: Example 1: See what would be deleted' = {
        param($Run)
        $lines = @(Get-LogLine $Run)
        $lines[0] | Should -Be 'GET krea /krea/jobs?limit=32&status=failed 200'
        $details = Get-DetailRequest $Run krea
        $details.Count | Should -BeGreaterThan 0 -Because 'each job is read before the question is asked'
        $lines.Count | Should -Be (1 + $details.Count) -Because '-WhatIf deletes nothing'
        @(Get-SimulatorJob Krea | Where-Object status -eq 'failed').Count | Should -Be $details.Count
    }
    'Remove-ProviderJob: Example 2: Delete the failed Krea jobs of last week, keeping a record' = {
        param($Run)
        $deletes = @(Get-LogLine $Run -Method DELETE)
        $deletes.Count | Should -BeGreaterThan 0
        $deletes | ForEach-Object { $_ | Should -Match '^DELETE krea /krea/jobs/[0-9a-f-]+ 200$' }
        $weekAgo = [DateTimeOffset]::UtcNow.AddDays(-7)
        @(Get-SimulatorJob Krea | Where-Object { $_.status -eq 'failed' -and [DateTimeOffset]$_.created_at -lt $weekAgo }).Count | Should -Be 0 -Because 'every failed job older than a week is gone'
        $log = Join-Path ([IO.Path]::GetTempPath()) 'deleted-krea-jobs.csv'
        try {
            $rows = @(Import-Csv $log)
            $rows.Count | Should -Be $deletes.Count
            $rows.Status | Sort-Object -Unique | Should -Be 'Failed'
            $rows | ForEach-Object { [DateTimeOffset]$_.CreatedAtIso | Should -BeLessThan $weekAgo }
            $left = @(Get-SimulatorJob Krea).job_id
            $rows.Id | ForEach-Object { $left | Should -Not -Contain $_ }
        }
        finally {
            Remove-Item $log -ErrorAction Ignore
        }
    }
    'Remove-ProviderJob: Example 3: Delete one job by its id' = {
        param($Run)
        $deletes = @(Get-LogLine $Run -Method DELETE)
        $deletes.Count | Should -Be 1
        $id = ($deletes[0] -split ' ')[2] -replace '^/krea/jobs/', ''
        @(Get-LogLine $Run)[-1] | Should -Be "GET krea /krea/jobs/$id 404"
        $Run.Strings | Should -Be 'JobNotFound,JobsModule.Commands.GetProviderJobCommand'
    }
    'Remove-ProviderJob: Example 4: Providers without a delete' = {
        param($Run)
        @(Get-LogLine $Run -Provider convertly -Method DELETE).Count | Should -Be 0 -Because 'Convertly documents no delete, so nothing is sent'
        $deletes = @(Get-LogLine $Run -Provider krea -Method DELETE)
        $refused = (Get-TableRow $Run '^\S+\s+DeleteNotSupported,JobsModule\.Commands\.RemoveProviderJobCommand\s*$').Count
        $deletes.Count | Should -BeGreaterThan 0 -Because 'the Krea jobs are deleted'
        $refused | Should -BeGreaterThan 0
        $refused + $deletes.Count | Should -Be 4
    }

    # Wait-ProviderJob
    'Wait-ProviderJob: Example 1: Wait for running jobs, at most two seconds' = {
        param($Run)
        $Run.Warnings | Should -Be '3 job(s) had not finished after 2 s; they are written as they were last seen.'
        (Get-TableRow $Run '^[0-9a-f-]{36}\s+Running').Count | Should -Be 3
        (Get-DetailRequest $Run krea).Count | Should -BeGreaterOrEqual 3
    }
    'Wait-ProviderJob: Example 2: A runbook step that waits, then reports what did not succeed' = {
        param($Run)
        $Run.Warnings.Count | Should -Be 2
        $Run.Warnings[0] | Should -Be '5 job(s) had not finished after 2 s; they are written as they were last seen.'
        $Run.Warnings[1] | Should -Match '^Still running: job_\w+(, job_\w+){4}$'
    }
    'Wait-ProviderJob: Example 3: Jobs that have already finished' = {
        param($Run)
        (Get-TableRow $Run '^[0-9a-f-]{36}\s+(Succeeded|Failed)\s').Count | Should -Be 5
        @(Get-LogLine $Run) | Should -Be @('GET convertly /convertly/api/jobs?limit=32&offset=0 200') -Because 'finished jobs are written without asking again'
    }
    'Wait-ProviderJob: Example 4: The first of several jobs to finish' = {
        param($Run)
        $Run.Strings | Should -Match '^[0-9a-f-]{36} finished first: Succeeded$'
        (Get-DetailRequest $Run unstructured).Count | Should -BeLessOrEqual 4
    }
    'Wait-ProviderJob: Example 5: Jobs of every provider at once' = {
        param($Run)
        $Run.Warnings | Should -Be '10 job(s) had not finished after 2 s; they are written as they were last seen.'
        $groups = Get-TableRow $Run '^\s*\d+ \w+, \w+\s*$'
        ($groups | ForEach-Object { [int]($_.Trim() -split ' ')[0] } | Measure-Object -Sum).Sum | Should -Be 10
    }
    'Wait-ProviderJob: Example 6: A slower polling interval for a long job' = {
        param($Run)
        $Run.Jobs.Count | Should -Be 1
        $Run.Jobs[0].Status | Should -Be 'Running'
        (Get-DetailRequest $Run pyannoteai).Count | Should -Be 1 -Because 'the next read would be 30 s later, after the 2 s timeout'
        $Run.Warnings | Should -Be '1 job(s) had not finished after 2 s; they are written as they were last seen.'
    }
    'Wait-ProviderJob: Example 8: A runbook that acts only on work done in full' = {
        param($Run)
        $completed = @(Get-SimulatorJob Unstructured | Where-Object status -EQ 'COMPLETED')
        $details = @($Run.Log | Where-Object path -Match '^/unstructured/api/v1/jobs/[^/]+/details$')
        $files = @($Run.Log | Where-Object path -Match '^/unstructured/api/v1/jobs/[^/]+/failed-files$')
        $details.Count | Should -Be ([math]::Min(6, $completed.Count))
        $files.Count | Should -BeGreaterThan 0
        (Get-TableRow $Run '^[0-9a-f-]{36}\s+Partial\s+[1-9]').Count | Should -Be $files.Count
        (Get-DetailRequest $Run unstructured).Count | Should -Be 0 -Because 'finished jobs are not polled, only their details are read'
        $Run.Warnings.Count | Should -Be 0
    }
    'Wait-ProviderJob: Example 7: An id the provider does not know' = {
        param($Run)
        $Run.Strings | Should -Be @('JobNotFound,JobsModule.Commands.WaitProviderJobCommand', 'no-such-job')
        Get-LogLine $Run | Should -Be 'GET krea /krea/jobs/no-such-job 404'
    }

    # Watch-ProviderJob
    'Watch-ProviderJob: Example 1: A scheduled runbook that alerts on the jobs that failed since its last run' = {
        param($Run)
        @($Run.Warnings).Count | Should -Be 1
        $Run.Warnings[0] | Should -Match '^Krea job nightly-42 failed: '
        # One listing per provider, down to the newest job the last run knew; the rest are reads by id.
        $listings = @($Run.Log | Where-Object { $_.method -eq 'GET' -and $_.path -notmatch '/jobs/[^/]+$' })
        ($listings.provider | Sort-Object) -join ',' | Should -Be 'convertly,ittybit,krea,pyannoteai,unstructured'
        $state = Get-Content -Raw -LiteralPath (Join-Path ([IO.Path]::GetTempPath()) 'jobs-watch.json') | ConvertFrom-Json
        @($state.accounts.PSObject.Properties).Count | Should -Be 5
    }
    'Watch-ProviderJob: Example 2: An interactive watch' = {
        param($Run)
        $rows = Get-TableRow $Run '^\w+\s+Krea\s+render-7\s'
        $rows.Count | Should -BeGreaterThan 0
        $rows | Should -Match '^Status\s+Krea\s+render-7\s'
        $rows[-1] | Should -Match '^Status\s+Krea\s+render-7\s+(Queued|Running)\s+Succeeded\s+Complete\s+\d{4}-'
        $Run.Text | Should -Match 'Change\s+Provider\s+Id\s+From\s+To\s+Outcome\s+DetectedAt \(UTC\)'
    }
    'Watch-ProviderJob: Example 3: A first inventory, then only what changes' = {
        param($Run)
        $rows = Get-TableRow $Run '^\s+\d+ \w+\s*$'
        $rows.Count | Should -BeGreaterThan 1
        $counts = @($rows | ForEach-Object { [int]($_.Trim() -split ' ')[0] })
        ($counts | Measure-Object -Sum).Sum | Should -Be (@(Get-SimulatorJob Convertly).Count)
        @(Get-LogLine $Run).Count | Should -Be 1
        Get-LogLine $Run | Should -Match '^GET convertly /convertly/api/jobs\?\S* 200$'
    }
    'Watch-ProviderJob: Example 4: Wait for the next failure' = {
        param($Run)
        $Run.Text | Should -Match '(?m)^Id\s+: clip-9\s*$'
        $Run.Text | Should -Match '(?m)^DetectedAt\s+: '
        # Select-Object -First 1 ended the watch at the failure, long before -Timeout.
        ([datetime]$Run.Log[-1].startedAt - [datetime]$Run.Log[0].startedAt).TotalSeconds | Should -BeLessThan 20
    }
    'Watch-ProviderJob: Example 5: Two runs on one state file' = {
        param($Run)
        $Run.Strings | Should -Be 'WatchStateInUse,JobsModule.Commands.WatchProviderJobCommand'
        @($Run.Log).Count | Should -Be 0
    }
    'Watch-ProviderJob: Example 6: Alert on work not done in full, with the failed files' = {
        param($Run)
        # The failed job with its failed files; the completed one is Complete once read in detail, so it is not written.
        @($Run.Strings).Count | Should -Be 1
        $Run.Strings[0] | Should -Match '^New ingest-17: Failed, [1-9]\d* failed files$'
        $Run.Warnings.Count | Should -Be 0
        # One listing, the details of both finished jobs, the failed files of the failed one, and nothing else.
        Get-LogLine $Run | Sort-Object | Should -Be @(
            'GET unstructured /unstructured/api/v1/jobs/ 200'
            'GET unstructured /unstructured/api/v1/jobs/ingest-17/details 200'
            'GET unstructured /unstructured/api/v1/jobs/ingest-17/failed-files 200'
            'GET unstructured /unstructured/api/v1/jobs/ingest-18/details 200')
    }
}
