<#
.SYNOPSIS
    The benchmark suite: Get-ProviderJob against the provider simulator, each scenario side by side
    with what it is compared to. Called by build.ps1 -Task Bench and by tests/Benchmark.Tests.ps1.
.DESCRIPTION
    Every comparison is interleaved: each repetition runs every alternative once (in alternating
    order), so that a noisy machine slows all of them alike. The figures are medians. The table is
    printed and the raw runs, medians, ratios and targets are written as JSON to -ResultPath.

    Scenarios:
      1 throughput  100,000 Krea jobs (pages of 1000) to Measure-Object: Get-ProviderJob against an
                    Invoke-RestMethod paging loop, against a minimal compiled cmdlet (HttpClient and
                    source-generated System.Text.Json into plain objects, one WriteObject per job: the
                    fastest a binary module could be) and against a bare HttpClient + System.Text.Json
                    client that only counts the items (no objects, no PowerShell).
      2 overlap     40 ms per page and a consumer that spends about 40 ms per page: Get-ProviderJob
                    against the same pages fetched and consumed strictly in turn.
      3 providers   five providers at once, 50 ms per page, 5,000 jobs each, against the slowest alone.
      4 memory      peak working set of a fresh pwsh streaming 1,000,000 and 100,000 jobs, against
                    one that only imports the module; bytes allocated per job (GC.GetTotalAllocatedBytes
                    in the child, before and after), against the bytes of JSON per job (a page's body
                    divided by its jobs).
      5 early stop  -First 1 and Select-Object -First 1: requests sent and time to the first object,
                    against one Invoke-RestMethod of a page of one; and the requests a full listing
                    of 2,500 jobs sends, against the pages it needs.
      6 cold start  a new pwsh that imports the module and lists the first page, against a new pwsh
                    that runs one Invoke-RestMethod.
      7 latency     50 ms on every request, five providers at once, 4,000 jobs each in pages of each
                    provider's maximum (Unstructured: one unpaged answer), against the ideal: the most
                    requests any one provider needed (from the simulator's log) x 50 ms.
      8 rate limit  the simulator's rateBudget on pyannoteAI (5 requests per 1000 ms window) and a
                    listing that needs about three windows: 429s (from the simulator's log), and the
                    time against the fastest the budget allows (windows needed x window).
      9 import      on every PowerShell in -PowerShellPath (7.6 and 7.4 LTS from build.ps1), one row
                    each: Import-Module's own time in a new pwsh, against that pwsh's start to exit with
                    nothing imported. Reported, no target.
     10 save       Save-ProviderJobOutput of Krea jobs with 200 files of 1 MB on the simulator's file
                    host, against a sequential Invoke-WebRequest -OutFile loop over the same URLs (and,
                    reported, curl fetching them five at once: what this machine can do at all); and
                    one file of 500 MB in a new pwsh, against curl -o of the same URL (the ceiling),
                    with the pwsh's peak working set over what it had after the import.
     11 detailed    Get-ProviderJob -Detailed on 2,000 Unstructured jobs (1,200 finished, 800 of them
                    COMPLETED or FAILED and so read) with 50 ms on every request: against the listing
                    alone plus the detail reads (from the simulator's log) x 50 ms / -ThrottleLimit;
                    and the listing without -Detailed, which sends nothing more.
     12 watch       an idle continuous Watch-ProviderJob -PollingIntervalSec 1 in a new pwsh over five
                    providers of 10,000 finished jobs each (the simulator's finished=true dataset) and 5
                    unfinished jobs each that the listing no longer reaches: requests per pass after the
                    baseline (from the simulator's log), against one listing page per account plus one
                    read per unfinished job; CPU time per pass (reported); and the pwsh's peak working
                    set after the last pass, against after the first. 60 passes, not 200: at one a
                    second, 200 would hold the suite for more than three minutes.
    -Smoke runs tiny sizes once, without warm-up: a check that every scenario works, not a measurement.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,

    # The simulator to start; leave it out to use the running one ($env:JOBSMODULE_SIMULATOR_URL).
    [string] $SimulatorPath,

    # BareClient.dll; built from tests/Benchmarks/BareClient beside -ResultPath when left out.
    [string] $BareClientPath,

    # MinimalCmdlet.dll; built from tests/Benchmarks/MinimalCmdlet beside -ResultPath when left out.
    [string] $MinimalCmdletPath,

    [Parameter(Mandatory)] [string] $ResultPath,

    # The PowerShells whose import time scenario 9 reports: pwsh executables, or pwsh.dll files (started
    # with dotnet), separated by commas (pwsh -File passes a list as one string). Default: this one.
    [string[]] $PowerShellPath,

    [switch] $Smoke
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
$ModulePath = (Resolve-Path $ModulePath).Path
$ResultPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($ResultPath)
if ($SimulatorPath) { $SimulatorPath = (Resolve-Path $SimulatorPath).Path }
if ($BareClientPath) { $BareClientPath = (Resolve-Path $BareClientPath).Path }
if ($MinimalCmdletPath) { $MinimalCmdletPath = (Resolve-Path $MinimalCmdletPath).Path }
$PowerShellPath = @(foreach ($path in $PowerShellPath -split ',') { if ($path.Trim()) { (Resolve-Path $path.Trim()).Path } })
Import-Module $ModulePath -Force
$Invariant = [System.Globalization.CultureInfo]::InvariantCulture
$Started = [DateTime]::UtcNow
$SuiteClock = [System.Diagnostics.Stopwatch]::StartNew()

# Sizes and repetitions: full, or tiny for the smoke run.
$Plan = if ($Smoke) {
    @{
        WarmUp = 0
        Throughput = @{ Jobs = 2000; Runs = 1 }
        Overlap = @{ Pages = 3; PageSize = 20; LatencyMs = 5; ConsumeMsPerPage = 5; Runs = 1 }
        Providers = @{ Jobs = 200; LatencyMs = 5; Runs = 1 }
        Memory = @{ Large = 2000; Small = 1000; Runs = 1 }
        EarlyStop = @{ Jobs = 2000; FullListing = 2500; Runs = 1 }
        ColdStart = @{ Jobs = 2000; Runs = 1 }
        Latency = @{ JobsEach = 200; LatencyMs = 5; Runs = 1 }
        RateLimit = @{ Jobs = 50; PageSize = 10; Limit = 2; WindowMs = 500; Runs = 1 }
        Import = @{ Runs = 1 }
        Save = @{ Files = 20; FileBytes = 64KB; LargeBytes = 8MB; Runs = 1 }
        Detailed = @{ Jobs = 100; LatencyMs = 5; ThrottleLimit = 5; Runs = 1 }
        Watch = @{ Jobs = 200; Unfinished = 2; Passes = 4 }
    }
}
else {
    @{
        WarmUp = 1
        Throughput = @{ Jobs = 100000; Runs = 7 }
        Overlap = @{ Pages = 25; PageSize = 100; LatencyMs = 40; ConsumeMsPerPage = 40; Runs = 5 }
        Providers = @{ Jobs = 5000; LatencyMs = 50; Runs = 5 }
        Memory = @{ Large = 1000000; Small = 100000; Runs = 3 }
        EarlyStop = @{ Jobs = 100000; FullListing = 2500; Runs = 15 }
        ColdStart = @{ Jobs = 100000; Runs = 7 }
        Latency = @{ JobsEach = 4000; LatencyMs = 50; Runs = 5 }
        # 14 pages of 100: three windows of 5 (and still three with one more, smaller first page).
        RateLimit = @{ Jobs = 1400; PageSize = 100; Limit = 5; WindowMs = 1000; Runs = 5 }
        Import = @{ Runs = 7 }
        Save = @{ Files = 200; FileBytes = 1MB; LargeBytes = 500MB; Runs = 3 }
        Detailed = @{ Jobs = 2000; LatencyMs = 50; ThrottleLimit = 5; Runs = 3 }
        # One pass a second: 60 passes keep the scenario near a minute (200 would take more than three).
        Watch = @{ Jobs = 10000; Unfinished = 5; Passes = 60 }
    }
}

#region Helpers

function Get-Median {
    param([double[]] $Values)
    $sorted = [double[]]@($Values | Sort-Object)
    $n = $sorted.Count
    if ($n -eq 0) { return $null }
    if ($n % 2 -eq 1) { return $sorted[($n - 1) / 2] }
    ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2
}

function Invoke-Interleaved {
    <#
        Runs every alternative once per repetition, after -WarmUp rounds that are not kept. The order
        alternates (A B C, C B A, ...) so that no alternative always runs first or last. Each
        alternative is a script block that returns a hashtable of figures (Ms at least).
    #>
    param([System.Collections.Specialized.OrderedDictionary] $Alternatives, [int] $Runs, [int] $WarmUp = $Plan.WarmUp)
    $names = @($Alternatives.Keys)
    $collected = [ordered]@{}
    foreach ($name in $names) { $collected[$name] = [System.Collections.Generic.List[object]]::new() }
    for ($round = 0; $round -lt $WarmUp + $Runs; $round++) {
        $order = if ($round % 2 -eq 0) { $names } else { $names[($names.Count - 1)..0] }
        foreach ($name in $order) {
            [GC]::Collect()
            [GC]::WaitForPendingFinalizers()
            $figures = & $Alternatives[$name]
            if ($round -ge $WarmUp) { $collected[$name].Add($figures) }
        }
    }
    $collected
}

function Get-Figure {
    # One figure of every run of one alternative, as numbers.
    param($Runs, [string] $Alternative, [string] $Name = 'Ms')
    [double[]]@($Runs[$Alternative] | ForEach-Object { $_[$Name] })
}

function Get-MedianTable {
    # Median of each numeric figure, per alternative.
    param($Runs)
    $medians = [ordered]@{}
    foreach ($alternative in $Runs.Keys) {
        $figures = [ordered]@{}
        foreach ($name in $Runs[$alternative][0].Keys) {
            if ($Runs[$alternative][0][$name] -is [ValueType]) { $figures[$name] = Get-Median (Get-Figure $Runs $alternative $name) }
        }
        $medians[$alternative] = $figures
    }
    $medians
}

function Assert-Count {
    # A benchmark of the wrong work is worse than none: every run must see the expected jobs.
    param($Runs, [string] $Alternative, [long] $Expected, [string] $Name = 'Count')
    foreach ($value in Get-Figure $Runs $Alternative $Name) {
        if ($value -ne $Expected) { throw "$Alternative produced $value jobs, not $Expected." }
    }
}

$Checks = [System.Collections.Generic.List[object]]::new()
function Add-Check {
    <#
        One row of the table. -Direction Max: the ratio must be at most the target; Min: at least;
        Exact: equal; Report: no target, the row only reports (Met and Target are null). -Unit says
        how to show the ratio (x, or MB for a difference, or any suffix).
    #>
    param(
        [string] $Scenario, [string] $Measure, [double] $Value, [string] $ValueText,
        [string] $Baseline, [double] $BaselineValue, [string] $BaselineText,
        [double] $Ratio, [Nullable[double]] $Target, [ValidateSet('Max', 'Min', 'Exact', 'Report')] [string] $Direction, [string] $Unit = 'x'
    )
    $met = switch ($Direction) {
        'Max' { $Ratio -le $Target }
        'Min' { $Ratio -ge $Target }
        'Exact' { $Ratio -eq $Target }
        'Report' { $null }
    }
    $symbol = @{ Max = '<='; Min = '>='; Exact = '=' }[$Direction]
    $format = { param($v) if ($Unit -eq 'x') { $v.ToString('0.00', $Invariant) + 'x' } elseif ($Unit -eq 'MB') { $v.ToString('+0.0;-0.0', $Invariant) + ' MB' } else { $v.ToString('0.##', $Invariant) + $Unit } }
    $Checks.Add([pscustomobject][ordered]@{
            Scenario = $Scenario
            Measure = $Measure
            Value = [Math]::Round($Value, 3)
            ValueText = $ValueText
            Baseline = $Baseline
            BaselineValue = [Math]::Round($BaselineValue, 3)
            BaselineText = $BaselineText
            Ratio = [Math]::Round($Ratio, 4)
            RatioText = & $format $Ratio
            Target = $Target
            TargetText = if ($Direction -eq 'Report') { 'none' } else { "$symbol $(& $format $Target)" }
            Direction = $Direction
            Met = if ($Direction -eq 'Report') { $null } else { [bool]$met }
        })
}

function Format-Ms([double] $Ms) {
    if ($Ms -ge 10000) { return ($Ms / 1000).ToString('0.0', $Invariant) + ' s' }
    if ($Ms -ge 100) { return $Ms.ToString('0', $Invariant) + ' ms' }
    $Ms.ToString('0.0', $Invariant) + ' ms'
}

function Format-MB([double] $Bytes) { ($Bytes / 1MB).ToString('0.0', $Invariant) + ' MB' }

function Format-Count([long] $Count) { $Count.ToString('N0', $Invariant) }

# A new pwsh exactly as this one was started (dotnet pwsh.dll, or the pwsh executable).
$PwshCommand = if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') {
    @([Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll'))
}
else {
    @([Environment]::ProcessPath)
}

function Get-PwshCommandFor {
    # How to start the pwsh at -Path: a pwsh.dll runs under dotnet, an executable on its own.
    param([string] $Path)
    if ([IO.Path]::GetExtension($Path) -eq '.dll') { return @('dotnet', $Path) }
    @($Path)
}

function Invoke-Pwsh {
    <# Runs -Command in a new pwsh (this one's kind, or -Pwsh) and returns its wall time (start to exit, as seen from here) and output. #>
    param([string] $Command, [string[]] $Pwsh = $PwshCommand)
    $start = [System.Diagnostics.ProcessStartInfo]::new($Pwsh[0])
    foreach ($argument in @($Pwsh | Select-Object -Skip 1) + @('-NoLogo', '-NoProfile', '-NonInteractive', '-Command', $Command)) {
        $start.ArgumentList.Add($argument)
    }
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    # No background telemetry or update checks: they would only add noise, alike to both sides.
    $start.Environment['POWERSHELL_TELEMETRY_OPTOUT'] = '1'
    $start.Environment['POWERSHELL_UPDATECHECK'] = 'Off'
    # Each pwsh finds its own built-in modules, not those of the PowerShell that started it (PSModulePath names its folder).
    $null = $start.Environment.Remove('PSModulePath')
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $process = [System.Diagnostics.Process]::Start($start)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    $process.WaitForExit()
    $ms = $clock.Elapsed.TotalMilliseconds
    if ($process.ExitCode -ne 0 -or $stderr.Result.Trim()) {
        throw "A child pwsh failed (exit code $($process.ExitCode)): $($stderr.Result.Trim())`nCommand: $Command"
    }
    @{ Ms = $ms; Output = $stdout.Result.Trim() }
}

function Get-KreaListingUri {
    param([int] $PageSize, $Cursor)
    $uri = "$KreaBase/jobs?limit=$PageSize"
    if ($null -ne $Cursor) {
        # Invoke-RestMethod turns an ISO 8601 string into a DateTime; Krea wants its cursor back as sent (UTC, milliseconds).
        $text = if ($Cursor -is [datetime]) { $Cursor.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", $Invariant) } else { [string]$Cursor }
        $uri += '&cursor=' + [uri]::EscapeDataString($text)
    }
    $uri
}

function Invoke-RestMethodListing {
    <#
        What a careful script writer would do without the module: one web session (so the
        connection is reused), the provider's largest page, and each page's items streamed on.
    #>
    param([int] $PageSize)
    $headers = @{ Authorization = "Bearer $KreaKey" }
    $session = $null
    $uri = Get-KreaListingUri -PageSize $PageSize
    while ($uri) {
        $page = if ($session) { Invoke-RestMethod -Uri $uri -Headers $headers -WebSession $session } else { Invoke-RestMethod -Uri $uri -Headers $headers -SessionVariable session }
        $page.items
        $uri = if ($null -ne $page.next_cursor) { Get-KreaListingUri -PageSize $PageSize -Cursor $page.next_cursor } else { $null }
    }
}

function Start-BareClient {
    param([int] $PageSize)
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in $BareClientPath, $KreaBase, $KreaKey, [string]$PageSize) { $start.ArgumentList.Add($argument) }
    $start.UseShellExecute = $false
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $process = [System.Diagnostics.Process]::Start($start)
    $ready = $process.StandardOutput.ReadLine()
    if ($ready -ne 'READY') { throw "The bare client did not start: '$ready'" }
    $process
}

function Invoke-BareClient {
    param([System.Diagnostics.Process] $Process)
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $Process.StandardInput.WriteLine('run')
    $line = $Process.StandardOutput.ReadLine()
    $ms = $clock.Elapsed.TotalMilliseconds
    $jobs, $requests, $inside = $line -split ' '
    if ($null -eq $inside) { throw "The bare client answered '$line'." }
    @{ Ms = $ms; Count = [long]$jobs; Requests = [int]$requests; InsideMs = [double]::Parse($inside, $Invariant) }
}

function Wait-RateWindow {
    # Sleeps into the start of the next of the simulator's rateBudget windows (fixed, aligned to the Unix epoch).
    param([int] $WindowMs)
    $now = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
    Start-Sleep -Milliseconds ($WindowMs - ($now % $WindowMs) + 5)
}

function Write-Section([string] $Text) { Write-Host "-- $Text" -ForegroundColor Cyan }

#endregion

#region Set-up

if (-not $BareClientPath) {
    $bareOut = Join-Path (Split-Path $ResultPath) 'bareclient'
    $build = & dotnet build (Join-Path $PSScriptRoot 'BareClient/BareClient.csproj') -c Release -o $bareOut --nologo -v quiet 2>&1
    if ($LASTEXITCODE -ne 0) { throw "Building the bare client failed:`n$($build -join "`n")" }
    $BareClientPath = Join-Path $bareOut 'BareClient.dll'
}
if (-not $MinimalCmdletPath) {
    $minimalOut = Join-Path (Split-Path $ResultPath) 'minimalcmdlet'
    $build = & dotnet build (Join-Path $PSScriptRoot 'MinimalCmdlet/MinimalCmdlet.csproj') -c Release -o $minimalOut --nologo -v quiet 2>&1
    if ($LASTEXITCODE -ne 0) { throw "Building the minimal cmdlet failed:`n$($build -join "`n")" }
    $MinimalCmdletPath = Join-Path $minimalOut 'MinimalCmdlet.dll'
}
Import-Module $MinimalCmdletPath

$ownSimulator = [bool]$SimulatorPath
if ($ownSimulator) { $null = Start-ProviderSimulator -Path $SimulatorPath }
$null = Get-SimulatorUrl
Reset-Simulator
Set-SimulatorEnvironment
$KreaBase = $env:KREA_BASE_URL
$KreaKey = $env:KREA_API_KEY
$Results = [ordered]@{}

$cpu = @(Get-Content /proc/cpuinfo -ErrorAction SilentlyContinue | Where-Object { $_ -match '^model name\s*:' } | Select-Object -First 1) -replace '^model name\s*:\s*', ''
$Machine = [ordered]@{
    Cpu = if ($cpu) { "$cpu" } else { $env:PROCESSOR_IDENTIFIER }
    Cores = [Environment]::ProcessorCount
    Os = [System.Runtime.InteropServices.RuntimeInformation]::OSDescription
    PowerShell = $PSVersionTable.PSVersion.ToString()
    DotNet = [System.Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
}
Write-Host ("JobsModule benchmarks ({0}) on {1} core(s), {2}, PowerShell {3}, {4}" -f $(if ($Smoke) { 'smoke: tiny sizes, one run' } else { 'full' }), $Machine.Cores, $Machine.Cpu, $Machine.PowerShell, $Machine.DotNet)

#endregion

try {
    #region 1. Throughput
    $p = $Plan.Throughput
    Write-Section "1. Throughput: $(Format-Count $p.Jobs) Krea jobs, pages of 1000, to Measure-Object"
    Set-SimulatorDataset Krea $p.Jobs
    $bare = Start-BareClient -PageSize 1000
    try {
        $runs = Invoke-Interleaved -Runs $p.Runs -Alternatives ([ordered]@{
                GetProviderJob = {
                    $clock = [System.Diagnostics.Stopwatch]::StartNew()
                    $measured = Get-ProviderJob -Provider Krea -PageSize 1000 | Measure-Object
                    @{ Ms = $clock.Elapsed.TotalMilliseconds; Count = $measured.Count }
                }
                InvokeRestMethod = {
                    $clock = [System.Diagnostics.Stopwatch]::StartNew()
                    $measured = Invoke-RestMethodListing -PageSize 1000 | Measure-Object
                    @{ Ms = $clock.Elapsed.TotalMilliseconds; Count = $measured.Count }
                }
                MinimalCmdlet = {
                    $clock = [System.Diagnostics.Stopwatch]::StartNew()
                    $measured = Get-MinimalKreaJob -BaseUri $KreaBase -ApiKey $KreaKey -PageSize 1000 | Measure-Object
                    @{ Ms = $clock.Elapsed.TotalMilliseconds; Count = $measured.Count }
                }
                BareClient = { Invoke-BareClient $bare }
            })
    }
    finally {
        $bare.StandardInput.WriteLine('quit')
        if (-not $bare.WaitForExit(5000)) { $bare.Kill() }
    }
    foreach ($name in $runs.Keys) { Assert-Count $runs $name $p.Jobs }

    # For reading the figures: what the PowerShell pipeline alone costs, with no HTTP at all.
    $objects = @(Get-ProviderJob -Provider Krea -PageSize 1000)
    $floor = Invoke-Interleaved -Runs $p.Runs -Alternatives ([ordered]@{
            PipelineOnly = {
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                $measured = $objects | Measure-Object
                @{ Ms = $clock.Elapsed.TotalMilliseconds; Count = $measured.Count }
            }
        })
    $objects = $null
    $runs['PipelineOnly'] = $floor['PipelineOnly']
    $m = Get-MedianTable $runs
    $Results.Throughput = [ordered]@{ Jobs = $p.Jobs; PageSize = 1000; Runs = $runs; Medians = $m }
    Add-Check -Scenario '1 Throughput' -Measure "Get-ProviderJob, $(Format-Count $p.Jobs) jobs" -Value $m.GetProviderJob.Ms -ValueText (Format-Ms $m.GetProviderJob.Ms) `
        -Baseline 'Invoke-RestMethod loop' -BaselineValue $m.InvokeRestMethod.Ms -BaselineText (Format-Ms $m.InvokeRestMethod.Ms) `
        -Ratio ($m.InvokeRestMethod.Ms / $m.GetProviderJob.Ms) -Target 6 -Direction Min
    Add-Check -Scenario '1 Throughput' -Measure "Get-ProviderJob, $(Format-Count $p.Jobs) jobs" -Value $m.GetProviderJob.Ms -ValueText (Format-Ms $m.GetProviderJob.Ms) `
        -Baseline 'minimal cmdlet (HttpClient + STJ source gen)' -BaselineValue $m.MinimalCmdlet.Ms -BaselineText (Format-Ms $m.MinimalCmdlet.Ms) `
        -Ratio ($m.GetProviderJob.Ms / $m.MinimalCmdlet.Ms) -Target 1.2 -Direction Max
    # No target: a client that makes no object per job sets no bar a cmdlet can reach; the minimal cmdlet does.
    Add-Check -Scenario '1 Throughput' -Measure "Get-ProviderJob, $(Format-Count $p.Jobs) jobs" -Value $m.GetProviderJob.Ms -ValueText (Format-Ms $m.GetProviderJob.Ms) `
        -Baseline 'bare HttpClient + STJ, counting only' -BaselineValue $m.BareClient.Ms -BaselineText (Format-Ms $m.BareClient.Ms) `
        -Ratio ($m.GetProviderJob.Ms / $m.BareClient.Ms) -Direction Report
    Write-Host ("   Get-ProviderJob {0}, Invoke-RestMethod loop {1}, minimal cmdlet {2}, bare client {3}; the same jobs already in memory | Measure-Object: {4}" -f `
        (Format-Ms $m.GetProviderJob.Ms), (Format-Ms $m.InvokeRestMethod.Ms), (Format-Ms $m.MinimalCmdlet.Ms), (Format-Ms $m.BareClient.Ms), (Format-Ms $m.PipelineOnly.Ms))
    #endregion

    #region 2. Overlap
    $p = $Plan.Overlap
    Write-Section "2. Overlap: $($p.Pages) pages of $($p.PageSize), $($p.LatencyMs) ms per page, a consumer spending ~$($p.ConsumeMsPerPage) ms per page"
    Set-SimulatorDataset Krea ($p.Pages * $p.PageSize)
    Set-SimulatorOption Krea @{ latencyMs = $p.LatencyMs }
    # The consumer busy-waits its share of a page's time on every job: CPU work, like real processing.
    $burn = [System.Diagnostics.Stopwatch]::StartNew()
    $ticksPerJob = [long]([System.Diagnostics.Stopwatch]::Frequency * $p.ConsumeMsPerPage / 1000 / $p.PageSize)
    $consume = { $until = $burn.ElapsedTicks + $ticksPerJob; while ($burn.ElapsedTicks -lt $until) { } }
    $runs = Invoke-Interleaved -Runs $p.Runs -Alternatives ([ordered]@{
            Streamed = {
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                $count = 0
                Get-ProviderJob -Provider Krea -PageSize $p.PageSize | ForEach-Object { & $consume; $count++ }
                @{ Ms = $clock.Elapsed.TotalMilliseconds; Count = $count }
            }
            InTurn = {
                # The same requests and objects (Krea starts at -CreatedBefore, as its cursor does), but
                # each page is fetched whole and then consumed, never both at once.
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                $count = 0
                $before = $null
                for ($page = 0; $page -lt $p.Pages; $page++) {
                    $jobs = if ($null -eq $before) { @(Get-ProviderJob -Provider Krea -PageSize $p.PageSize -First $p.PageSize) }
                    else { @(Get-ProviderJob -Provider Krea -PageSize $p.PageSize -First $p.PageSize -CreatedBefore $before) }
                    $jobs | ForEach-Object { & $consume; $count++ }
                    $before = $jobs[-1].CreatedAt
                }
                @{ Ms = $clock.Elapsed.TotalMilliseconds; Count = $count }
            }
        })
    Set-SimulatorOption Krea @{ latencyMs = 0 }
    foreach ($name in $runs.Keys) { Assert-Count $runs $name ($p.Pages * $p.PageSize) }
    $m = Get-MedianTable $runs
    $Results.Overlap = [ordered]@{ Pages = $p.Pages; PageSize = $p.PageSize; LatencyMs = $p.LatencyMs; ConsumeMsPerPage = $p.ConsumeMsPerPage; Runs = $runs; Medians = $m }
    Add-Check -Scenario '2 Overlap' -Measure "Get-ProviderJob | slow consumer, $($p.Pages) pages" -Value $m.Streamed.Ms -ValueText (Format-Ms $m.Streamed.Ms) `
        -Baseline 'fetch a page, then consume it' -BaselineValue $m.InTurn.Ms -BaselineText (Format-Ms $m.InTurn.Ms) `
        -Ratio ($m.Streamed.Ms / $m.InTurn.Ms) -Target 0.6 -Direction Max
    #endregion

    #region 3. Five providers at once
    $p = $Plan.Providers
    $providers = @('PyannoteAI', 'Ittybit', 'Convertly', 'Unstructured', 'Krea')
    Write-Section "3. Five providers at once: $(Format-Count $p.Jobs) jobs each, $($p.LatencyMs) ms per page"
    foreach ($provider in $providers) {
        Set-SimulatorDataset $provider $p.Jobs
        Set-SimulatorOption $provider @{ latencyMs = $p.LatencyMs }
    }
    $alternatives = [ordered]@{
        AllFive = {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $measured = Get-ProviderJob -Provider $providers | Measure-Object
            @{ Ms = $clock.Elapsed.TotalMilliseconds; Count = $measured.Count }
        }
    }
    foreach ($provider in $providers) {
        $alternatives[$provider] = {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $measured = Get-ProviderJob -Provider $provider | Measure-Object
            @{ Ms = $clock.Elapsed.TotalMilliseconds; Count = $measured.Count }
        }.GetNewClosure()
    }
    $runs = Invoke-Interleaved -Runs $p.Runs -Alternatives $alternatives
    foreach ($provider in $providers) { Set-SimulatorOption $provider @{ latencyMs = 0 } }
    Assert-Count $runs AllFive ($p.Jobs * $providers.Count)
    foreach ($provider in $providers) { Assert-Count $runs $provider $p.Jobs }
    $m = Get-MedianTable $runs
    $slowest = $providers | Sort-Object { $m[$_].Ms } -Descending | Select-Object -First 1
    $Results.Providers = [ordered]@{ JobsEach = $p.Jobs; LatencyMs = $p.LatencyMs; Slowest = $slowest; Runs = $runs; Medians = $m }
    Add-Check -Scenario '3 Five providers' -Measure "all five at once, $(Format-Count ($p.Jobs * 5)) jobs" -Value $m.AllFive.Ms -ValueText (Format-Ms $m.AllFive.Ms) `
        -Baseline "slowest alone ($slowest)" -BaselineValue $m[$slowest].Ms -BaselineText (Format-Ms $m[$slowest].Ms) `
        -Ratio ($m.AllFive.Ms / $m[$slowest].Ms) -Target 1.3 -Direction Max
    #endregion

    #region 4. Memory
    $p = $Plan.Memory
    Write-Section "4. Memory: peak working set of a fresh pwsh streaming $(Format-Count $p.Large) and $(Format-Count $p.Small) jobs"
    $import = "`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; Import-Module '$($ModulePath -replace "'", "''")'"
    $peak = '[System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64'
    # Every byte the child allocates while it lists (all threads, precise), printed after the count and the peak.
    $listing = "`$before = [GC]::GetTotalAllocatedBytes(`$true); `$m = Get-ProviderJob -Provider Krea | Measure-Object; `$allocated = [GC]::GetTotalAllocatedBytes(`$true) - `$before; `"`$(`$m.Count) `$($peak) `$allocated`""
    $inChild = {
        param([string] $Command)
        $child = Invoke-Pwsh $Command
        $count, $bytes, $allocated = $child.Output -split '\s+'
        @{ Ms = $child.Ms; Count = [long]$count; PeakBytes = [double]$bytes; AllocatedBytes = [double]$allocated; AllocatedPerJob = $(if ([long]$count -gt 0) { [double]$allocated / [long]$count } else { 0.0 }) }
    }
    $runs = Invoke-Interleaved -Runs $p.Runs -Alternatives ([ordered]@{
            ImportOnly = { & $inChild "$import; `"0 `$($peak) 0`"" }
            Small = { Set-SimulatorDataset Krea $p.Small; & $inChild "$import; $listing" }
            Large = { Set-SimulatorDataset Krea $p.Large; & $inChild "$import; $listing" }
        })
    Assert-Count $runs Small $p.Small
    Assert-Count $runs Large $p.Large
    # What the jobs weigh as JSON: the body of one full page (the module's default, 1000) divided by its jobs.
    Set-SimulatorDataset Krea $p.Large
    $page = Invoke-WebRequest -Uri "$KreaBase/jobs?limit=1000" -Headers @{ Authorization = "Bearer $KreaKey" }
    $pageBytes = $page.RawContentStream.Length
    $pageJobs = @(($page.Content | ConvertFrom-Json).items).Count
    $jsonPerJob = $pageBytes / $pageJobs
    $m = Get-MedianTable $runs
    # What each further job costs, without what any listing allocates once (code, first page, set-up).
    $marginalPerJob = ($m.Large.AllocatedBytes - $m.Small.AllocatedBytes) / ($p.Large - $p.Small)
    $Results.Memory = [ordered]@{ Large = $p.Large; Small = $p.Small; PageBytes = $pageBytes; PageJobs = $pageJobs; JsonBytesPerJob = $jsonPerJob; MarginalAllocatedPerJob = $marginalPerJob; Runs = $runs; Medians = $m }
    Add-Check -Scenario '4 Memory' -Measure "peak, $(Format-Count $p.Large) jobs" -Value $m.Large.PeakBytes -ValueText (Format-MB $m.Large.PeakBytes) `
        -Baseline 'import only' -BaselineValue $m.ImportOnly.PeakBytes -BaselineText (Format-MB $m.ImportOnly.PeakBytes) `
        -Ratio (($m.Large.PeakBytes - $m.ImportOnly.PeakBytes) / 1MB) -Target 40 -Direction Max -Unit 'MB'
    Add-Check -Scenario '4 Memory' -Measure "peak, $(Format-Count $p.Large) jobs" -Value $m.Large.PeakBytes -ValueText (Format-MB $m.Large.PeakBytes) `
        -Baseline "peak, $(Format-Count $p.Small) jobs" -BaselineValue $m.Small.PeakBytes -BaselineText (Format-MB $m.Small.PeakBytes) `
        -Ratio ($m.Large.PeakBytes / $m.Small.PeakBytes) -Target 1.05 -Direction Max
    Add-Check -Scenario '4 Memory' -Measure "allocated per job, $(Format-Count $p.Large) jobs" -Value $m.Large.AllocatedPerJob -ValueText ($m.Large.AllocatedPerJob.ToString('N0', $Invariant) + ' B') `
        -Baseline 'JSON per job (page body / jobs)' -BaselineValue $jsonPerJob -BaselineText ($jsonPerJob.ToString('N0', $Invariant) + ' B') `
        -Ratio ($m.Large.AllocatedPerJob / $jsonPerJob) -Direction Report
    Write-Host ("   allocated per job: {0:N0} B ({1:N0} jobs), {2:N0} B ({3:N0} jobs), {4:N0} B per job between the two; JSON per job {5:N0} B" -f `
        $m.Large.AllocatedPerJob, $p.Large, $m.Small.AllocatedPerJob, $p.Small, $marginalPerJob, $jsonPerJob)
    #endregion

    #region 5. Early stop
    $p = $Plan.EarlyStop
    Write-Section "5. Early stop: the first of $(Format-Count $p.Jobs) Krea jobs"
    Set-SimulatorDataset Krea $p.Jobs
    # Time to the first object as the next command in the pipeline sees it; requests from the simulator's log.
    $firstObject = {
        param([scriptblock] $Command)
        Clear-SimulatorLog
        $script:firstAt = $null
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        & $Command | ForEach-Object { if ($null -eq $script:firstAt) { $script:firstAt = $clock.Elapsed.TotalMilliseconds } }
        # A request cancelled in flight is logged when the simulator finishes it: give it a moment.
        Start-Sleep -Milliseconds 100
        @{ Ms = $script:firstAt; Requests = @(Get-SimulatorLog Krea).Count }
    }
    $runs = Invoke-Interleaved -Runs $p.Runs -WarmUp ($Plan.WarmUp * 2) -Alternatives ([ordered]@{
            First1 = { & $firstObject { Get-ProviderJob -Provider Krea -First 1 } }
            SelectFirst1 = { & $firstObject { Get-ProviderJob -Provider Krea | Select-Object -First 1 } }
            InvokeRestMethod = { & $firstObject { Invoke-RestMethod -Uri "$KreaBase/jobs?limit=1" -Headers @{ Authorization = "Bearer $KreaKey" } } }
        })
    $m = Get-MedianTable $runs
    $Results.EarlyStop = [ordered]@{ Jobs = $p.Jobs; Runs = $runs; Medians = $m }
    foreach ($case in @(@{ Name = 'First1'; Text = 'Get-ProviderJob -First 1' }, @{ Name = 'SelectFirst1'; Text = 'Get-ProviderJob | Select-Object -First 1' })) {
        $requests = Get-Figure $runs $case.Name 'Requests'
        $most = ($requests | Measure-Object -Maximum).Maximum
        Add-Check -Scenario '5 Early stop' -Measure "$($case.Text): requests" -Value $most -ValueText "$most (every run)" `
            -Baseline 'one request' -BaselineValue 1 -BaselineText '1' -Ratio $(if (@($requests | Where-Object { $_ -ne 1 }).Count -eq 0) { 1 } else { $most }) -Target 1 -Direction Exact -Unit ''
        Add-Check -Scenario '5 Early stop' -Measure "$($case.Text): first object" -Value $m[$case.Name].Ms -ValueText (Format-Ms $m[$case.Name].Ms) `
            -Baseline 'Invoke-RestMethod, page of 1' -BaselineValue $m.InvokeRestMethod.Ms -BaselineText (Format-Ms $m.InvokeRestMethod.Ms) `
            -Ratio ($m[$case.Name].Ms / $m.InvokeRestMethod.Ms) -Target 1.2 -Direction Max
    }

    # What a small first page (for Select-Object's sake) costs a full listing: its requests, from the log.
    Set-SimulatorDataset Krea $p.FullListing
    $maxPage = (Get-SimulatorInfo).providers.krea.maxPageSize
    $pagesNeeded = [int][Math]::Ceiling($p.FullListing / $maxPage)
    Clear-SimulatorLog
    $full = (Get-ProviderJob -Provider Krea | Measure-Object).Count
    if ($full -ne $p.FullListing) { throw "The full listing produced $full jobs, not $($p.FullListing)." }
    $fullRequests = @(Get-SimulatorLog Krea).Count
    $Results.EarlyStop.FullListing = [ordered]@{ Jobs = $p.FullListing; Count = $full; Requests = $fullRequests; PagesNeeded = $pagesNeeded; MaxPageSize = $maxPage }
    Add-Check -Scenario '5 Early stop' -Measure "full listing, $(Format-Count $p.FullListing) jobs: requests" -Value $fullRequests -ValueText "$fullRequests" `
        -Baseline "pages of $(Format-Count $maxPage) needed" -BaselineValue $pagesNeeded -BaselineText "$pagesNeeded" `
        -Ratio ($fullRequests - $pagesNeeded) -Direction Report -Unit ' extra'
    #endregion

    #region 6. Cold start
    $p = $Plan.ColdStart
    Write-Section '6. Cold start: a new pwsh that lists the first page of 1000 jobs'
    Set-SimulatorDataset Krea $p.Jobs
    $runs = Invoke-Interleaved -Runs $p.Runs -Alternatives ([ordered]@{
            Module = {
                $child = Invoke-Pwsh "Import-Module '$($ModulePath -replace "'", "''")'; (Get-ProviderJob -Provider Krea -First 1000 | Measure-Object).Count"
                @{ Ms = $child.Ms; Count = [long]$child.Output }
            }
            InvokeRestMethod = {
                $child = Invoke-Pwsh "(Invoke-RestMethod -Uri '$KreaBase/jobs?limit=1000' -Headers @{ Authorization = `"Bearer `$env:KREA_API_KEY`" }).items.Count"
                @{ Ms = $child.Ms; Count = [long]$child.Output }
            }
        })
    foreach ($name in $runs.Keys) { Assert-Count $runs $name ([Math]::Min(1000, $p.Jobs)) }
    $m = Get-MedianTable $runs
    $Results.ColdStart = [ordered]@{ Jobs = $p.Jobs; Runs = $runs; Medians = $m }
    Add-Check -Scenario '6 Cold start' -Measure 'new pwsh: import, first page' -Value $m.Module.Ms -ValueText (Format-Ms $m.Module.Ms) `
        -Baseline 'new pwsh: one Invoke-RestMethod' -BaselineValue $m.InvokeRestMethod.Ms -BaselineText (Format-Ms $m.InvokeRestMethod.Ms) `
        -Ratio ($m.Module.Ms / $m.InvokeRestMethod.Ms) -Target 1.3 -Direction Max
    #endregion

    #region 7. Latency
    $p = $Plan.Latency
    $providers = @('PyannoteAI', 'Ittybit', 'Convertly', 'Unstructured', 'Krea')
    Write-Section "7. Latency: $($p.LatencyMs) ms on every request, five providers at once, $(Format-Count $p.JobsEach) jobs each in pages of each provider's maximum"
    $info = Get-SimulatorInfo
    $pagesNeeded = [ordered]@{}
    foreach ($provider in $providers) {
        Set-SimulatorDataset $provider $p.JobsEach
        Set-SimulatorOption $provider @{ latencyMs = $p.LatencyMs }
        # Unstructured does not page: one answer holds every job.
        $max = $info.providers.((Get-ProviderFacts $provider).Sim).maxPageSize
        $pagesNeeded[$provider] = if ($null -eq $max) { 1 } else { [int][Math]::Ceiling($p.JobsEach / $max) }
    }
    $runs = Invoke-Interleaved -Runs $p.Runs -Alternatives ([ordered]@{
            AllFive = {
                Clear-SimulatorLog
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                $measured = Get-ProviderJob -Provider $providers | Measure-Object
                $ms = $clock.Elapsed.TotalMilliseconds
                # The requests each provider was actually sent; the ideal is the longest chain of them, each one latency.
                $log = @(Get-SimulatorLog)
                $figures = @{ Ms = $ms; Count = $measured.Count; MostRequests = 0 }
                foreach ($provider in $providers) {
                    $sim = (Get-ProviderFacts $provider).Sim
                    $sent = @($log | Where-Object provider -EQ $sim).Count
                    $figures["Requests$provider"] = $sent
                    $figures.MostRequests = [Math]::Max($figures.MostRequests, $sent)
                }
                $figures.IdealMs = [double]($figures.MostRequests * $p.LatencyMs)
                $figures
            }
        })
    foreach ($provider in $providers) { Set-SimulatorOption $provider @{ latencyMs = 0 } }
    Assert-Count $runs AllFive ($p.JobsEach * $providers.Count)
    $m = Get-MedianTable $runs
    # The providers that were sent the most requests (several when they tie).
    $slowest = @($providers | Where-Object { $m.AllFive["Requests$_"] -eq $m.AllFive.MostRequests })
    $Results.Latency = [ordered]@{ JobsEach = $p.JobsEach; LatencyMs = $p.LatencyMs; PagesNeeded = $pagesNeeded; Slowest = $slowest; Runs = $runs; Medians = $m }
    Add-Check -Scenario '7 Latency' -Measure "five at once, $(Format-Count ($p.JobsEach * $providers.Count)) jobs, $($p.LatencyMs) ms per request" -Value $m.AllFive.Ms -ValueText (Format-Ms $m.AllFive.Ms) `
        -Baseline "ideal: $($m.AllFive.MostRequests) requests ($($slowest -join ', ')) x $($p.LatencyMs) ms" -BaselineValue $m.AllFive.IdealMs -BaselineText (Format-Ms $m.AllFive.IdealMs) `
        -Ratio ($m.AllFive.Ms / $m.AllFive.IdealMs) -Target 1.1 -Direction Max
    Write-Host ("   requests: {0}" -f (($providers | ForEach-Object { "$_ $($m.AllFive["Requests$_"])" }) -join ', '))
    #endregion

    #region 8. Rate limit
    $p = $Plan.RateLimit
    Write-Section "8. Rate limit: pyannoteAI allows $($p.Limit) requests per $($p.WindowMs) ms; $(Format-Count $p.Jobs) jobs in pages of $($p.PageSize)"
    Set-SimulatorDataset PyannoteAI $p.Jobs
    $listPyannote = {
        param([bool] $Budget)
        Set-SimulatorOption PyannoteAI @{ rateBudget = $(if ($Budget) { @{ limit = $p.Limit; windowMs = $p.WindowMs } } else { $null }) }
        Clear-SimulatorLog
        # Start at the beginning of one of the budget's windows (aligned to the Unix epoch), with the whole budget.
        if ($Budget) { Wait-RateWindow $p.WindowMs }
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $measured = Get-ProviderJob -Provider PyannoteAI -PageSize $p.PageSize | Measure-Object
        $ms = $clock.Elapsed.TotalMilliseconds
        $log = @(Get-SimulatorLog PyannoteAI)
        $served = @($log | Where-Object status -NE 429).Count
        $figures = @{
            Ms = $ms; Count = $measured.Count; Requests = $served
            Throttled = @($log | Where-Object status -EQ 429).Count
            ThrottledByBudget = @($log | Where-Object { $_.status -eq 429 -and $_.fault -eq 'rateBudget' }).Count
        }
        if ($Budget) {
            # The fastest any client can be: as many whole windows as the served requests need.
            $figures.Windows = [double][Math]::Ceiling($served / $p.Limit)
            $figures.IdealMs = $figures.Windows * $p.WindowMs
        }
        $figures
    }
    $runs = Invoke-Interleaved -Runs $p.Runs -Alternatives ([ordered]@{
            Budget = { & $listPyannote $true }
            NoBudget = { & $listPyannote $false }
        })
    Set-SimulatorOption PyannoteAI @{ rateBudget = $null }
    foreach ($name in $runs.Keys) { Assert-Count $runs $name $p.Jobs }
    $m = Get-MedianTable $runs
    $throttled = Get-Figure $runs Budget 'Throttled'
    $most = ($throttled | Measure-Object -Maximum).Maximum
    $Results.RateLimit = [ordered]@{ Provider = 'PyannoteAI'; Jobs = $p.Jobs; PageSize = $p.PageSize; Limit = $p.Limit; WindowMs = $p.WindowMs; Runs = $runs; Medians = $m }
    Add-Check -Scenario '8 Rate limit' -Measure "429s, $($p.Limit) requests per $($p.WindowMs) ms" -Value $most -ValueText "$most (most in a run)" `
        -Baseline 'none' -BaselineValue 0 -BaselineText '0' -Ratio $most -Target 0 -Direction Exact -Unit ''
    Add-Check -Scenario '8 Rate limit' -Measure "listing, $($m.Budget.Requests) requests, $($p.Limit) per $($p.WindowMs) ms" -Value $m.Budget.Ms -ValueText (Format-Ms $m.Budget.Ms) `
        -Baseline "fastest the budget allows: $($m.Budget.Windows) windows x $($p.WindowMs) ms" -BaselineValue $m.Budget.IdealMs -BaselineText (Format-Ms $m.Budget.IdealMs) `
        -Ratio ($m.Budget.Ms / $m.Budget.IdealMs) -Target 1.1 -Direction Max
    Write-Host ("   with the budget {0} ({1} requests, {2} answered 429); without it {3}" -f (Format-Ms $m.Budget.Ms), $m.Budget.Requests, $m.Budget.Throttled, (Format-Ms $m.NoBudget.Ms))
    #endregion

    #region 9. Import
    $p = $Plan.Import
    $pwshCommands = [System.Collections.Generic.List[string[]]]::new()
    if ($PowerShellPath) { foreach ($path in $PowerShellPath) { $pwshCommands.Add([string[]](Get-PwshCommandFor $path)) } }
    else { $pwshCommands.Add([string[]]$PwshCommand) }
    $hosts = [ordered]@{}
    foreach ($pwsh in $pwshCommands) {
        $said = (Invoke-Pwsh '"$($PSVersionTable.PSVersion)|$([System.Runtime.InteropServices.RuntimeInformation]::FrameworkDescription)"' -Pwsh $pwsh).Output
        $version, $dotnet = $said -split '\|'
        $hosts[$version] = @{ Pwsh = $pwsh; DotNet = $dotnet }
    }
    Write-Section "9. Import: Import-Module in a new pwsh of PowerShell $(@($hosts.Keys) -join ' and ')"
    # Import-Module timed inside the child, so that the pwsh's own start does not count; the start, nothing imported, beside it.
    $importCommand = "`$clock = [System.Diagnostics.Stopwatch]::StartNew(); Import-Module '$($ModulePath -replace "'", "''")'; `$clock.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture) + ' ' + (Get-Command -Module JobsModule).Count"
    $measureImport = {
        param([string] $Version)
        $child = Invoke-Pwsh $importCommand -Pwsh $hosts[$Version].Pwsh
        $ms, $commands = $child.Output -split ' '
        @{ Ms = [double]::Parse($ms, $Invariant); ProcessMs = $child.Ms; Commands = [int]$commands }
    }
    $measureStart = {
        param([string] $Version)
        @{ Ms = (Invoke-Pwsh '0' -Pwsh $hosts[$Version].Pwsh).Ms }
    }
    $alternatives = [ordered]@{}
    foreach ($version in $hosts.Keys) {
        $alternatives["Import $version"] = [scriptblock]::Create("& `$measureImport '$version'")
        $alternatives["Start $version"] = [scriptblock]::Create("& `$measureStart '$version'")
    }
    $runs = Invoke-Interleaved -Runs $p.Runs -Alternatives $alternatives
    # Every import must have brought the module's commands, on each PowerShell.
    foreach ($version in $hosts.Keys) { Assert-Count $runs "Import $version" @(Get-Command -Module JobsModule).Count 'Commands' }
    $m = Get-MedianTable $runs
    $Results.Import = [ordered]@{ Hosts = [ordered]@{}; Runs = $runs; Medians = $m }
    foreach ($version in $hosts.Keys) {
        $import = $m["Import $version"]
        $startOnly = $m["Start $version"]
        $Results.Import.Hosts[$version] = [ordered]@{ DotNet = $hosts[$version].DotNet; ImportMs = $import.Ms; ProcessMs = $import.ProcessMs; StartMs = $startOnly.Ms; Commands = $import.Commands }
        Add-Check -Scenario '9 Import' -Measure "Import-Module, PowerShell $version ($($hosts[$version].DotNet))" -Value $import.Ms -ValueText (Format-Ms $import.Ms) `
            -Baseline "new pwsh $version, start to exit" -BaselineValue $startOnly.Ms -BaselineText (Format-Ms $startOnly.Ms) `
            -Ratio ($import.Ms / $startOnly.Ms) -Direction Report
    }
    #endregion

    #region 10. Save
    $p = $Plan.Save
    Write-Section "10. Save: $($p.Files) files of $(Format-MB $p.FileBytes) against Invoke-WebRequest -OutFile; one of $(Format-MB $p.LargeBytes) against curl -o"
    Reset-Simulator
    Set-SimulatorEnvironment
    # About one Krea job in seven has finished with files: twelve jobs per file asked for leaves room.
    Set-SimulatorDataset Krea ($p.Files * 12)
    $null = Invoke-Simulator -Method POST -Path '/_sim/files/options' -Body @{ size = $p.FileBytes }
    # Finished Krea jobs until they have the files asked for; both alternatives fetch exactly their URLs.
    $finished = @(Get-ProviderJob -Provider Krea -Status Succeeded)
    $jobs = [System.Collections.Generic.List[object]]::new()
    $urls = [System.Collections.Generic.List[string]]::new()
    foreach ($job in $finished) {
        if ($urls.Count -ge $p.Files) { break }
        $jobs.Add($job)
        foreach ($url in $job.ResultUrls) { $urls.Add($url) }
    }
    if ($urls.Count -lt $p.Files) { throw "The Krea dataset has $($urls.Count) output files, fewer than $($p.Files)." }
    $saveRoot = Join-Path ([IO.Path]::GetTempPath()) "jobsmodule-bench-save-$PID"
    $folderOf = {
        param([string] $Name)
        $folder = Join-Path $saveRoot $Name
        Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction Ignore
        (New-Item -ItemType Directory -Force $folder).FullName
    }
    $filesIn = { param([string] $Folder) $files = @(Get-ChildItem -LiteralPath $Folder -Recurse -File); @{ Count = $files.Count; Bytes = [double]($files | Measure-Object Length -Sum).Sum } }
    try {
        $runs = Invoke-Interleaved -Runs $p.Runs -Alternatives ([ordered]@{
                SaveProviderJobOutput = {
                    $folder = & $folderOf 'module'
                    $clock = [System.Diagnostics.Stopwatch]::StartNew()
                    $jobs | Save-ProviderJobOutput -Path $folder
                    $figures = @{ Ms = $clock.Elapsed.TotalMilliseconds } + (& $filesIn $folder)
                    $figures
                }
                InvokeWebRequest = {
                    $folder = & $folderOf 'iwr'
                    $clock = [System.Diagnostics.Stopwatch]::StartNew()
                    foreach ($url in $urls) { Invoke-WebRequest -Uri $url -OutFile (Join-Path $folder ([uri]$url).Segments[-1]) }
                    @{ Ms = $clock.Elapsed.TotalMilliseconds } + (& $filesIn $folder)
                }
                # What this machine can do at all: curl, five at once as the module's default -ThrottleLimit.
                CurlParallel = {
                    $folder = & $folderOf 'curl-parallel'
                    $config = Join-Path $saveRoot 'curl-parallel.txt'
                    $urls | ForEach-Object { "url = `"$_`"`noutput = `"$(Join-Path $folder ([uri]$_).Segments[-1])`"" } | Set-Content -LiteralPath $config
                    $clock = [System.Diagnostics.Stopwatch]::StartNew()
                    & curl -s -S -Z --parallel-max 5 -K $config
                    if ($LASTEXITCODE -ne 0) { throw "curl failed ($LASTEXITCODE)." }
                    @{ Ms = $clock.Elapsed.TotalMilliseconds } + (& $filesIn $folder)
                }
            })
        foreach ($name in $runs.Keys) {
            Assert-Count $runs $name $urls.Count
            Assert-Count $runs $name ($urls.Count * $p.FileBytes) 'Bytes'
        }
        $m = Get-MedianTable $runs
        $Results.Save = [ordered]@{ Files = $urls.Count; FileBytes = $p.FileBytes; LargeBytes = $p.LargeBytes; Runs = $runs; Medians = $m }
        Add-Check -Scenario '10 Save' -Measure "Save-ProviderJobOutput, $($urls.Count) files of $(Format-MB $p.FileBytes)" -Value $m.SaveProviderJobOutput.Ms -ValueText (Format-Ms $m.SaveProviderJobOutput.Ms) `
            -Baseline 'Invoke-WebRequest -OutFile, in turn' -BaselineValue $m.InvokeWebRequest.Ms -BaselineText (Format-Ms $m.InvokeWebRequest.Ms) `
            -Ratio ($m.InvokeWebRequest.Ms / $m.SaveProviderJobOutput.Ms) -Target 3 -Direction Min
        Add-Check -Scenario '10 Save' -Measure "Save-ProviderJobOutput, $($urls.Count) files of $(Format-MB $p.FileBytes)" -Value $m.SaveProviderJobOutput.Ms -ValueText (Format-Ms $m.SaveProviderJobOutput.Ms) `
            -Baseline 'curl -Z, five at once (the ceiling here)' -BaselineValue $m.CurlParallel.Ms -BaselineText (Format-Ms $m.CurlParallel.Ms) `
            -Ratio ($m.CurlParallel.Ms / $m.SaveProviderJobOutput.Ms) -Direction Report

        # One large file: a Krea job with one output, saved by id in a new pwsh that reports its own time
        # and its peak working set after the import and after the save.
        $null = Invoke-Simulator -Method POST -Path '/_sim/files/options' -Body @{ size = $p.LargeBytes }
        $single = $finished | Where-Object { @($_.ResultUrls).Count -eq 1 } | Select-Object -First 1
        if (-not $single) { throw 'The Krea dataset has no finished job with exactly one output file.' }
        $largeUrl = @($single.ResultUrls)[0]
        $peak = '[System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64'
        $import = "`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; Import-Module '$($ModulePath -replace "'", "''")'"
        $large = [ordered]@{
            SaveProviderJobOutput = {
                $folder = & $folderOf 'large-module'
                $child = Invoke-Pwsh "$import; `$imported = $peak; `$clock = [System.Diagnostics.Stopwatch]::StartNew(); Save-ProviderJobOutput -Provider Krea -Id '$($single.Id)' -Path '$folder'; `$ms = `$clock.Elapsed.TotalMilliseconds; `"`$(`$ms.ToString([cultureinfo]::InvariantCulture)) `$imported `$($peak)`""
                $ms, $imported, $after = $child.Output -split '\s+'
                $figures = @{ Ms = [double]::Parse($ms, $Invariant); ImportedPeakBytes = [double]$imported; PeakBytes = [double]$after } + (& $filesIn $folder)
                Remove-Item -LiteralPath $folder -Recurse -Force
                $figures
            }
            Curl = {
                $folder = & $folderOf 'large-curl'
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                & curl -s -S -o (Join-Path $folder 'file') $largeUrl
                if ($LASTEXITCODE -ne 0) { throw "curl failed ($LASTEXITCODE)." }
                $figures = @{ Ms = $clock.Elapsed.TotalMilliseconds } + (& $filesIn $folder)
                Remove-Item -LiteralPath $folder -Recurse -Force
                $figures
            }
        }
        $runs = Invoke-Interleaved -Runs $p.Runs -Alternatives $large
        foreach ($name in $runs.Keys) {
            Assert-Count $runs $name 1
            Assert-Count $runs $name $p.LargeBytes 'Bytes'
        }
        $m = Get-MedianTable $runs
        $Results.Save.Large = [ordered]@{ Url = $largeUrl; Runs = $runs; Medians = $m }
        $mbPerSecond = { param([double] $Ms) ($p.LargeBytes / 1MB) / ($Ms / 1000) }
        Add-Check -Scenario '10 Save' -Measure "one file of $(Format-MB $p.LargeBytes): throughput" -Value (& $mbPerSecond $m.SaveProviderJobOutput.Ms) -ValueText ((& $mbPerSecond $m.SaveProviderJobOutput.Ms).ToString('0', $Invariant) + ' MB/s') `
            -Baseline 'curl -o' -BaselineValue (& $mbPerSecond $m.Curl.Ms) -BaselineText ((& $mbPerSecond $m.Curl.Ms).ToString('0', $Invariant) + ' MB/s') `
            -Ratio ($m.Curl.Ms / $m.SaveProviderJobOutput.Ms) -Target 0.9 -Direction Min
        Add-Check -Scenario '10 Save' -Measure "one file of $(Format-MB $p.LargeBytes): peak working set" -Value $m.SaveProviderJobOutput.PeakBytes -ValueText (Format-MB $m.SaveProviderJobOutput.PeakBytes) `
            -Baseline 'after Import-Module' -BaselineValue $m.SaveProviderJobOutput.ImportedPeakBytes -BaselineText (Format-MB $m.SaveProviderJobOutput.ImportedPeakBytes) `
            -Ratio (($m.SaveProviderJobOutput.PeakBytes - $m.SaveProviderJobOutput.ImportedPeakBytes) / 1MB) -Target 30 -Direction Max -Unit 'MB'
    }
    finally {
        Remove-Item -LiteralPath $saveRoot -Recurse -Force -ErrorAction Ignore
    }
    #endregion

    #region 11. Detailed
    $p = $Plan.Detailed
    Write-Section "11. -Detailed: $(Format-Count $p.Jobs) Unstructured jobs, $($p.LatencyMs) ms on every request, -ThrottleLimit $($p.ThrottleLimit)"
    Set-SimulatorDataset Unstructured $p.Jobs
    Set-SimulatorOption Unstructured @{ latencyMs = $p.LatencyMs }
    $listUnstructured = {
        param([bool] $Detailed)
        Clear-SimulatorLog
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $measured = Get-ProviderJob -Provider Unstructured -Detailed:$Detailed -ThrottleLimit $p.ThrottleLimit | Measure-Object
        $ms = $clock.Elapsed.TotalMilliseconds
        $log = @(Get-SimulatorLog Unstructured)
        $reads = @($log | Where-Object path -Match '/jobs/[^/]+/(details|failed-files)$').Count
        @{ Ms = $ms; Count = $measured.Count; Requests = $log.Count; Reads = $reads }
    }
    $runs = Invoke-Interleaved -Runs $p.Runs -Alternatives ([ordered]@{
            Detailed = { & $listUnstructured $true }
            Listing = { & $listUnstructured $false }
        })
    Set-SimulatorOption Unstructured @{ latencyMs = 0 }
    foreach ($name in $runs.Keys) { Assert-Count $runs $name $p.Jobs }
    $m = Get-MedianTable $runs
    # The fastest -Detailed can be: the listing, then its reads -ThrottleLimit at a time, each one latency.
    $idealMs = $m.Listing.Ms + $m.Detailed.Reads * $p.LatencyMs / $p.ThrottleLimit
    $Results.Detailed = [ordered]@{ Jobs = $p.Jobs; LatencyMs = $p.LatencyMs; ThrottleLimit = $p.ThrottleLimit; IdealMs = $idealMs; Runs = $runs; Medians = $m }
    Add-Check -Scenario '11 Detailed' -Measure "-Detailed, $(Format-Count $p.Jobs) jobs, $($m.Detailed.Reads) detail reads" -Value $m.Detailed.Ms -ValueText (Format-Ms $m.Detailed.Ms) `
        -Baseline "listing + $($m.Detailed.Reads) reads x $($p.LatencyMs) ms / $($p.ThrottleLimit)" -BaselineValue $idealMs -BaselineText (Format-Ms $idealMs) `
        -Ratio ($m.Detailed.Ms / $idealMs) -Target 1.2 -Direction Max
    Add-Check -Scenario '11 Detailed' -Measure 'without -Detailed: requests' -Value $m.Listing.Requests -ValueText "$($m.Listing.Requests)" `
        -Baseline 'the listing alone' -BaselineValue 1 -BaselineText '1' -Ratio $m.Listing.Requests -Target 1 -Direction Exact -Unit ''
    #endregion

    #region 12. Watch
    $p = $Plan.Watch
    $providers = @('PyannoteAI', 'Ittybit', 'Convertly', 'Unstructured', 'Krea')
    Write-Section "12. Watch: an idle watch, one pass a second, five providers of $(Format-Count $p.Jobs) finished jobs and $($p.Unfinished) unfinished ones each, $($p.Passes) passes"
    foreach ($provider in $providers) {
        Set-SimulatorDataset $provider $p.Jobs -Finished
        # Unfinished for a day, then a finished job newer than them: a newest-first listing stops there, so they are read by id each pass.
        New-SimulatorLiveJob $provider @(1..$p.Unfinished | ForEach-Object { @{ id = "watch-unfinished-$_"; runMs = 86400000 } })
    }
    Start-Sleep -Milliseconds 20
    foreach ($provider in $providers) { New-SimulatorLiveJob $provider @(@{ id = 'watch-newest'; runMs = 0; final = 'succeeded' }) }
    Clear-SimulatorLog
    $import = "`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; Import-Module '$($ModulePath -replace "'", "''")'"
    # In the child, at each pass's verbose line: the time, CPU time, peak and current working set.
    $sample = '$process.Refresh(); $samples.Add(([DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds(), $process.TotalProcessorTime.TotalMilliseconds, $process.PeakWorkingSet64, $process.WorkingSet64) -join '' '')'
    $child = Invoke-Pwsh ("$import; `$process = [System.Diagnostics.Process]::GetCurrentProcess(); `$samples = [System.Collections.Generic.List[string]]::new(); " +
        "Watch-ProviderJob -Provider $($providers -join ',') -PollingIntervalSec 1 -Verbose 4>&1 | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] -and `$_.Message -like 'Pass *' } | " +
        "ForEach-Object { $sample; `$_ } | Select-Object -First $($p.Passes) | Out-Null; `$samples -join ';'")
    $passes = @($child.Output -split ';' | ForEach-Object {
            $at, $cpu, $peakBytes, $workingSet = $_ -split ' '
            [pscustomobject]@{ At = [long]$at; CpuMs = [double]::Parse($cpu, $Invariant); PeakBytes = [double]$peakBytes; WorkingSetBytes = [double]$workingSet }
        })
    if ($passes.Count -ne $p.Passes) { throw "The watch wrote $($passes.Count) passes, not $($p.Passes)." }
    # Every request after the first pass (the baseline, which lists every job): listing pages and reads by id.
    $after = @(Get-SimulatorLog | Where-Object { ([DateTimeOffset]$_.startedAt).ToUnixTimeMilliseconds() -gt $passes[0].At })
    $reads = @($after | Where-Object path -Match 'watch-unfinished-').Count
    $listings = $after.Count - $reads
    $watched = $p.Passes - 1
    $requestsPerPass = $after.Count / $watched
    # A provider that does not list newest first is listed whole each pass, its unfinished jobs with it: no reads.
    $reading = @($providers | Where-Object { $name = $_; @([JobsModule.ProviderRegistry]::Providers | Where-Object Name -EQ $name)[0].NewestFirst }).Count
    $idealPerPass = $providers.Count + $reading * $p.Unfinished
    $cpuPerPassMs = ($passes[-1].CpuMs - $passes[0].CpuMs) / $watched
    $Results.Watch = [ordered]@{
        Providers = $providers.Count; JobsEach = $p.Jobs; UnfinishedEach = $p.Unfinished; Passes = $p.Passes; IntervalSec = 1
        Requests = $after.Count; ListingRequests = $listings; ReadsById = $reads; ReadingProviders = $reading; RequestsPerPass = $requestsPerPass; IdealPerPass = $idealPerPass
        CpuMsPerPass = $cpuPerPassMs; FirstPassPeakBytes = $passes[0].PeakBytes; LastPassPeakBytes = $passes[-1].PeakBytes
        SecondPassWorkingSetBytes = $passes[[Math]::Min(1, $passes.Count - 1)].WorkingSetBytes; LastPassWorkingSetBytes = $passes[-1].WorkingSetBytes
        Samples = $passes
    }
    Add-Check -Scenario '12 Watch' -Measure "idle watch, $($providers.Count) x $(Format-Count $p.Jobs) jobs: requests per pass" -Value $requestsPerPass -ValueText $requestsPerPass.ToString('0.##', $Invariant) `
        -Baseline "a page per account + $($p.Unfinished) reads each of $reading" -BaselineValue $idealPerPass -BaselineText "$idealPerPass" `
        -Ratio ($requestsPerPass / $idealPerPass) -Target 1 -Direction Max
    Add-Check -Scenario '12 Watch' -Measure 'idle watch: CPU time per pass' -Value $cpuPerPassMs -ValueText (Format-Ms $cpuPerPassMs) `
        -Baseline 'the 1 s interval' -BaselineValue 1000 -BaselineText (Format-Ms 1000) -Ratio ($cpuPerPassMs / 1000) -Direction Report
    Add-Check -Scenario '12 Watch' -Measure "idle watch: peak working set after pass $($p.Passes)" -Value $passes[-1].PeakBytes -ValueText (Format-MB $passes[-1].PeakBytes) `
        -Baseline 'after the first pass' -BaselineValue $passes[0].PeakBytes -BaselineText (Format-MB $passes[0].PeakBytes) `
        -Ratio (($passes[-1].PeakBytes - $passes[0].PeakBytes) / 1MB) -Target 10 -Direction Max -Unit 'MB'
    Write-Host ("   after the baseline: {0} listing requests and {1} reads by id in {2} passes; working set {3} after pass 2, {4} after pass {5}" -f `
        $listings, $reads, $watched, (Format-MB $Results.Watch.SecondPassWorkingSetBytes), (Format-MB $passes[-1].WorkingSetBytes), $p.Passes)
    foreach ($provider in $providers) { Set-SimulatorDataset $provider 25 }
    #endregion
}
finally {
    if ($ownSimulator) { Stop-ProviderSimulator } else { Reset-Simulator }
}

#region Report

$columns = 'Scenario', 'Measure', 'Median', 'Against', 'Median', 'Ratio', 'Target', 'Result'
$rows = foreach ($check in $Checks) {
    , @($check.Scenario, $check.Measure, $check.ValueText, $check.Baseline, $check.BaselineText, $check.RatioText, $check.TargetText, $(if ($null -eq $check.Met) { 'report' } elseif ($check.Met) { 'met' } else { 'MISSED' }))
}
$widths = for ($i = 0; $i -lt $columns.Count; $i++) { (@($columns[$i]) + @($rows | ForEach-Object { $_[$i] }) | Measure-Object -Property Length -Maximum).Maximum }
$line = { param($cells) ((0..($cells.Count - 1) | ForEach-Object { "$($cells[$_])".PadRight($widths[$_]) }) -join '  ').TrimEnd() }
Write-Host ''
Write-Host (& $line $columns)
Write-Host (& $line ($widths | ForEach-Object { '-' * $_ }))
foreach ($row in $rows) { Write-Host (& $line $row) -ForegroundColor $(switch ($row[-1]) { 'met' { 'Green' } 'report' { 'Gray' } default { 'Yellow' } }) }

$markdown = [System.Text.StringBuilder]::new()
$null = $markdown.AppendLine('| ' + ($columns -join ' | ') + ' |')
$null = $markdown.AppendLine('|' + ((1..$columns.Count | ForEach-Object { '---' }) -join '|') + '|')
# A '|' inside a cell (a pipeline in a measure's name) would split it.
foreach ($row in $rows) { $null = $markdown.AppendLine('| ' + (($row | ForEach-Object { "$_" -replace '\|', '\|' }) -join ' | ') + ' |') }

$duration = $SuiteClock.Elapsed.TotalSeconds
$document = [ordered]@{
    Mode = if ($Smoke) { 'smoke' } else { 'full' }
    StartedAt = $Started.ToString('o', $Invariant)
    DurationSeconds = [Math]::Round($duration, 1)
    Machine = $Machine
    Module = $ModulePath
    Checks = $Checks
    Scenarios = $Results
}
$null = New-Item -ItemType Directory -Force (Split-Path $ResultPath)
$document | ConvertTo-Json -Depth 8 | Set-Content -Path $ResultPath -Encoding utf8NoBOM
Set-Content -Path ([IO.Path]::ChangeExtension($ResultPath, '.md')) -Value $markdown.ToString() -Encoding utf8NoBOM
Write-Host ''
Write-Host ("{0} of {1} targets met ({2} rows report only); {3:0} s. Figures: {4}" -f @($Checks | Where-Object Met).Count, @($Checks | Where-Object Direction -NE 'Report').Count, @($Checks | Where-Object Direction -EQ 'Report').Count, $duration, $ResultPath)

#endregion
