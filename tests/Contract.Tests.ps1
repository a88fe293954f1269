# Contract tests: Get-ProviderJob talks to pyannoteAI, Convertly and Krea through a Stoplight Prism validating
# proxy built from an OpenAPI document of the provider's (tests/Contract/openapi), in front of the simulator's
# route for that provider. With --errors, Prism answers 422 instead of forwarding a request that breaks the
# document, 500 for a response that breaks it, and logs both; so a listing that returns every expected job,
# with every request logged by the simulator and nothing logged as an error by Prism, conforms both ways.
# Two kinds of document: the ones embedded in the providers' List Jobs pages, and the ones the vendors publish
# for their APIs today (pyannoteAI's /v2/jobs, Krea's). The published ones also run as a randomized source:
# Prism's dynamic mock answers with random schema-valid bodies, each of which the module must read.
# See tests/Contract/README.md.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Contract/Contracts.ps1')
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force
    $ContractRoot = Join-Path $PSScriptRoot 'Contract'
    . (Join-Path $ContractRoot 'Contracts.ps1')

    function Start-ContractProxy {
        <#
        Starts Prism for one document on a free loopback port: a validating proxy in front of -Upstream, or,
        without it, a dynamic mock whose random answers are seeded with -Seed. Returns at once; Wait-ContractProxy waits.
        #>
        param([string] $Name, [string] $Spec, [string] $Upstream, [int] $Seed)
        $log = Join-Path $TestDrive "prism-$([guid]::NewGuid().ToString('n')).log"
        $document = Join-Path $ContractRoot "openapi/$Spec"
        $mode = if ($Upstream) { @('proxy', $document, $Upstream, '--errors') } else { @('mock', '-d', $document) }
        $arguments = @((Join-Path $ContractRoot 'Start-Prism.js'), $PID) + $mode + @('--host', '127.0.0.1', '--port', '0')
        # The seed reaches Prism through the environment it inherits.
        if ($Seed) { $env:PRISM_SEED = $Seed } else { Remove-Item env:PRISM_SEED -ErrorAction SilentlyContinue }
        # Start-Process joins the arguments into one command line: quote each, for paths with spaces.
        $process = Start-Process -FilePath node -ArgumentList ($arguments | ForEach-Object { '"{0}"' -f $_ }) -WorkingDirectory $ContractRoot `
            -RedirectStandardOutput $log -RedirectStandardError "$log.err" -PassThru
        Remove-Item env:PRISM_SEED -ErrorAction SilentlyContinue
        [pscustomobject]@{ Name = $Name; Process = $process; Log = $log; Url = $null }
    }

    function Wait-ContractProxy {
        param([object] $Proxy)
        $deadline = [datetime]::UtcNow.AddSeconds(60)
        while (-not $Proxy.Url) {
            $text = if (Test-Path $Proxy.Log) { [string](Get-Content -Raw $Proxy.Log) } else { '' }
            # [regex]::Match, not -match: it sets nothing shared, and a log read while Prism writes it is any string at all.
            $listening = [regex]::Match($text, 'Prism is listening on (http://\S+)')
            if ($listening.Success) { $Proxy.Url = $listening.Groups[1].Value; break }
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

    function Get-CursorValue {
        <# The cursor a cursor-paged document's next page is asked with: the previous page's last id or created_at, verbatim. #>
        param([object] $Job, [string] $Field)
        if ($Field -eq 'created_at') { return ConvertTo-IsoMs $Job.created_at }
        [string]$Job.$Field
    }

    Reset-Simulator
    $SimulatorInfo = Get-SimulatorInfo
    $Proxies = @{}
    foreach ($contract in $Contracts) {
        $upstream = $SimulatorInfo.providers.((Get-ProviderFacts $contract.Name).Sim).baseUrl
        $Proxies[$contract.Label] = Start-ContractProxy $contract.Label $contract.Spec $upstream
    }
    # Started together, waited for together: each takes a few seconds to load.
    $Proxies.Values | ForEach-Object { Wait-ContractProxy $_ }
}

AfterAll {
    if (Get-Variable Proxies -ErrorAction SilentlyContinue) { $Proxies.Values | ForEach-Object { Stop-ContractProxy $_ } }
    Clear-ProviderEnvironment
}

Describe 'PyannoteAI: a deployment that has only /v1/jobs (the document of its List Jobs page)' {
    BeforeAll {
        $contract = $Contracts | Where-Object Fallback
        $proxy = $Proxies[$contract.Label]
        Reset-Simulator
        Set-SimulatorEnvironment
        $env:PYANNOTEAI_BASE_URL = $proxy.Url
    }

    It 'is asked for /v2/jobs once, answers 404, and is listed through /v1/jobs from then on' {
        Set-SimulatorDataset PyannoteAI 25
        Clear-SimulatorLog
        $mark = (Get-PrismLine $proxy).Count
        $jobs = @(Get-ProviderJob -Provider PyannoteAI -PageSize 10 -MaximumRetryCount 0)
        Start-Sleep -Milliseconds 150

        ($jobs.Id -join ',') | Should -Be ((Get-SimulatorJobId PyannoteAI) -join ',')
        $problems = @(Get-PrismProblem $proxy $mark)
        $problems.Count | Should -Be 1
        $problems[0] | Should -Match 'NO_PATH_MATCHED'
        # Prism answered the /v2/jobs request itself: the simulator saw only the /v1/jobs pages.
        ((Get-SimulatorLog PyannoteAI).path | Select-Object -Unique) | Should -Be '/pyannoteai/v1/jobs'
        (Get-SimulatorLog PyannoteAI).Count | Should -Be 3

        $mark = (Get-PrismLine $proxy).Count
        @(Get-ProviderJob -Provider PyannoteAI -First 3).Count | Should -Be 3
        Start-Sleep -Milliseconds 150
        @(Get-PrismProblem $proxy $mark).Count | Should -Be 0
    }
}

Describe '<Label>: Get-ProviderJob through Prism conforms to the OpenAPI document' -ForEach $Contracts {
    BeforeAll {
        $proxy = $Proxies[$Label]
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
                # The next cursor is the previous page's last created_at (Krea) or id (pyannoteAI), passed back verbatim.
                $sent['cursor'] | Should -BeExactly (Get-CursorValue $servedJobs[$i * $Size - 1] $CursorField)
            }
        }
    }
}

Describe '<Label>: Prism enforces the document (the detector works)' -ForEach $Contracts {
    BeforeAll {
        $proxy = $Proxies[$Label]
        $key = $SimulatorInfo.providers.((Get-ProviderFacts $Name).Sim).key
        Reset-Simulator
    }

    BeforeEach { Clear-SimulatorLog }

    # A cursor must be a date-time (Krea) or a uuid (pyannoteAI /v2/jobs); the offsets must be numbers.
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
            # pyannoteAI documents a job's status as a plain string.
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

Describe '<Label>: any answer the document allows is read (Prism''s dynamic mock)' -ForEach $MockContracts {
    BeforeAll {
        $facts = Get-ProviderFacts $Name
        # Seeded: Prism's random answers are the same every run, so this test cannot be flaky. The documents
        # type the next page's cursor as any string, while the cursor parameter must be <Cursor>: a random
        # next cursor sent back is refused, every run the same, and that is the one error expected below.
        $mock = Start-ContractProxy $Label $Spec -Seed 20261203
        Wait-ContractProxy $mock
        Set-SimulatorEnvironment
        Set-Item "env:$($facts.UrlVariable)" $mock.Url
    }

    AfterAll {
        Stop-ContractProxy $mock
        Set-SimulatorEnvironment
    }

    It 'reads 40 random listings: every job has an id, and the only error is a refused random cursor' {
        $read = 0
        foreach ($run in 1..40) {
            $problems = @()
            $jobs = @(Get-ProviderJob -Provider $Name -PageSize 10 -First 25 -MaximumRetryCount 0 -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
            foreach ($job in $jobs) {
                $job.Id | Should -Not -BeNullOrEmpty
                $job.Provider | Should -Be $Name
            }
            foreach ($problem in $problems) {
                $problem.FullyQualifiedErrorId | Should -Be 'ProviderRejectedRequest,JobsModule.Commands.GetProviderJobCommand' -Because (Hide-Secret $problem.ToString())
                $problem.Exception.RequestUri.Query | Should -Match 'cursor=' -Because 'only a next page, asked for with the cursor the mock made up, may be refused'
            }
            $read += $jobs.Count
        }
        $read | Should -BeGreaterThan 40 -Because 'the random pages must have held jobs'
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
