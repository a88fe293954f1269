# What a user sees at the prompt: views, progress, verbose and debug tracing, stopping.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force
    Reset-Simulator
    Set-SimulatorEnvironment

    function New-ModuleShell {
        # A separate PowerShell instance with the module, so its streams and Stop() can be observed.
        $shell = [powershell]::Create()
        $null = $shell.AddScript("Import-Module '$env:JOBSMODULE_MODULE_PATH'; `$ProgressPreference = 'Continue'").Invoke()
        $shell.Commands.Clear()
        $shell
    }
}

Describe 'Default views' {
    BeforeAll {
        function Get-TableLines([int] $Width) {
            $text = Get-ProviderJob -First 40 | Out-String -Width $Width
            @($text -split "`n" | ForEach-Object { $_.TrimEnd() } | Where-Object { $_ })
        }
    }

    It 'shows Provider, Id, Status, CreatedAt, Outcome, Kind, Duration and Error at 120 columns, every value whole' {
        $lines = Get-TableLines 120
        $lines[0] | Should -Match '^Provider\s+Id\s+Status\s+CreatedAt \(UTC\)\s+Outcome\s+Kind\s+Duration\s+Error$'
        $lines[1] | Should -Match '^-+\s+-+\s+-+\s+-+\s+-+\s+-+\s+-+\s+-+$'
        ($lines | ForEach-Object Length | Measure-Object -Maximum).Maximum | Should -BeLessOrEqual 120
        $rows = $lines | Select-Object -Skip 2
        $rows.Count | Should -Be 40
        $rows | ForEach-Object { $_ | Should -Match '^\S+\s+\S{20,36}\s+\w+\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+(Unfinished|Complete|Partial|Failed|Canceled|Unverified)( |$)' }
        $jobs = @(Get-ProviderJob -First 40)
        for ($i = 0; $i -lt 40; $i++) { $rows[$i] | Should -Match ('\d\d:\d\d:\d\d\s+' + $jobs[$i].Outcome + '( |$)') }
        @($rows | Where-Object { $_ -match '\d+:\d\d:\d\d \S' }).Count | Should -BeGreaterThan 0
        ($lines -join "`n") | Should -Not -Match 'JobsModule\.|System\.'
    }

    It 'fits 80 columns: one header line, whole ids and dates, nothing wrapped or cut' {
        $lines = Get-TableLines 80
        $lines[0] | Should -Match '^Provider\s+Id\s+Status\s+CreatedAt \(UTC\)$'
        $lines[1] | Should -Match '^-+\s+-+\s+-+\s+-+$'
        ($lines | ForEach-Object Length | Measure-Object -Maximum).Maximum | Should -BeLessOrEqual 80
        $rows = $lines | Select-Object -Skip 2
        $rows.Count | Should -Be 40
        $jobs = @(Get-ProviderJob -First 40)
        for ($i = 0; $i -lt 40; $i++) {
            $rows[$i] | Should -Match ('^' + $jobs[$i].Provider + '\s+' + [regex]::Escape($jobs[$i].Id) + '\s+' + $jobs[$i].Status + '\s+' + $jobs[$i].CreatedAt.ToString('yyyy-MM-dd HH:mm:ss', [cultureinfo]::InvariantCulture) + '$')
        }
        ($lines -join "`n") | Should -Not -Match ([char]0x2026)
    }

    It 'shows every common property in the list view, in order, with the times as ISO 8601 UTC text' {
        $job = Get-ProviderJob -Provider Convertly | Where-Object { $_.CompletedAt -and $_.ExtraFields.Count } | Select-Object -First 1
        $text = $job | Format-List | Out-String -Width 200
        $names = @([regex]::Matches($text, '(?m)^(\w+)\s+:') | ForEach-Object { $_.Groups[1].Value })
        $names -join ',' | Should -Be 'Provider,Account,Id,Status,ProviderStatus,Outcome,Kind,CreatedAt,StartedAt,CompletedAt,UpdatedAt,Duration,DurationSeconds,Progress,Error,FailedItems,ExtraFields,UnreadableFields'
        $text | Should -Match ('(?m)^CreatedAt\s+: ' + [regex]::Escape($job.CreatedAtIso) + '$')
        $text | Should -Match ('(?m)^CompletedAt\s+: ' + [regex]::Escape($job.CompletedAtIso) + '$')
        $text | Should -Match ('(?m)^DurationSeconds\s+: ' + [regex]::Escape([string]$job.DurationSeconds) + '$')
        $text | Should -Match ('(?m)^ExtraFields\s+: ' + [regex]::Escape($job.ExtraFields.ToString()) + '$')
    }
}

Describe 'Progress, verbose and debug' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'shows a child progress bar per provider on a slow listing, and removes it at the end' {
        Set-SimulatorDataset Krea 60
        Set-SimulatorOption Krea @{ latencyMs = 250 }
        $shell = New-ModuleShell
        try {
            $jobs = $shell.AddCommand('Get-ProviderJob').AddParameter('Provider', 'Krea').AddParameter('PageSize', 10).Invoke()
            $jobs.Count | Should -Be 60
            $records = @($shell.Streams.Progress)
            $children = @($records | Where-Object { $_.ParentActivityId -eq 1 })
            $children.Count | Should -BeGreaterThan 0
            $children[0].Activity | Should -Be 'Listing Krea jobs'
            $children[-1].RecordType | Should -Be 'Completed'
            $records[-1].RecordType | Should -Be 'Completed'
        }
        finally { $shell.Dispose() }
    }

    It 'writes no progress for a listing that ends at once' {
        $shell = New-ModuleShell
        try {
            $null = $shell.AddCommand('Get-ProviderJob').AddParameter('Provider', 'Convertly').Invoke()
            $shell.Streams.Progress.Count | Should -Be 0
        }
        finally { $shell.Dispose() }
    }

    It 'writes one verbose line per request with provider, method, URL, status, jobs and time' {
        Set-SimulatorDataset PyannoteAI 150
        $verbose = @(Get-ProviderJob -Provider PyannoteAI -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $verbose.Count | Should -Be 3
        $verbose[0].Message | Should -Match '^PyannoteAI GET http://127\.0\.0\.1:\d+/pyannoteai/v2/jobs\?limit=32 -> 200, 32 jobs, \d+ ms$'
        $verbose[1].Message | Should -Match 'limit=100&cursor=[0-9a-f-]{36} -> 200, 100 jobs'
        $verbose[2].Message | Should -Match 'limit=100&cursor=[0-9a-f-]{36} -> 200, 18 jobs'
    }

    It 'writes request and response headers to debug, with the key redacted' {
        $key = (Get-SimulatorInfo).providers.unstructured.key
        $debug = @(Get-ProviderJob -Provider Unstructured -First 1 -Debug 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] })
        $text = $debug.Message -join "`n"
        $text | Should -Match 'unstructured-api-key: \(redacted\)'
        $text | Should -Match '< 200'
        $text | Should -Not -Match ([regex]::Escape($key))
        # -Debug alone would make every verbose line a prompt; the request lines come as debug instead.
        $text | Should -Match 'Unstructured GET .* -> 200, 25 jobs'
    }
}

Describe 'Stopping' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'Stop() (Ctrl+C) ends a listing waiting on a slow provider within a second' {
        Set-SimulatorDataset Convertly 500
        Set-SimulatorOption Convertly @{ latencyMs = 5000 }
        $shell = New-ModuleShell
        try {
            $null = $shell.AddCommand('Get-ProviderJob').AddParameter('Provider', 'Convertly')
            $async = $shell.BeginInvoke()
            while ($shell.InvocationStateInfo.State -ne 'Running') { Start-Sleep -Milliseconds 20 }
            # The request is sent within milliseconds and then sits in the simulator's 5 s latency.
            Start-Sleep -Milliseconds 700
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $clock.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 1
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            $async.IsCompleted | Should -BeTrue
            # Stopped mid-request: the simulator never finished a response for it.
            @(Get-SimulatorLog Convertly | Where-Object status -eq 200).Count | Should -Be 0
        }
        finally { $shell.Dispose() }
    }

    It 'Select-Object -First stops without an error' {
        $output = @(Get-ProviderJob -Provider Krea | Select-Object -First 2) 2>&1
        @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -Be 0
        $output.Count | Should -Be 2
    }
}
