# The benchmark suite in its smoke mode: tiny sizes and one run, so that it keeps working. What it
# measures is not asserted here (timings belong to the full run, by hand); what it counts is.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script = Join-Path $PSScriptRoot 'Benchmarks/Invoke-Benchmark.ps1'
    $resultPath = Join-Path $TestDrive 'bench/results.json'
    # A child pwsh, as build.ps1 -Task Bench runs it, against the simulator this run already started.
    $pwsh = Get-PwshCommand
    # Import time on both PowerShells the suite runs on, as build.ps1 -Task Bench measures it.
    if (-not $env:JOBSMODULE_PWSH76_PATH -or -not $env:JOBSMODULE_PWSH74_PATH) { throw 'No PowerShell 7.6 or 7.4 path: run the tests through ./build.ps1 -Task Test.' }
    $powerShells = $env:JOBSMODULE_PWSH76_PATH, $env:JOBSMODULE_PWSH74_PATH -join ','

    $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoLogo -NoProfile -NonInteractive -File $script `
        -ModulePath $env:JOBSMODULE_MODULE_PATH -ResultPath $resultPath -PowerShellPath $powerShells -Smoke *>&1 | Out-String
    $exitCode = $LASTEXITCODE
    $result = if (Test-Path $resultPath) { Get-Content -Raw $resultPath | ConvertFrom-Json } else { $null }
    $keys = (Get-SimulatorInfo).providers.PSObject.Properties.Value.key
}

Describe 'Benchmarks, smoke mode' {
    It 'runs every scenario and writes its figures' {
        $exitCode | Should -Be 0 -Because $output
        $result.Mode | Should -Be 'smoke'
        ($result.Scenarios.PSObject.Properties.Name -join ',') | Should -Be 'Throughput,Overlap,Providers,Memory,EarlyStop,ColdStart,Latency,RateLimit,Import,Save,Detailed,Watch'
        $result.Machine.Cores | Should -BeGreaterThan 0
    }

    It 'every alternative of a scenario did the same work' {
        $throughput = $result.Scenarios.Throughput
        foreach ($name in 'GetProviderJob', 'InvokeRestMethod', 'MinimalCmdlet', 'BareClient', 'PipelineOnly') { $throughput.Medians.$name.Count | Should -Be $throughput.Jobs }
        $overlap = $result.Scenarios.Overlap
        foreach ($name in 'Streamed', 'InTurn') { $overlap.Medians.$name.Count | Should -Be ($overlap.Pages * $overlap.PageSize) }
        $providers = $result.Scenarios.Providers
        $providers.Medians.AllFive.Count | Should -Be (5 * $providers.JobsEach)
        $result.Scenarios.Memory.Medians.Large.Count | Should -Be $result.Scenarios.Memory.Large
        $result.Scenarios.Memory.Medians.Small.Count | Should -Be $result.Scenarios.Memory.Small
        $latency = $result.Scenarios.Latency
        $latency.Medians.AllFive.Count | Should -Be (5 * $latency.JobsEach)
        $rateLimit = $result.Scenarios.RateLimit
        foreach ($name in 'Budget', 'NoBudget') { $rateLimit.Medians.$name.Count | Should -Be $rateLimit.Jobs }
        $result.Scenarios.ColdStart.Medians.Module.Count | Should -Be $result.Scenarios.ColdStart.Medians.InvokeRestMethod.Count
        # Save: every file, whole, by every alternative, small and large.
        $save = $result.Scenarios.Save
        foreach ($name in 'SaveProviderJobOutput', 'InvokeWebRequest', 'CurlParallel') {
            $save.Medians.$name.Count | Should -Be $save.Files
            $save.Medians.$name.Bytes | Should -Be ($save.Files * $save.FileBytes)
        }
        foreach ($name in 'SaveProviderJobOutput', 'Curl') {
            $save.Large.Medians.$name.Count | Should -Be 1
            $save.Large.Medians.$name.Bytes | Should -Be $save.LargeBytes
        }
        $detailed = $result.Scenarios.Detailed
        foreach ($name in 'Detailed', 'Listing') { $detailed.Medians.$name.Count | Should -Be $detailed.Jobs }
    }

    It '-Detailed reads each COMPLETED or FAILED job, and without it only the listing is sent' {
        $detailed = $result.Scenarios.Detailed
        $detailed.Medians.Listing.Requests | Should -Be 1
        $detailed.Medians.Listing.Reads | Should -Be 0
        # Of 100 generated jobs, 20 COMPLETED and 20 FAILED: a details read each, and failed files for every FAILED one and the COMPLETED ones with errors.
        $detailed.Medians.Detailed.Reads | Should -BeGreaterThan 60
        $detailed.Medians.Detailed.Requests | Should -Be ($detailed.Medians.Detailed.Reads + 1)
    }

    It 'an idle watch sends each pass one listing page per account and one read per unfinished job the listing does not reach' {
        $watch = $result.Scenarios.Watch
        $watch.Samples.Count | Should -Be $watch.Passes
        $passes = $watch.Passes - 1
        $watch.ListingRequests | Should -Be ($passes * $watch.Providers)
        # Unstructured, which does not list newest first, is listed whole: its unfinished jobs come with it, unread.
        $watch.ReadingProviders | Should -Be ($watch.Providers - 1)
        $watch.ReadsById | Should -Be ($passes * $watch.ReadingProviders * $watch.UnfinishedEach)
        $watch.RequestsPerPass | Should -Be $watch.IdealPerPass
        $watch.CpuMsPerPass | Should -BeGreaterThan 0
    }

    It 'an early stop sends exactly one request' {
        $result.Scenarios.EarlyStop.Medians.First1.Requests | Should -Be 1
        $result.Scenarios.EarlyStop.Medians.SelectFirst1.Requests | Should -Be 1
    }

    # Request counts come from the simulator's log. A small first page ("slow start") may add one.
    It 'a full listing sends the pages it needs, and at most one more' {
        $full = $result.Scenarios.EarlyStop.FullListing
        $full.Count | Should -Be $full.Jobs
        $full.PagesNeeded | Should -Be ([Math]::Ceiling($full.Jobs / $full.MaxPageSize))
        $full.Requests | Should -BeGreaterOrEqual $full.PagesNeeded
        $full.Requests | Should -BeLessOrEqual ($full.PagesNeeded + 1)
    }

    It 'five providers at once send each provider the pages it needs (Unstructured one answer), at most one more' {
        $latency = $result.Scenarios.Latency
        $latency.PagesNeeded.Unstructured | Should -Be 1
        foreach ($provider in $latency.PagesNeeded.PSObject.Properties) {
            $sent = $latency.Medians.AllFive."Requests$($provider.Name)"
            $sent | Should -BeGreaterOrEqual $provider.Value -Because $provider.Name
            $sent | Should -BeLessOrEqual ($provider.Value + 1) -Because $provider.Name
        }
        $most = ($latency.PagesNeeded.PSObject.Properties.Value | Measure-Object -Maximum).Maximum
        $latency.Medians.AllFive.MostRequests | Should -BeGreaterOrEqual $most
        $latency.Medians.AllFive.IdealMs | Should -Be ($latency.Medians.AllFive.MostRequests * $latency.LatencyMs)
    }

    It 'under a rate budget the listing needs about three windows, and every 429 is the budget''s' {
        $rateLimit = $result.Scenarios.RateLimit
        $pages = [Math]::Ceiling($rateLimit.Jobs / $rateLimit.PageSize)
        foreach ($name in 'Budget', 'NoBudget') {
            $rateLimit.Medians.$name.Requests | Should -BeGreaterOrEqual $pages -Because $name
            $rateLimit.Medians.$name.Requests | Should -BeLessOrEqual ($pages + 1) -Because $name
        }
        $rateLimit.Medians.Budget.Windows | Should -Be ([Math]::Ceiling($rateLimit.Medians.Budget.Requests / $rateLimit.Limit))
        $rateLimit.Medians.Budget.Windows | Should -Be 3
        $rateLimit.Medians.Budget.IdealMs | Should -Be ($rateLimit.Medians.Budget.Windows * $rateLimit.WindowMs)
        $rateLimit.Medians.Budget.ThrottledByBudget | Should -Be $rateLimit.Medians.Budget.Throttled
        $rateLimit.Medians.NoBudget.Throttled | Should -Be 0
    }

    It 'reports the import time on PowerShell 7.6 and 7.4, a row each, every import bringing the module''s cmdlets' {
        $import = $result.Scenarios.Import
        $versions = @($import.Hosts.PSObject.Properties.Name)
        $versions.Count | Should -Be 2
        $versions[0] | Should -BeLike '7.6.*'
        $versions[1] | Should -BeLike '7.4.*'
        $import.Hosts.($versions[1]).DotNet | Should -BeLike '.NET 8.*'
        $cmdlets = @((Import-PowerShellDataFile (Join-Path $env:JOBSMODULE_MODULE_PATH 'JobsModule.psd1')).CmdletsToExport).Count
        foreach ($version in $versions) {
            $import.Hosts.$version.Commands | Should -Be $cmdlets -Because $version
            $import.Hosts.$version.ImportMs | Should -BeGreaterThan 0 -Because $version
            $import.Hosts.$version.StartMs | Should -BeGreaterThan 0 -Because $version
            $row = @($result.Checks | Where-Object { $_.Scenario -eq '9 Import' -and $_.Measure -like "Import-Module, PowerShell $version *" })
            $row.Count | Should -Be 1 -Because $version
            $row[0].Direction | Should -Be 'Report'
        }
    }

    It 'gives every check a ratio and a target, or marks it as a report' {
        $result.Checks.Count | Should -Be 28
        @($result.Checks | Where-Object Direction -EQ 'Report').Count | Should -Be 7
        foreach ($check in $result.Checks) {
            $check.Direction | Should -BeIn 'Max', 'Min', 'Exact', 'Report'
            $check.TargetText | Should -Not -BeNullOrEmpty
            if ($check.Direction -eq 'Report') {
                $check.Target | Should -BeNullOrEmpty -Because $check.Measure
                $check.Met | Should -BeNullOrEmpty -Because $check.Measure
            }
            else {
                $check.Target | Should -Not -BeNullOrEmpty -Because $check.Measure
                $check.Met | Should -BeOfType [bool] -Because $check.Measure
            }
            # Counts of requests and 429s may be 0; times and sizes are ratios of positive figures.
            if ($check.Direction -in 'Max', 'Min') { $check.Ratio | Should -BeGreaterThan 0 -Because $check.Measure }
            else { $check.Ratio | Should -BeGreaterOrEqual 0 -Because $check.Measure }
        }
        Test-Path ([IO.Path]::ChangeExtension($resultPath, '.md')) | Should -BeTrue
    }

    It 'shows no key' {
        foreach ($key in $keys) {
            $output | Should -Not -Match ([regex]::Escape($key))
            Get-Content -Raw $resultPath | Should -Not -Match ([regex]::Escape($key))
        }
    }
}
