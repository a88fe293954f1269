# The benchmark suite in its smoke mode: tiny sizes and one run, so that it keeps working. What it
# measures is not asserted here (timings belong to the full run, by hand); what it counts is.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script = Join-Path $PSScriptRoot 'Benchmarks/Invoke-Benchmark.ps1'
    $resultPath = Join-Path $TestDrive 'bench/results.json'
    # A child pwsh, as build.ps1 -Task Bench runs it, against the simulator this run already started.
    $pwsh = @([Environment]::ProcessPath) + $(if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() })
    $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoLogo -NoProfile -NonInteractive -File $script `
        -ModulePath $env:JOBSMODULE_MODULE_PATH -ResultPath $resultPath -Smoke *>&1 | Out-String
    $exitCode = $LASTEXITCODE
    $result = if (Test-Path $resultPath) { Get-Content -Raw $resultPath | ConvertFrom-Json } else { $null }
    $keys = (Get-SimulatorInfo).providers.PSObject.Properties.Value.key
}

Describe 'Benchmarks, smoke mode' {
    It 'runs every scenario and writes its figures' {
        $exitCode | Should -Be 0 -Because $output
        $result.Mode | Should -Be 'smoke'
        ($result.Scenarios.PSObject.Properties.Name -join ',') | Should -Be 'Throughput,Overlap,Providers,Memory,EarlyStop,ColdStart,Latency,RateLimit'
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

    It 'gives every check a ratio and a target, or marks it as a report' {
        $result.Checks.Count | Should -Be 17
        @($result.Checks | Where-Object Direction -EQ 'Report').Count | Should -Be 3
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
