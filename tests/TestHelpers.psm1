# Helpers the Pester suites share: the provider simulator (a real HTTP server on loopback) and its control API.
Set-StrictMode -Version 3.0

$script:Simulator = $null

# What the tests know about each provider, made once: its name, page maximum, order and variables from the
# module's registry (the providers it knows), and its simulator id and item id field from the simulator.
$script:ProviderFacts = $null

function New-ProviderFacts {
    if (-not ('JobsModule.ProviderRegistry' -as [type])) { Import-Module $env:JOBSMODULE_MODULE_PATH -Global }
    $simulated = (Get-SimulatorInfo).providers
    $facts = [ordered]@{}
    foreach ($info in [JobsModule.ProviderRegistry]::Providers) {
        $sim = $info.Name.ToLowerInvariant()
        $facts[$info.Name] = @{
            Name = $info.Name; Sim = $sim; Max = $info.MaxPageSize; IdField = $simulated.$sim.idField; Ordered = $info.NewestFirst
            KeyVariable = $info.KeyVariables[0]; UrlVariable = $info.BaseUriVariable
        }
    }
    $facts
}

# A listing without a limit or -PageSize starts with a small page, then asks for the provider's maximum.
$script:FirstPageSize = 32

function Get-FirstPageSize { $script:FirstPageSize }

function Get-ExpectedRequestCount {
    <# The requests a full listing of -Count jobs needs: the small first page, then pages of -Max (unpaged: one). #>
    param([Parameter(Mandatory)] [int] $Count, [object] $Max)
    if (-not $Max) { return 1 }
    if ($Count -le $script:FirstPageSize) { return 1 }
    1 + [Math]::Ceiling(($Count - $script:FirstPageSize) / $Max)
}

function Get-ProviderFacts {
    param([string] $Name)
    if (-not $script:ProviderFacts) { $script:ProviderFacts = New-ProviderFacts }
    if ($Name) { return $script:ProviderFacts[$Name] }
    $script:ProviderFacts.Values
}

function Start-ProviderSimulator {
    <# Starts the simulator (ends by itself when this process does) and returns its base URL. #>
    param([Parameter(Mandatory)] [string] $Path)
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $start.ArgumentList.Add($Path)
    $start.ArgumentList.Add('--parent-pid')
    $start.ArgumentList.Add([string]$PID)
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    $line = $null
    $read = $process.StandardOutput.ReadLineAsync()
    if (-not $read.Wait([TimeSpan]::FromSeconds(30))) { $process.Kill(); throw 'The provider simulator did not start within 30 s.' }
    $line = $read.Result
    if ($line -notmatch '^PROVIDER-SIMULATOR-LISTENING (\S+)$') { throw "Unexpected first line from the simulator: '$line'" }
    $script:Simulator = [pscustomobject]@{ Url = $Matches[1]; Process = $process }
    $env:JOBSMODULE_SIMULATOR_URL = $script:Simulator.Url
    $script:Simulator
}

function Stop-ProviderSimulator {
    if ($script:Simulator -and -not $script:Simulator.Process.HasExited) { $script:Simulator.Process.Kill() }
    $script:Simulator = $null
}

function Get-SimulatorUrl {
    if (-not $env:JOBSMODULE_SIMULATOR_URL) { throw 'No simulator: run the tests through ./build.ps1 -Task Test, or Start-ProviderSimulator first.' }
    $env:JOBSMODULE_SIMULATOR_URL
}

function Invoke-Simulator {
    param([string] $Method = 'GET', [Parameter(Mandatory)] [string] $Path, [object] $Body)
    $arguments = @{ Method = $Method; Uri = (Get-SimulatorUrl) + $Path }
    if ($null -ne $Body) { $arguments.Body = ($Body | ConvertTo-Json -Depth 20 -Compress); $arguments.ContentType = 'application/json' }
    # Invoke-RestMethod writes a JSON array as one object; enumerate it like any other output.
    Invoke-RestMethod @arguments | ForEach-Object { $_ }
}

function Reset-Simulator { $null = Invoke-Simulator -Method POST -Path '/_sim/reset' }

function Set-SimulatorDataset {
    # -Finished: every job in a final status (an idle account: nothing left to finish).
    param([Parameter(Mandatory)] [string] $Provider, [Parameter(Mandatory)] [int] $Count, [int] $Seed = 1, [switch] $Finished)
    $query = "count=$Count&seed=$Seed" + $(if ($Finished) { '&finished=true' } else { '' })
    $null = Invoke-Simulator -Method POST -Path "/_sim/$(Get-SimId $Provider)/dataset?$query"
}

function Set-SimulatorOption {
    param([Parameter(Mandatory)] [string] $Provider, [Parameter(Mandatory)] [hashtable] $Options)
    $null = Invoke-Simulator -Method POST -Path "/_sim/$(Get-SimId $Provider)/options" -Body $Options
}

function Get-SimulatorJob {
    <# The provider's whole dataset, in its own JSON shape and natural order. #>
    param([Parameter(Mandatory)] [string] $Provider)
    Invoke-Simulator -Path "/_sim/$(Get-SimId $Provider)/jobs"
}

function Get-SimulatorJobId {
    param([Parameter(Mandatory)] [string] $Provider)
    $field = (Get-ProviderFacts $Provider).IdField
    Get-SimulatorJob $Provider | ForEach-Object { $_.$field }
}

function New-SimulatorLiveJob {
    <# Jobs that move through their states over time: each @{ id; runMs; final; middle } (see the simulator's README). #>
    param([Parameter(Mandatory)] [string] $Provider, [Parameter(Mandatory)] [object[]] $Jobs)
    $null = Invoke-Simulator -Method POST -Path "/_sim/$(Get-SimId $Provider)/live" -Body @{ jobs = $Jobs }
}

function Step-SimulatorLiveJob {
    <# Moves a live job on to 'running' or 'final' now (POST /_sim/{provider}/live/advance): a test decides when it changes. #>
    param([Parameter(Mandatory)] [string] $Provider, [Parameter(Mandatory)] [string] $Id, [Parameter(Mandatory)] [ValidateSet('running', 'final')] [string] $To)
    $null = Invoke-Simulator -Method POST -Path "/_sim/$(Get-SimId $Provider)/live/advance" -Body @{ id = $Id; to = $To }
}

function Get-SimulatorLog {
    <# The simulator's request log; -Route v1 leaves out pyannoteAI's /v2/jobs requests (see Use-PyannoteV1Route). #>
    param([string] $Provider, [ValidateSet('v1')] [string] $Route)
    $path = if ($Provider) { "/_sim/log?provider=$(Get-SimId $Provider)" } else { '/_sim/log' }
    $log = Invoke-Simulator -Path $path
    if ($Route) { $log = $log | Where-Object path -NotMatch '/v2/jobs' }
    $log
}

function Clear-SimulatorLog { $null = Invoke-Simulator -Method DELETE -Path '/_sim/log' }

function Get-SimulatorInfo { Invoke-Simulator -Path '/_sim/info' }

function Set-SimulatorEnvironment {
    <# Points every provider at the simulator with its valid key, through the documented environment variables. #>
    $info = Get-SimulatorInfo
    foreach ($facts in Get-ProviderFacts) {
        $provider = $info.providers.($facts.Sim)
        Set-Item "env:$($facts.KeyVariable)" $provider.key
        Set-Item "env:$($facts.UrlVariable)" $provider.baseUrl
    }
    Remove-Item env:KREA_API_TOKEN -ErrorAction SilentlyContinue
}

function Use-PyannoteV1Route {
    <#
    Makes the simulator's pyannoteAI serve only its older GET /v1/jobs listing (take/skip, with a total), and
    points PYANNOTEAI_BASE_URL at it through localhost. The module remembers, per base URL and process, that
    /v2/jobs answered 404 there; a base URL of its own keeps that from changing what other tests see. The
    first listing of a run still asks /v2/jobs once: count requests with Get-SimulatorLog -Route v1.
    #>
    Set-SimulatorOption PyannoteAI @{ listRoutes = 'v1' }
    $env:PYANNOTEAI_BASE_URL = (Get-SimulatorInfo).providers.pyannoteai.baseUrl -replace '127\.0\.0\.1', 'localhost'
}

function Get-PwshCommand {
    <#
    How to start a new pwsh of the PowerShell this one is: `dotnet <its pwsh.dll>` for the 7.6 tool, its own
    executable for the 7.4 host. A test's child must run on the PowerShell its run is testing.
    #>
    # The comma keeps a one-item command an array, so that [0] is the program, not its first letter.
    if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { return , @([Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll')) }
    , @([Environment]::ProcessPath)
}

function Invoke-ModuleProcess {
    <#
    Runs -Command in a new pwsh with the built module imported and this process's environment (the
    simulator's variables included), as a user would at a prompt, and returns everything it printed as
    plain text: host output such as "What if:" lines reaches no stream a test in this process can read.
    -OutputRendering Ansi renders as a colour terminal would; -Environment sets variables (TZ, say) for
    the new process only.
    #>
    param(
        [Parameter(Mandatory)] [string] $Command,
        [ValidateSet('PlainText', 'Ansi')] [string] $OutputRendering = 'PlainText',
        [hashtable] $Environment = @{}
    )
    $pwsh = Get-PwshCommand
    $script = "`$PSStyle.OutputRendering = '$OutputRendering'; Import-Module '$env:JOBSMODULE_MODULE_PATH'; $Command"
    $variables = @{ NO_COLOR = $(if ($OutputRendering -eq 'PlainText') { '1' } else { $null }) } + $Environment
    $saved = @{}
    foreach ($name in $variables.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $variables[$name])
    }
    try { (& $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script 2>&1 | Out-String) }
    finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }
}

function Clear-ProviderEnvironment {
    foreach ($facts in Get-ProviderFacts) {
        Remove-Item "env:$($facts.KeyVariable)", "env:$($facts.UrlVariable)" -ErrorAction SilentlyContinue
    }
    Remove-Item env:KREA_API_TOKEN -ErrorAction SilentlyContinue
}

function Get-SimId {
    param([string] $Provider)
    $Provider.ToLowerInvariant()
}

function ConvertTo-PlainQuery {
    <# Decodes a raw query string into an ordered name -> value table. #>
    param([string] $Query)
    $table = [ordered]@{}
    foreach ($pair in $Query.TrimStart('?').Split('&', [StringSplitOptions]::RemoveEmptyEntries)) {
        $name, $value = $pair.Split('=', 2)
        $table[[uri]::UnescapeDataString($name)] = if ($null -ne $value) { [uri]::UnescapeDataString($value) } else { '' }
    }
    $table
}

Export-ModuleMember -Function *-*
