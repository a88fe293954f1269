# Contract tests: Get-ProviderJob talks to pyannoteAI, Convertly and Krea through a Stoplight Prism validating
# proxy built from the provider's own OpenAPI document (tests/Contract/openapi), in front of the simulator's
# route for that provider. With --errors, Prism answers 422 instead of forwarding a request that breaks the
# document, 500 for a response that breaks it, and logs both; so a listing that returns every expected job,
# with every request logged by the simulator and nothing logged as an error by Prism, conforms both ways.
# See tests/Contract/README.md.
BeforeDiscovery {
    # Paging cases use at most 8 jobs where the simulator would send every status: its 9th job (index 8) has a
    # deliberately undocumented status, which Krea's and Convertly's documents do not allow (tested below).
    $Contracts = @(
        @{
            Name = 'PyannoteAI'; Spec = 'pyannoteai'; Route = '/v1/jobs'; SizeName = 'take'; OffsetName = 'skip'; Max = 100
            ItemsName = 'items'; FormatName = 'skip'; StatusEnum = $false
            Statuses = @('pending', 'created', 'succeeded', 'canceled', 'failed', 'running')
            Cases = @(
                @{ Case = 'pages of -PageSize 10 (take, skip)'; Count = 25; Parameters = @{ PageSize = 10 }; Size = 10 }
                @{ Case = 'the default page size, the maximum'; Count = 25; Parameters = @{}; Size = 100 }
                @{ Case = '-First 3 asks for 3'; Count = 25; Parameters = @{ First = 3 }; Size = 3; First = 3 }
                @{ Case = '-Status Succeeded on the server (status=succeeded)'; Count = 60; Parameters = @{ Status = 'Succeeded'; PageSize = 4 }; Size = 4
                    Query = @{ status = 'succeeded' }; Served = { $_.status -eq 'succeeded' } }
                @{ Case = '-Status Running on the server, -First 5'; Count = 60; Parameters = @{ Status = 'Running'; First = 5 }; Size = 5; First = 5
                    Query = @{ status = 'running' }; Served = { $_.status -eq 'running' } }
                @{ Case = '-Status Queued (pending and created) filtered by the module'; Count = 25; Parameters = @{ Status = 'Queued'; PageSize = 7 }; Size = 7
                    Absent = @('status'); Kept = { $_.status -in 'pending', 'created' } }
            )
        }
        @{
            Name = 'Convertly'; Spec = 'convertly'; Route = '/api/jobs'; SizeName = 'limit'; OffsetName = 'offset'; Max = 100
            ItemsName = 'jobs'; FormatName = 'offset'; StatusEnum = $true
            Statuses = @('pending', 'processing', 'completed', 'failed')
            Cases = @(
                @{ Case = 'pages of -PageSize 3 (limit, offset)'; Count = 8; Parameters = @{ PageSize = 3 }; Size = 3 }
                @{ Case = 'the default page size, the maximum'; Count = 8; Parameters = @{}; Size = 100 }
                @{ Case = '-First 3 asks for 3'; Count = 8; Parameters = @{ First = 3 }; Size = 3; First = 3 }
                @{ Case = '-Status Succeeded on the server (status=completed)'; Count = 60; Parameters = @{ Status = 'Succeeded'; PageSize = 4 }; Size = 4
                    Query = @{ status = 'completed' }; Served = { $_.status -eq 'completed' } }
                @{ Case = '-Status Queued on the server (status=pending)'; Count = 60; Parameters = @{ Status = 'Queued'; PageSize = 5 }; Size = 5
                    Query = @{ status = 'pending' }; Served = { $_.status -eq 'pending' } }
                @{ Case = '-Status Running, Failed filtered by the module'; Count = 8; Parameters = @{ Status = 'Running', 'Failed'; PageSize = 2 }; Size = 2
                    Absent = @('status'); Kept = { $_.status -in 'processing', 'failed' } }
            )
        }
        @{
            Name = 'Krea'; Spec = 'krea'; Route = '/jobs'; SizeName = 'limit'; OffsetName = $null; Max = 1000
            ItemsName = 'items'; FormatName = 'cursor'; StatusEnum = $true
            Statuses = @('backlogged', 'queued', 'scheduled', 'processing', 'sampling', 'intermediate-complete', 'completed', 'failed', 'cancelled')
            Cases = @(
                @{ Case = 'pages of -PageSize 3 (limit, cursor)'; Count = 8; Parameters = @{ PageSize = 3 }; Size = 3 }
                @{ Case = 'the default page size, the maximum'; Count = 8; Parameters = @{}; Size = 1000 }
                @{ Case = '-First 3 asks for 3'; Count = 8; Parameters = @{ First = 3 }; Size = 3; First = 3 }
                @{ Case = '-Status Succeeded on the server (status=completed)'; Count = 60; Parameters = @{ Status = 'Succeeded'; PageSize = 2 }; Size = 2
                    Query = @{ status = 'completed' }; Served = { $_.status -eq 'completed' } }
                @{ Case = '-Status Canceled on the server (status=cancelled)'; Count = 60; Parameters = @{ Status = 'Canceled'; PageSize = 2 }; Size = 2
                    Query = @{ status = 'cancelled' }; Served = { $_.status -eq 'cancelled' } }
                @{ Case = '-Status Queued (three statuses) filtered by the module'; Count = 8; Parameters = @{ Status = 'Queued'; PageSize = 3 }; Size = 3
                    Absent = @('status'); Kept = { $_.status -in 'backlogged', 'queued', 'scheduled' } }
                @{ Case = '-Kind flux, k1 on the server (types)'; Count = 8; Parameters = @{ Kind = 'flux', 'k1'; PageSize = 2 }; Size = 2
                    Query = @{ types = 'flux,k1' }; Served = { $_.type -in 'flux', 'k1' } }
                @{ Case = '-Kind video -Status Failed -PageSize 1'; Count = 200; Parameters = @{ Kind = 'video'; Status = 'Failed'; PageSize = 1 }; Size = 1
                    Query = @{ types = 'video'; status = 'failed' }; Served = { $_.type -eq 'video' -and $_.status -eq 'failed' } }
                @{ Case = '-CreatedBefore starts at its cursor'; Count = 8; Parameters = @{ PageSize = 2 }; Size = 2; Before = 2 }
            )
        }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force
    $ContractRoot = Join-Path $PSScriptRoot 'Contract'

    function Start-ContractProxy {
        <# Starts Prism as a validating proxy for one provider on a free loopback port; returns once it listens. #>
        param([string] $Name, [string] $Spec, [string] $Upstream)
        $log = Join-Path $TestDrive "prism-$Spec.log"
        $arguments = @((Join-Path $ContractRoot 'Start-Prism.js'), $PID, 'proxy', (Join-Path $ContractRoot "openapi/$Spec.yaml"), $Upstream,
            '--errors', '--host', '127.0.0.1', '--port', '0')
        # Start-Process joins the arguments into one command line: quote each, for paths with spaces.
        $process = Start-Process -FilePath node -ArgumentList ($arguments | ForEach-Object { '"{0}"' -f $_ }) -WorkingDirectory $ContractRoot `
            -RedirectStandardOutput $log -RedirectStandardError "$log.err" -PassThru
        [pscustomobject]@{ Name = $Name; Process = $process; Log = $log; Url = $null }
    }

    function Wait-ContractProxy {
        param([object] $Proxy)
        $deadline = [datetime]::UtcNow.AddSeconds(60)
        while (-not $Proxy.Url) {
            $text = if (Test-Path $Proxy.Log) { Get-Content -Raw $Proxy.Log } else { '' }
            if ($text -match 'Prism is listening on (http://\S+)') { $Proxy.Url = $Matches[1]; break }
            if ($Proxy.Process.HasExited -or [datetime]::UtcNow -gt $deadline) {
                $errors = if (Test-Path "$($Proxy.Log).err") { Get-Content -Raw "$($Proxy.Log).err" } else { '' }
                throw "Prism for $($Proxy.Name) did not start: $(Hide-Secret "$text $errors")"
            }
            Start-Sleep -Milliseconds 100
        }
    }

    function Stop-ContractProxy {
        param([object] $Proxy)
        if (-not $Proxy.Process.HasExited) {
            $Proxy.Process.Kill($true)
            $null = $Proxy.Process.WaitForExit(10000)
        }
    }

    function Hide-Secret {
        <# Keys never reach the test output: the simulator's keys and any bearer token are masked. #>
        param([string] $Text)
        foreach ($provider in $SimulatorInfo.providers.psobject.Properties.Value) { $Text = $Text.Replace($provider.key, '<key>') }
        $Text -replace '(?i)(bearer\s+)[^\s"'',]+', '$1<key>'
    }

    function Get-PrismLine {
        param([object] $Proxy, [int] $Skip = 0)
        @(Get-Content $Proxy.Log | Select-Object -Skip $Skip)
    }

    function Get-PrismProblem {
        <# Prism's error and warning lines (refused requests, violations), keys masked. #>
        param([object] $Proxy, [int] $Skip)
        Get-PrismLine $Proxy $Skip | Where-Object { $_ -match '\s(error|warning|fatal)\s{2,}|Violation' } | ForEach-Object { Hide-Secret $_ }
    }

    function ConvertTo-IsoMs {
        <# The simulator's timestamp as it wrote it (ConvertFrom-Json may have made it a DateTime). #>
        param([object] $Value)
        if ($Value -is [datetime]) { return $Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [cultureinfo]::InvariantCulture) }
        [string]$Value
    }

    function Invoke-ThroughProxy {
        <# One raw request through a provider's proxy: status, sl-violations (parsed) and the problem body. #>
        param([object] $Proxy, [string] $PathAndQuery, [string] $Key)
        $headers = @{}
        if ($Key) { $headers.Authorization = "Bearer $Key" }
        $response = Invoke-WebRequest -Uri ($Proxy.Url + $PathAndQuery) -Headers $headers -SkipHttpErrorCheck
        $violations = if ($response.Headers.ContainsKey('sl-violations')) { @(@($response.Headers['sl-violations'])[0] | ConvertFrom-Json) } else { @() }
        # Invoke-WebRequest gives application/problem+json (Prism's refusals) as bytes.
        $text = if ($response.Content -is [byte[]]) { [Text.Encoding]::UTF8.GetString($response.Content) } else { [string]$response.Content }
        $body = if ($text -match '^\s*[\[{]') { $text | ConvertFrom-Json } else { $null }
        [pscustomobject]@{ Status = [int]$response.StatusCode; Violations = $violations; Body = $body }
    }

    Reset-Simulator
    $SimulatorInfo = Get-SimulatorInfo
    $Proxies = @{}
    foreach ($contract in @(
            @{ Name = 'PyannoteAI'; Spec = 'pyannoteai' }
            @{ Name = 'Convertly'; Spec = 'convertly' }
            @{ Name = 'Krea'; Spec = 'krea' })) {
        $upstream = $SimulatorInfo.providers.($contract.Spec).baseUrl
        $Proxies[$contract.Name] = Start-ContractProxy $contract.Name $contract.Spec $upstream
    }
    # Started together, waited for together: each takes a few seconds to load.
    $Proxies.Values | ForEach-Object { Wait-ContractProxy $_ }
}

AfterAll {
    if (Get-Variable Proxies -ErrorAction SilentlyContinue) { $Proxies.Values | ForEach-Object { Stop-ContractProxy $_ } }
    Clear-ProviderEnvironment
}

Describe '<Name>: Get-ProviderJob through Prism conforms to the OpenAPI document' -ForEach $Contracts {
    BeforeAll {
        $proxy = $Proxies[$Name]
        $facts = Get-ProviderFacts $Name
        Reset-Simulator
        Set-SimulatorEnvironment
        # The module's base URL is the proxy; Prism forwards <upstream>/<path>, the simulator's route for the provider.
        Set-Item "env:$($facts.UrlVariable)" $proxy.Url
    }

    It '<Case>' -ForEach $Cases {
        Set-SimulatorDataset $Name $Count
        $dataset = @(Get-SimulatorJob $Name)
        # PowerShell names are case-insensitive: the locals below must not reuse the case's names ($Served, $Query ...).
        $arguments = @{} + $Parameters
        $firstCursor = $null
        $candidates = $dataset
        if ($null -ne $Before) {
            $firstCursor = ConvertTo-IsoMs $dataset[$Before].created_at
            $arguments.CreatedBefore = [datetime]::Parse($firstCursor, [cultureinfo]::InvariantCulture, 'RoundtripKind')
            $candidates = @($dataset | Select-Object -Skip ($Before + 1))
        }
        $servedJobs = if ($Served) { @($candidates | Where-Object $Served) } else { $candidates }
        $keptJobs = if ($Kept) { @($servedJobs | Where-Object $Kept) } else { $servedJobs }
        if ($First) { $keptJobs = @($keptJobs | Select-Object -First $First) }
        Clear-SimulatorLog
        $mark = (Get-PrismLine $proxy).Count

        $errors = @()
        try {
            $jobs = @(Get-ProviderJob -Provider $Name @arguments -MaximumRetryCount 0 -ErrorVariable errors -ErrorAction SilentlyContinue)
        }
        catch {
            $errors += $_
        }

        # Prism logs a little after it answers: let its last lines arrive (a refusal has already failed the
        # listing; a violation of warning severity shows only in the log).
        Start-Sleep -Milliseconds 150
        # One assertion, so that a failure shows both Prism's log line and the module's error (Prism's reasons).
        @(@(Get-PrismProblem $proxy $mark) + @($errors | ForEach-Object { Hide-Secret $_.ToString() })) |
            Should -BeNullOrEmpty -Because 'Prism refuses any request or response that breaks the document'
        $keptJobs.Count | Should -BeGreaterThan 0 -Because 'the case must list something'
        ($jobs.Id -join ',') | Should -Be (($keptJobs | ForEach-Object { $_.($facts.IdField) }) -join ',')

        $log = @(Get-SimulatorLog $Name)
        $requests = if ($First) { 1 } else { [Math]::Max(1, [Math]::Ceiling($servedJobs.Count / $Size)) }
        $log.Count | Should -Be $requests
        for ($i = 0; $i -lt $log.Count; $i++) {
            $log[$i].status | Should -Be 200
            $log[$i].path | Should -Be "/$($facts.Sim)$Route"
            $sent = ConvertTo-PlainQuery $log[$i].query
            $sent[$SizeName] | Should -Be ([string]$Size)
            if ($Query) { foreach ($pair in $Query.GetEnumerator()) { $sent[$pair.Key] | Should -BeExactly $pair.Value } }
            foreach ($parameter in @($Absent)) { if ($parameter) { $sent.Contains($parameter) | Should -BeFalse } }
            if ($OffsetName) {
                $sent[$OffsetName] | Should -Be ([string]($i * $Size))
            }
            elseif ($i -eq 0) {
                $sent['cursor'] | Should -BeExactly $firstCursor
            }
            else {
                # Krea's cursor is the previous page's last created_at, passed back verbatim.
                $sent['cursor'] | Should -BeExactly (ConvertTo-IsoMs $servedJobs[$i * $Size - 1].created_at)
            }
        }
    }
}

Describe '<Name>: Prism enforces the document (the detector works)' -ForEach $Contracts {
    BeforeAll {
        $proxy = $Proxies[$Name]
        $key = $SimulatorInfo.providers.$Spec.key
        Reset-Simulator
    }

    BeforeEach { Clear-SimulatorLog }

    # Krea's cursor must be a date-time; the offsets must be numbers.
    $malformed = if ($FormatName -eq 'cursor') { @{ Value = 'yesterday'; Code = 'format' } } else { @{ Value = 'ten'; Code = 'type' } }
    It 'refuses <Why> with a 422, without forwarding it' -ForEach @(
        @{ Why = "$SizeName=$($Max + 1), over the documented maximum"; Query = "$SizeName=$($Max + 1)"; Location = "query.$SizeName"; Code = 'maximum' }
        @{ Why = 'a status outside the documented enum'; Query = 'status=mystery'; Location = 'query.status'; Code = 'enum' }
        @{ Why = "$FormatName=$($malformed.Value), not the documented format"; Query = "$FormatName=$($malformed.Value)"; Location = "query.$FormatName"; Code = $malformed.Code }
    ) {
        $answer = Invoke-ThroughProxy $proxy "$Route`?$Query" $key
        $answer.Status | Should -Be 422
        $answer.Body.validation.location -join '.' | Should -Be $Location
        $answer.Body.validation.code | Should -Be $Code
        @(Get-SimulatorLog $Name).Count | Should -Be 0
    }

    It 'refuses a request without the documented bearer key with a 401' {
        $answer = Invoke-ThroughProxy $proxy $Route $null
        $answer.Status | Should -Be 401
        @(Get-SimulatorLog $Name).Count | Should -Be 0
    }

    It 'flags the simulator''s undocumented status (its 9th job) where the document has a status enum' {
        Set-SimulatorDataset $Name 9
        $dataset = @(Get-SimulatorJob $Name)
        $dataset[8].status | Should -Not -BeIn $Statuses -Because 'the simulator gives every 17th job an undocumented status'
        $answer = Invoke-ThroughProxy $proxy $Route $key
        if ($StatusEnum) {
            $answer.Status | Should -Be 500
            $answer.Violations.Count | Should -Be 1
            $answer.Violations[0].location -join '.' | Should -Be "response.body.$ItemsName.8.status"
            $answer.Violations[0].code | Should -Be 'enum'
        }
        else {
            # pyannoteAI documents status as a plain string.
            $answer.Status | Should -Be 200
            $answer.Violations.Count | Should -Be 0
        }
    }

    It 'gets documented-shape pages from the simulator for every documented status' {
        Set-SimulatorDataset $Name 300
        foreach ($status in $Statuses) {
            $answer = Invoke-ThroughProxy $proxy "$Route`?$SizeName=$Max&status=$status" $key
            $answer.Status | Should -Be 200 -Because "status=$status"
            @($answer.Violations | ForEach-Object { '{0} {1}' -f ($_.location -join '.'), $_.message }) | Should -BeNullOrEmpty
            @($answer.Body.$ItemsName).Count | Should -BeGreaterThan 0 -Because "status=$status"
        }
    }
}

Describe 'Prism processes' {
    It 'never write a key to their logs' {
        foreach ($proxy in $Proxies.Values) {
            $text = (Get-PrismLine $proxy) -join "`n"
            $text | Should -Not -BeNullOrEmpty
            foreach ($provider in $SimulatorInfo.providers.psobject.Properties.Value) { $text.Contains($provider.key) | Should -BeFalse }
        }
    }

    It 'end when stopped, leaving no node process behind' {
        foreach ($proxy in $Proxies.Values) {
            Stop-ContractProxy $proxy
            $proxy.Process.HasExited | Should -BeTrue
            Get-Process -Id $proxy.Process.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
    }
}
