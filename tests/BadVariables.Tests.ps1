# One provider's environment variable that cannot be used (a base URL that is plain http or no URL, a
# key with a line break, an API version a header cannot carry): a call that lists other providers too
# writes one non-terminating error for it and goes on with the others; a call that names only that
# provider stops, as it always did. And base URLs in errors: shown as given, never with a password or a key.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force

    # One case per provider and kind of bad value; the API version only where the provider has versions (ittybit).
    $BadVariables = foreach ($facts in Get-ProviderFacts) {
        $info = [JobsModule.ProviderRegistry]::Providers | Where-Object Name -EQ $facts.Name
        @{ Name = $facts.Name; Sim = $facts.Sim; Kind = 'a plain http base URL'; Variable = $facts.UrlVariable; Value = 'http://jobs.example.com'; Id = 'InsecureBaseUri'; Category = 'SecurityError' }
        @{ Name = $facts.Name; Sim = $facts.Sim; Kind = 'a base URL that is no URL'; Variable = $facts.UrlVariable; Value = 'not a url'; Id = 'InvalidBaseUri'; Category = 'InvalidArgument' }
        @{ Name = $facts.Name; Sim = $facts.Sim; Kind = 'a key with a line break'; Variable = $facts.KeyVariable; Value = "sk-1234`nX-Evil: 1"; Id = 'InvalidApiKey'; Category = 'InvalidArgument' }
        if ($info.ApiVersionVariable) {
            @{ Name = $facts.Name; Sim = $facts.Sim; Kind = 'an API version with a line break'; Variable = $info.ApiVersionVariable; Value = "2025-08-20`r`nX-Evil: 1"; Id = 'InvalidApiVersion'; Category = 'InvalidArgument' }
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force
    $Get = 'JobsModule.Commands.GetProviderJobCommand'
    function Clear-Accounts { Get-ProviderAccount -ErrorAction SilentlyContinue | Where-Object IsConnected | Disconnect-ProviderAccount }
}

Describe '<Name>: <Kind> (<Variable>)' -ForEach $BadVariables {
    BeforeAll {
        $Others = @((Get-ProviderFacts).Name | Where-Object { $_ -ne $Name } | Sort-Object)
        # A provider to act on beside this one: Krea, or Convertly when this one is Krea; both can stop jobs.
        $Other = if ($Name -eq 'Krea') { 'Convertly' } else { 'Krea' }
    }
    BeforeEach {
        Reset-Simulator
        Set-SimulatorEnvironment
        Clear-Accounts
        Set-Item "env:$Variable" $Value
        Clear-SimulatorLog
    }
    AfterEach { Set-SimulatorEnvironment; Remove-Item env:ITTYBIT_API_VERSION -ErrorAction SilentlyContinue }

    It 'a listing that does not name <Name> writes one <Id> for it and lists the other four: <Case>' -ForEach @(
        @{ Case = 'no -Provider'; Arguments = @{} }
        @{ Case = 'every provider named'; Arguments = @{ Provider = @((Get-ProviderFacts).Name) } }
        @{ Case = '-Account *'; Arguments = @{ Account = '*' } }
    ) {
        $jobs = @(Get-ProviderJob @Arguments -ErrorVariable problems -ErrorAction SilentlyContinue)

        $jobs.Count | Should -Be 100
        ($jobs.Provider | Sort-Object -Unique) -join ',' | Should -Be ($Others -join ',')
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "$Id,$Get"
        $problems[0].CategoryInfo.Category | Should -Be $Category
        $problems[0].TargetObject | Should -Be $Variable
        $problems[0].Exception.Message | Should -Match ([regex]::Escape($Variable))
        @(Get-SimulatorLog $Name).Count | Should -Be 0
        @(Get-SimulatorLog).Count | Should -Be 4
    }

    It '-ErrorAction Stop stops the listing at that error, before anything is sent' {
        $err = $null
        try { $null = Get-ProviderJob -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be "$Id,$Get"
        $err.CategoryInfo.Category | Should -Be $Category
        @(Get-SimulatorLog).Count | Should -Be 0
    }

    It 'a listing that names only <Name> stops with <Id>, as before' {
        foreach ($call in { Get-ProviderJob -Provider $Name -ErrorAction SilentlyContinue }, { Get-ProviderJob -Account $Name -ErrorAction SilentlyContinue }) {
            $err = $null
            $jobs = @(try { & $call } catch { $err = $_ })
            $jobs.Count | Should -Be 0
            $err.FullyQualifiedErrorId | Should -Be "$Id,$Get" -Because 'the error is terminating: -ErrorAction SilentlyContinue does not hide it'
            $err.CategoryInfo.Category | Should -Be $Category
        }
        @(Get-SimulatorLog).Count | Should -Be 0
    }

    It 'Wait-, Stop- and Remove-ProviderJob write one <Id> for <Name>''s job and act on the other provider''s' {
        Set-SimulatorEnvironment
        Remove-Item env:ITTYBIT_API_VERSION -ErrorAction SilentlyContinue
        $mine = Get-ProviderJob -Provider $Name -Status Succeeded -First 1
        $theirs = Get-ProviderJob -Provider $Other -Status Succeeded -First 1
        Set-Item "env:$Variable" $Value
        Clear-SimulatorLog

        $waited = @($mine, $theirs | Wait-ProviderJob -ErrorVariable waitProblems -ErrorAction SilentlyContinue)
        $waited.Id | Should -Be $theirs.Id
        $waitProblems.Count | Should -Be 1
        $waitProblems[0].FullyQualifiedErrorId | Should -Be "$Id,JobsModule.Commands.WaitProviderJobCommand"
        $waitProblems[0].CategoryInfo.Category | Should -Be $Category

        $mine, $theirs | Stop-ProviderJob -Confirm:$false -ErrorVariable stopProblems -ErrorAction SilentlyContinue
        ($stopProblems.FullyQualifiedErrorId -join ';') | Should -Be "$Id,JobsModule.Commands.StopProviderJobCommand;JobAlreadyFinished,JobsModule.Commands.StopProviderJobCommand"
        $stopProblems[0].CategoryInfo.Category | Should -Be $Category

        $mine, $theirs | Remove-ProviderJob -Confirm:$false -ErrorVariable removeProblems -ErrorAction SilentlyContinue
        $removeProblems[0].FullyQualifiedErrorId | Should -Be "$Id,JobsModule.Commands.RemoveProviderJobCommand"
        $removeProblems[0].CategoryInfo.Category | Should -Be $Category
        @($removeProblems | Where-Object { $_.FullyQualifiedErrorId -like "$Id,*" }).Count | Should -Be 1

        @(Get-SimulatorLog $Name).Count | Should -Be 0
        @(Get-SimulatorLog $Other).Count | Should -BeGreaterThan 0 -Because 'the stop read the other provider''s job (JobAlreadyFinished says so)'
    }
}

Describe '-BaseUri replaces a base URL variable that cannot be used: <Name>' -ForEach @(Get-ProviderFacts | ForEach-Object { @{ Name = $_.Name; Sim = $_.Sim; UrlVariable = $_.UrlVariable } }) {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment; Clear-Accounts; Clear-SimulatorLog }
    AfterEach { Set-SimulatorEnvironment }

    It 'lists with the given base URL and the environment''s key: <Value>' -ForEach @(
        @{ Value = 'not a url' }
        @{ Value = 'http://jobs.example.com' }
    ) {
        $baseUrl = (Get-SimulatorInfo).providers.$Sim.baseUrl
        Set-Item "env:$UrlVariable" $Value

        $jobs = @(Get-ProviderJob -Provider $Name -BaseUri $baseUrl -First 3 -ErrorVariable problems)

        $jobs.Count | Should -Be 3
        $problems.Count | Should -Be 0
        @(Get-SimulatorLog $Name).Count | Should -Be 1
    }
}

Describe 'Base URLs in errors' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment; Clear-Accounts; Clear-SimulatorLog }
    AfterEach { Set-SimulatorEnvironment; Clear-Accounts }

    It 'a base URL with a query is shown with its query, as given: <Case>' -ForEach @(
        @{ Case = 'KREA_BASE_URL'; Variable = 'https://gateway.example/krea?region=eu'; Expected = "KREA_BASE_URL must not carry a query string or user info: 'https://gateway.example/krea?region=eu'." }
        @{ Case = '-BaseUri'; Given = 'https://gateway.example/krea?region=eu'; Expected = "-BaseUri must not carry a query string or user info: 'https://gateway.example/krea?region=eu'." }
    ) {
        $err = $null
        if ($Variable) { $env:KREA_BASE_URL = $Variable; try { Get-ProviderJob -Provider Krea } catch { $err = $_ } }
        else { try { Get-ProviderJob -Provider Krea -BaseUri $Given } catch { $err = $_ } }

        $err.FullyQualifiedErrorId | Should -Be "InvalidBaseUri,$Get"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeExactly $Expected
        $err.ErrorDetails.Message | Should -BeExactly $Expected
        @(Get-SimulatorLog).Count | Should -Be 0
    }

    It 'user info is shown as (redacted), in the message and the target, from every command that checks a base URL' {
        $key = ConvertTo-SecureString (Get-SimulatorInfo).providers.krea.key -AsPlainText -Force
        $errors = @(
            try { Get-ProviderJob -Provider Krea -BaseUri 'https://ops:hunter2@gateway.example/krea?region=eu' } catch { $_ }
            try { Connect-ProviderAccount -Provider Krea -ApiKey $key -BaseUri 'https://ops:hunter2@gateway.example/krea?region=eu' } catch { $_ }
            $env:KREA_BASE_URL = 'https://ops:hunter2@gateway.example/krea?region=eu'
            Get-ProviderAccount -Provider Krea -ErrorAction SilentlyContinue -ErrorVariable listed; $listed
        )

        $errors.Count | Should -Be 3
        foreach ($err in $errors) {
            $err.FullyQualifiedErrorId | Should -Match '^InvalidBaseUri,'
            $err.Exception.Message | Should -Match ([regex]::Escape("'https://(redacted)@gateway.example/krea?region=eu'"))
            $err | Format-List * -Force | Out-String | Should -Not -Match 'hunter2'
            $err.CategoryInfo | Out-String | Should -Not -Match 'hunter2'
        }
        $errors[0].TargetObject | Should -Be 'https://(redacted)@gateway.example/krea?region=eu'
        $errors[1].TargetObject | Should -Be 'https://(redacted)@gateway.example/krea?region=eu'
        $errors[2].TargetObject | Should -Be 'KREA_BASE_URL'
        @(Get-SimulatorLog).Count | Should -Be 0
    }

    It 'a key the module knows is (redacted) when a base URL carries it' {
        $kreaKey = (Get-SimulatorInfo).providers.krea.key
        $connected = 'connected-key-0123456789'
        Connect-ProviderAccount -Provider Ittybit -ApiKey (ConvertTo-SecureString $connected -AsPlainText -Force)
        $env:KREA_BASE_URL = "https://gateway.example/krea?api_key=$kreaKey&other=$connected"

        $unfiltered = @(Get-ProviderJob -Provider Krea, Convertly -ErrorVariable problems -ErrorAction SilentlyContinue)
        $listed = @(Get-ProviderAccount -ErrorVariable accountProblems -ErrorAction SilentlyContinue)

        $unfiltered.Count | Should -Be 25
        $listed.Count | Should -Be 4
        foreach ($err in @($problems) + @($accountProblems)) {
            $err.Exception.Message | Should -BeExactly "KREA_BASE_URL must not carry a query string or user info: 'https://gateway.example/krea?api_key=(redacted)&other=(redacted)'."
            $text = $err | Format-List * -Force | Out-String
            $text | Should -Not -Match ([regex]::Escape($kreaKey))
            $text | Should -Not -Match ([regex]::Escape($connected))
        }
        @($problems).Count | Should -Be 1
        @($accountProblems).Count | Should -Be 1
    }
}
