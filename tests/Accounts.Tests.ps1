# Accounts, several accounts at once (concurrent, merged newest first), and tab completion.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force
    $CmdletId = 'JobsModule.Commands.GetProviderJobCommand'
    $info = $null
    function Get-Key([string] $Sim) { ConvertTo-SecureString (Get-SimulatorInfo).providers.$Sim.key -AsPlainText -Force }
    function Clear-Accounts { Get-ProviderAccount | Where-Object IsConnected | Disconnect-ProviderAccount }
}

Describe 'Accounts and the lookup order' {
    BeforeEach {
        Reset-Simulator
        Set-SimulatorEnvironment
        Clear-Accounts
        $info = Get-SimulatorInfo
    }
    AfterAll { Clear-Accounts }

    It 'lists the environment''s accounts with where the key came from, never the key' {
        $accounts = @(Get-ProviderAccount)
        ($accounts.Provider -join ',') | Should -Be 'Convertly,Ittybit,Krea,PyannoteAI,Unstructured'
        ($accounts | Where-Object Provider -eq Krea).KeySource | Should -Be 'env:KREA_API_KEY'
        ($accounts | Where-Object Provider -eq Unstructured).BaseUri | Should -Be $info.providers.unstructured.baseUrl
        $text = $accounts | Format-List * -Force | Out-String
        foreach ($key in $info.providers.psobject.Properties.Value.key) { $text | Should -Not -Match ([regex]::Escape($key)) }
    }

    It 'a connected account wins over the environment, and -ApiKey on the call wins over both' {
        $env:KREA_API_KEY = 'wrong-environment-key'
        Connect-ProviderAccount -Provider Krea -ApiKey (Get-Key krea) -BaseUri $info.providers.krea.baseUrl
        $account = @(Get-ProviderAccount -Provider Krea)
        $account.Count | Should -Be 1
        $account[0].KeySource | Should -Be '-ApiKey'
        @(Get-ProviderJob -Provider Krea).Count | Should -Be 25

        Connect-ProviderAccount -Provider Krea -ApiKey (ConvertTo-SecureString 'wrong-connected-key' -AsPlainText -Force) -BaseUri $info.providers.krea.baseUrl
        @(Get-ProviderJob -Provider Krea -ErrorAction SilentlyContinue).Count | Should -Be 0
        @(Get-ProviderJob -Provider Krea -ApiKey (Get-Key krea) -BaseUri $info.providers.krea.baseUrl).Count | Should -Be 25
    }

    It 'takes a key from -Credential (its user name names the account) and from the environment' {
        $credential = [pscredential]::new('team-a', (Get-Key ittybit))
        $account = Connect-ProviderAccount -Provider Ittybit -Credential $credential -PassThru
        $account.Name | Should -Be 'team-a'
        $account.KeySource | Should -Be '-Credential'
        (Connect-ProviderAccount -Provider Convertly -FromEnvironment -Name ops -PassThru).KeySource | Should -Be 'env:CONVERTLY_API_KEY'
        $jobs = @(Get-ProviderJob -Provider Ittybit)
        $jobs.Count | Should -Be 25
        ($jobs.Account | Select-Object -Unique) | Should -Be 'team-a'
    }

    It '-Validate refuses an account whose key the provider rejects' {
        Connect-ProviderAccount -Provider Krea -Name bad -ApiKey (ConvertTo-SecureString 'nope' -AsPlainText -Force) -Validate -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -Be 'ProviderAuthenticationFailed,JobsModule.Commands.ConnectProviderAccountCommand'
        @(Get-ProviderAccount -Provider Krea -Name bad -ErrorAction SilentlyContinue).Count | Should -Be 0
        Connect-ProviderAccount -Provider Krea -Name good -ApiKey (Get-Key krea) -Validate
        @(Get-ProviderAccount -Provider Krea -Name good).Count | Should -Be 1
    }

    It 'lists two accounts of one provider side by side, merged, each job carrying its account' {
        Connect-ProviderAccount -Provider Krea -Name production -ApiKey (Get-Key krea)
        Connect-ProviderAccount -Provider Krea -Name staging -ApiKey (Get-Key krea)
        $jobs = @(Get-ProviderJob -Provider Krea)
        $jobs.Count | Should -Be 50
        ($jobs | Group-Object Account | Sort-Object Name | ForEach-Object { "$($_.Name)=$($_.Count)" }) -join ',' | Should -Be 'production=25,staging=25'
        $created = @($jobs.CreatedAt)
        ($created -join ',') | Should -Be ((@($created | Sort-Object -Descending)) -join ',')

        @(Get-ProviderJob -Account staging).Account | Select-Object -Unique | Should -Be 'staging'
        @(Get-ProviderAccount -Provider Krea | Get-ProviderJob).Count | Should -Be 50
    }

    It 'an unknown account is AccountNotFound' {
        $jobs = @(Get-ProviderJob -Account nobody -ErrorVariable problems -ErrorAction SilentlyContinue)
        $jobs.Count | Should -Be 0
        $problems[0].FullyQualifiedErrorId | Should -Be "AccountNotFound,$CmdletId"
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        (Get-SimulatorLog).Count | Should -Be 0
    }

    It 'Get-ProviderAccount -Name: a name that matches nothing is AccountNotFound, a pattern that matches nothing is not an error' {
        Connect-ProviderAccount -Provider Krea -Name staging -ApiKey (Get-Key krea)
        $found = @(Get-ProviderAccount -Name staging, nobody, 'ghost*' -ErrorVariable problems -ErrorAction SilentlyContinue)
        $found.Name | Should -Be 'staging'
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'AccountNotFound,JobsModule.Commands.GetProviderAccountCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be 'nobody'
    }

    It 'Disconnect-ProviderAccount takes accounts from the pipeline; the environment account comes back' {
        Connect-ProviderAccount -Provider Krea -Name one -ApiKey (Get-Key krea)
        Connect-ProviderAccount -Provider Krea -Name two -ApiKey (Get-Key krea)
        Get-ProviderAccount -Provider Krea | Where-Object IsConnected | Disconnect-ProviderAccount
        $left = @(Get-ProviderAccount -Provider Krea)
        $left.Count | Should -Be 1
        $left[0].IsConnected | Should -BeFalse
        Disconnect-ProviderAccount -Name ghost -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -Be 'AccountNotConnected,JobsModule.Commands.DisconnectProviderAccountCommand'
    }

    It 'keeps each runspace''s accounts to itself' {
        $module = $env:JOBSMODULE_MODULE_PATH
        $key = (Get-SimulatorInfo).providers.krea.key
        $seen = 1..3 | ForEach-Object -ThrottleLimit 3 -Parallel {
            Import-Module $using:module
            Connect-ProviderAccount -Provider Krea -Name "runspace-$_" -ApiKey (ConvertTo-SecureString $using:key -AsPlainText -Force)
            Start-Sleep -Milliseconds 200
            "$_=" + ((Get-ProviderAccount -Provider Krea | Where-Object IsConnected).Name -join '+')
        }
        ($seen | Sort-Object) -join ',' | Should -Be '1=runspace-1,2=runspace-2,3=runspace-3'
        @(Get-ProviderAccount -Provider Krea | Where-Object IsConnected).Count | Should -Be 0
    }
}

Describe 'Account names' {
    BeforeEach {
        Reset-Simulator
        Set-SimulatorEnvironment
        Clear-Accounts
        Clear-SimulatorLog
    }
    AfterAll { Clear-Accounts }

    It 'Connect-ProviderAccount refuses <What> with InvalidAccountName, before anything is checked, sent or kept' -ForEach @(
        @{ What = "'*'"; Name = 'krea*' }
        @{ What = "'?'"; Name = 'krea?' }
        @{ What = "'[' and ']'"; Name = 'k[1]' }
        @{ What = "']'"; Name = 'k]' }
        @{ What = 'a backtick'; Name = 'k`1' }
        @{ What = 'a leading space'; Name = ' krea' }
        @{ What = 'a trailing space'; Name = 'krea ' }
        @{ What = 'a line break'; Name = "krea`nprod" }
        @{ What = 'a carriage return'; Name = "krea`r" }
        @{ What = 'a tab'; Name = "krea`tprod" }
        @{ What = 'a zero-width space'; Name = "kr$([char]0x200b)ea" }
        @{ What = '129 characters'; Name = 'k' * 129 }
    ) {
        $err = $null
        try { Connect-ProviderAccount -Provider Krea -Name $Name -ApiKey (Get-Key krea) -Validate -PassThru } catch { $err = $_ }

        $err.FullyQualifiedErrorId | Should -Be 'InvalidAccountName,JobsModule.Commands.ConnectProviderAccountCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match '^-Name '
        $err.Exception.Message | Should -Not -Match "`n"
        @(Get-ProviderAccount -Provider Krea | Where-Object IsConnected).Count | Should -Be 0
        (Get-ProviderAccount -Provider Krea).KeySource | Should -Be 'env:KREA_API_KEY'
        @(Get-SimulatorLog).Count | Should -Be 0 -Because '-Validate sends nothing for a name that is refused'
    }

    It 'refuses a credential''s user name the same way, naming where it came from' {
        $err = $null
        try { Connect-ProviderAccount -Provider Ittybit -Credential ([pscredential]::new('team[a]', (Get-Key ittybit))) } catch { $err = $_ }

        $err.FullyQualifiedErrorId | Should -Be 'InvalidAccountName,JobsModule.Commands.ConnectProviderAccountCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match "^-Credential's user name 'team\[a\]' holds '\['"
        $err.TargetObject | Should -Be 'team[a]'
        @(Get-ProviderAccount -Provider Ittybit | Where-Object IsConnected).Count | Should -Be 0
    }

    It '-Name wins over a credential''s user name, which is then not checked' {
        $account = Connect-ProviderAccount -Provider Ittybit -Name team-a -Credential ([pscredential]::new('team[a]', (Get-Key ittybit))) -PassThru
        $account.Name | Should -BeExactly 'team-a'
    }

    It 'takes <What>, and -Account and -Name select it as typed' -ForEach @(
        @{ What = 'night shift'; Name = 'night shift' }
        @{ What = "o'brien"; Name = "o'brien" }
        @{ What = 'say "hi"'; Name = 'say "hi"' }
        @{ What = 'DOMAIN\ops'; Name = 'DOMAIN\ops' }
        @{ What = 'ops@example.com'; Name = 'ops@example.com' }
        @{ What = 'équipe données'; Name = 'équipe données' }
        @{ What = 'a name of 128 characters'; Name = 'k' * 128 }
    ) {
        Connect-ProviderAccount -Provider Krea -Name $Name -ApiKey (Get-Key krea)
        (Get-ProviderAccount -Name $Name).Name | Should -BeExactly $Name
        $jobs = @(Get-ProviderJob -Account $Name -First 3)
        $jobs.Count | Should -Be 3
        ($jobs.Account | Select-Object -Unique) | Should -BeExactly $Name
    }
}

Describe 'Disconnect-ProviderAccount -Name takes wildcards' {
    BeforeEach {
        Reset-Simulator
        Set-SimulatorEnvironment
        Clear-Accounts
        foreach ($name in 'krea-a', 'krea-b') { Connect-ProviderAccount -Provider Krea -Name $name -ApiKey (Get-Key krea) }
        Connect-ProviderAccount -Provider Ittybit -Name team -ApiKey (Get-Key ittybit)
        Connect-ProviderAccount -Provider Convertly -Name krea-c -ApiKey (Get-Key convertly)
    }
    BeforeAll { function Connected { (@(Get-ProviderAccount | Where-Object IsConnected) | ForEach-Object { "$($_.Provider)/$($_.Name)" }) -join ',' } }
    AfterAll { Clear-Accounts }

    It 'disconnects every account a pattern matches, and no other' {
        Disconnect-ProviderAccount -Name 'krea-*' -ErrorVariable problems
        $problems.Count | Should -Be 0
        Connected | Should -Be 'Ittybit/team'
    }

    It '-Provider narrows a pattern to one provider''s accounts' {
        Disconnect-ProviderAccount -Name 'KREA-?' -Provider Krea
        Connected | Should -Be 'Convertly/krea-c,Ittybit/team'
    }

    It 'an account two names match is disconnected once, and neither name is an error' {
        Disconnect-ProviderAccount -Name 'krea-*', 'krea-a', 'team' -ErrorVariable problems
        $problems.Count | Should -Be 0
        Connected | Should -Be ''
    }

    It 'a pattern that matches nothing is no error; a plain name that matches nothing is AccountNotConnected' {
        Disconnect-ProviderAccount -Name 'ghost*', 'ghost', 'team' -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'AccountNotConnected,JobsModule.Commands.DisconnectProviderAccountCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be 'ghost'
        Connected | Should -Be 'Convertly/krea-c,Krea/krea-a,Krea/krea-b'
    }

    It '-WhatIf says which accounts a pattern matches and disconnects none' {
        # What if: lines go to the host, which only a child process's output shows.
        $output = Invoke-ModuleProcess ("foreach (`$name in 'krea-a', 'krea-b', 'team') { Connect-ProviderAccount -Provider Krea -Name `$name -ApiKey (ConvertTo-SecureString 'k-1234' -AsPlainText -Force) }; " +
            "Disconnect-ProviderAccount -Name 'krea-*' -WhatIf; 'left: ' + ((Get-ProviderAccount -Provider Krea).Name -join ',')")
        $whatIf = @($output -split "`r?`n" | Where-Object { $_ -like 'What if:*' })
        $whatIf.Count | Should -Be 2
        $whatIf[0] | Should -BeExactly 'What if: Performing the operation "Disconnect" on target "krea-a (Krea)".'
        $whatIf[1] | Should -BeExactly 'What if: Performing the operation "Disconnect" on target "krea-b (Krea)".'
        $output | Should -Match 'left: krea-a,krea-b,team'
    }

    It 'a pattern PowerShell cannot read is refused while binding, as for Get-ProviderAccount -Name' {
        { Disconnect-ProviderAccount -Name 'krea-[' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,JobsModule.Commands.DisconnectProviderAccountCommand'
        Connected | Should -Be 'Convertly/krea-c,Ittybit/team,Krea/krea-a,Krea/krea-b'
    }
}

Describe 'Several accounts at once' {
    BeforeEach {
        Reset-Simulator
        Set-SimulatorEnvironment
        Clear-Accounts
    }

    It 'sends the requests of different providers at the same time' {
        foreach ($facts in Get-ProviderFacts) { Set-SimulatorOption $facts.Name @{ latencyMs = 400 } }
        $jobs = @(Get-ProviderJob)
        $jobs.Count | Should -Be 125
        $log = @(Get-SimulatorLog)
        $log.Count | Should -Be 5
        # Every request started before any of them ended: they overlapped in time.
        $latestStart = ($log | ForEach-Object { [datetime]$_.startedAt } | Measure-Object -Maximum).Maximum
        $earliestEnd = ($log | ForEach-Object { [datetime]$_.endedAt } | Measure-Object -Minimum).Minimum
        $latestStart | Should -BeLessThan $earliestEnd
    }

    It '-ThrottleLimit 1 sends one request at a time' {
        foreach ($facts in Get-ProviderFacts) { Set-SimulatorOption $facts.Name @{ latencyMs = 100 } }
        $null = @(Get-ProviderJob -ThrottleLimit 1)
        $log = @(Get-SimulatorLog | Sort-Object { [datetime]$_.startedAt })
        for ($i = 1; $i -lt $log.Count; $i++) { [datetime]$log[$i].startedAt | Should -BeGreaterOrEqual ([datetime]$log[$i - 1].endedAt) }
    }

    It 'merges five providers newest first' {
        foreach ($facts in Get-ProviderFacts) { Set-SimulatorDataset $facts.Name 300; Start-Sleep -Milliseconds 1100 }
        $jobs = @(Get-ProviderJob)
        $jobs.Count | Should -Be 1500
        $created = @($jobs.CreatedAt)
        ($created -join ',') | Should -Be ((@($created | Sort-Object -Descending)) -join ',')
        # The providers really interleave rather than coming one after another.
        @($jobs[0..9].Provider | Select-Object -Unique).Count | Should -Be 5
    }

    It '-First 20 gives the 20 newest anywhere with one request per provider' {
        foreach ($facts in Get-ProviderFacts) { Set-SimulatorDataset $facts.Name 2500 }
        $all = @(Get-ProviderJob)
        Clear-SimulatorLog
        $newest = @(Get-ProviderJob -First 20)
        ($newest.Id -join ',') | Should -Be ($all[0..19].Id -join ',')
        $log = @(Get-SimulatorLog)
        ($log | Group-Object provider | ForEach-Object { "$($_.Name)=$($_.Count)" } | Sort-Object) -join ',' |
            Should -Be 'convertly=1,ittybit=1,krea=1,pyannoteai=1,unstructured=1'
        foreach ($entry in $log | Where-Object provider -ne 'unstructured') {
            (ConvertTo-PlainQuery $entry.query).Values | Should -Contain '20'
        }
    }

    It 'one failing account writes its error, named, and the others complete in order' {
        Connect-ProviderAccount -Provider Krea -Name broken -ApiKey (ConvertTo-SecureString 'wrong' -AsPlainText -Force)
        $jobs = @(Get-ProviderJob -ErrorVariable problems -ErrorAction SilentlyContinue)
        $problems.Count | Should -Be 1
        $problems[0].TargetObject | Should -Be 'broken (Krea)'
        $problems[0].ErrorDetails.Message | Should -Match "^Account 'broken': Krea answered 401"
        $jobs.Count | Should -Be 100
        $created = @($jobs.CreatedAt)
        ($created -join ',') | Should -Be ((@($created | Sort-Object -Descending)) -join ',')
        Clear-Accounts
    }

    It 'Select-Object -First stops every account without an error' {
        foreach ($facts in Get-ProviderFacts) { Set-SimulatorDataset $facts.Name 2500 }
        $output = @(Get-ProviderJob | Select-Object -First 5) 2>&1
        @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -Be 0
        $output.Count | Should -Be 5
        Start-Sleep -Milliseconds 300
        (Get-SimulatorLog).Count | Should -BeLessOrEqual 10
    }
}

Describe 'Tab completion' {
    BeforeAll {
        Reset-Simulator
        Set-SimulatorEnvironment
        function Complete([string] $Line) { (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText }
    }

    It 'completes <Line> with <Expected>' -ForEach @(
        @{ Line = 'Get-ProviderJob -Provider Kr'; Expected = 'Krea' }
        @{ Line = 'Get-ProviderJob -Status Fa'; Expected = 'Failed' }
        @{ Line = 'Get-ProviderJob -Provider Ittybit -Kind vi'; Expected = 'video' }
        @{ Line = 'Get-ProviderJob -Provider Convertly -Kind '; Expected = 'compress' }
        @{ Line = 'Connect-ProviderAccount -Provider Unst'; Expected = 'Unstructured' }
        @{ Line = 'Get-ProviderAccount -Provider Py'; Expected = 'PyannoteAI' }
        @{ Line = 'Wait-ProviderJob -Provider Con'; Expected = 'Convertly' }
        @{ Line = 'Stop-ProviderJob -Provider Kr'; Expected = 'Krea' }
        @{ Line = 'Wait-ProviderJob -Provider Krea -Account Kr'; Expected = 'Krea' }
        @{ Line = 'Stop-ProviderJob -Provider Unstructured -Account Unst'; Expected = 'Unstructured' }
        @{ Line = 'Get-ProviderJob -Provider Unstructured -Kind pers'; Expected = 'persistent' }
        @{ Line = 'Get-ProviderJob -Provider Krea -Kind fl'; Expected = 'flux' }
        @{ Line = 'Get-ProviderJob -Provider Krea -Kind ext'; Expected = 'externalImage' }
        @{ Line = "Get-ProviderJob -Provider 'Kr"; Expected = "'Krea'" }
    ) {
        Complete $Line | Should -Contain $Expected
    }

    It 'offers Unstructured''s documented job types and Krea''s documented example types' {
        (Complete 'Get-ProviderJob -Provider Unstructured -Kind ') -join ',' | Should -Be 'ephemeral,persistent,scheduled,template'
        (Complete 'Get-ProviderJob -Provider Krea -Kind ') -join ',' | Should -Be 'externalImage,flux,k1'
    }

    It 'Krea''s suggested types stay suggestions: any other type is still accepted and sent' {
        Reset-Simulator
        Set-SimulatorEnvironment
        Clear-SimulatorLog
        $null = Get-ProviderJob -Provider Krea -Kind 'my-custom-model' -ErrorVariable problems
        $problems.Count | Should -Be 0
        (ConvertTo-PlainQuery @(Get-SimulatorLog Krea)[0].query).types | Should -BeExactly 'my-custom-model'
    }

    It 'does not offer a value already given to <Line>' -ForEach @(
        @{ Line = 'Get-ProviderJob -Provider Krea, '; Given = 'Krea'; Offered = 'Ittybit' }
        @{ Line = 'Get-ProviderJob -Provider Krea, Ittybit, '; Given = 'Krea', 'Ittybit'; Offered = 'Convertly' }
        @{ Line = 'Get-ProviderAccount -Provider Convertly,'; Given = 'Convertly'; Offered = 'PyannoteAI' }
        @{ Line = 'Get-ProviderJob -Provider Krea -Kind flux, '; Given = 'flux'; Offered = 'k1' }
    ) {
        $completions = @(Complete $Line)
        $completions | Should -Contain $Offered
        foreach ($value in $Given) { $completions | Should -Not -Contain $value }
    }

    It 'does not offer Krea again while completing a second provider that starts like it' {
        Complete 'Get-ProviderJob -Provider Krea,Kr' | Should -BeNullOrEmpty
        Complete 'Get-ProviderJob -Provider Ittybit,Kr' | Should -Be 'Krea'
    }

    It 'completes -Account with connected and environment account names' {
        Connect-ProviderAccount -Provider Krea -Name night-shift -ApiKey (ConvertTo-SecureString 'k' -AsPlainText -Force)
        try {
            Complete 'Get-ProviderJob -Account nig' | Should -Be 'night-shift'
            Complete 'Get-ProviderJob -Account ' | Should -Contain 'PyannoteAI'
        }
        finally { Disconnect-ProviderAccount -Name night-shift }
    }

    It 'quotes an account name that needs it, escaping quotes, and the completed line finds it: <Name> from <Typed>' -ForEach @(
        @{ Name = 'night shift'; Typed = 'night'; Expected = "'night shift'" }
        @{ Name = "o'brien"; Typed = 'o'''; Expected = "'o''brien'" }
        @{ Name = 'cost$centre'; Typed = 'cost'; Expected = "'cost`$centre'" }
        @{ Name = 'night shift'; Typed = "'night"; Expected = "'night shift'" }
        @{ Name = 'night shift'; Typed = '"night'; Expected = '"night shift"' }
        @{ Name = 'cost$centre'; Typed = '"cost'; Expected = '"cost`$centre"' }
    ) {
        Connect-ProviderAccount -Provider Krea -Name $Name -ApiKey (ConvertTo-SecureString 'k' -AsPlainText -Force)
        try {
            $completed = @(Complete "Get-ProviderAccount -Name $Typed")
            $completed | Should -Be $Expected
            $found = @(Invoke-Expression "Get-ProviderAccount -Name $($completed[0])")
            $found.Count | Should -Be 1
            $found[0].Name | Should -BeExactly $Name
        }
        finally { Disconnect-ProviderAccount -Name $Name }
    }

    It 'offers <Name> to <Line>, begun <Begun>, as text that binds back to that account alone' -ForEach @(
        $lines = 'Get-ProviderAccount -Name ', 'Get-ProviderJob -Account ', 'Disconnect-ProviderAccount -Name ', 'Stop-ProviderJob -Provider Krea -Account '
        $case = 0
        foreach ($name in 'night shift', "o'brien", 'say "hi"', 'cost$centre', '1e3', '0x10', '-dash', '#hash', 'a,b', '@at', 'brace{x}', "$([char]0x2018)smart$([char]0x2019)", "$([char]0x201c)curly$([char]0x201d)", 'équipe') {
            foreach ($begun in @{ Begun = 'bare'; Prefix = '' }, @{ Begun = 'with a single quote'; Prefix = "'" }, @{ Begun = 'with a double quote'; Prefix = '"' }) {
                @{ Name = $name; Begun = $begun.Begun; Line = $lines[$case++ % $lines.Count] + $begun.Prefix }
            }
        }
    ) {
        Clear-Accounts
        Connect-ProviderAccount -Provider Krea -Name $Name -ApiKey (Get-Key krea)
        Connect-ProviderAccount -Provider Krea -Name 'other' -ApiKey (Get-Key krea)
        try {
            $offered = @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | Where-Object ListItemText -CEQ $Name)
            $offered.Count | Should -Be 1
            $text = $offered[0].CompletionText

            $found = @(Invoke-Expression "Get-ProviderAccount -Name $text")
            $found.Count | Should -Be 1
            $found[0].Name | Should -BeExactly $Name
            $jobs = @(Invoke-Expression "Get-ProviderJob -Account $text -First 2")
            ($jobs.Account | Select-Object -Unique) | Should -BeExactly $Name
            Invoke-Expression "Disconnect-ProviderAccount -Name $text"
            (Get-ProviderAccount -Provider Krea).Name | Should -BeExactly 'other'
        }
        finally { Clear-Accounts }
    }

    It 'leaves a plain account name unquoted' {
        Connect-ProviderAccount -Provider Krea -Name krea-night -ApiKey (ConvertTo-SecureString 'k' -AsPlainText -Force)
        try { Complete 'Get-ProviderJob -Account krea-n' | Should -BeExactly 'krea-night' }
        finally { Disconnect-ProviderAccount -Name krea-night }
    }

    It 'does not offer ittybit kinds for Convertly' {
        Complete 'Get-ProviderJob -Provider Convertly -Kind vi' | Should -BeNullOrEmpty
    }
}
