# Security and bad input, against the simulator: every bad input is refused with the module's own error
# before anything is sent; ids stay in their URL segment; keys a server repeats back never reach the user;
# next pages stay under the base URL; -First 0 sends nothing; each ForEach-Object -Parallel task has its
# own accounts.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Providers = @(Get-ProviderFacts)
    $Get = 'JobsModule.Commands.GetProviderJobCommand'
    $Connect = 'JobsModule.Commands.ConnectProviderAccountCommand'

    # One row per parameter or variable and kind of bad value: the command, the error id and category.
    # Binding-time checks (ranges, patterns, blanks) keep PowerShell's own id for them, as every cmdlet does.
    $BadInputs = @(
        @{ What = '-ApiKey, an empty SecureString'; Id = "ApiKeyEmpty,$Get"; Category = 'InvalidArgument'; Target = '-ApiKey'
            Call = { Get-ProviderJob -Provider Krea -ApiKey ([securestring]::new()) } }
        @{ What = '-ApiKey, blank'; Id = "ApiKeyEmpty,$Get"; Category = 'InvalidArgument'; Target = '-ApiKey'
            Call = { Get-ProviderJob -Provider Krea -ApiKey (ConvertTo-SecureString '   ' -AsPlainText -Force) } }
        @{ What = '-ApiKey with a line break'; Id = "InvalidApiKey,$Get"; Category = 'InvalidArgument'; Target = '-ApiKey'
            Call = { Get-ProviderJob -Provider Krea -ApiKey (ConvertTo-SecureString "sk-1234`nX-Evil: 1" -AsPlainText -Force) } }
        @{ What = '-ApiKey with a non-ASCII letter'; Id = "InvalidApiKey,$Get"; Category = 'InvalidArgument'; Target = '-ApiKey'
            Call = { Get-ProviderJob -Provider Krea -ApiKey (ConvertTo-SecureString 'clé-secrète-1234' -AsPlainText -Force) } }
        @{ What = 'KREA_API_KEY with a line break'; Id = "InvalidApiKey,$Get"; Category = 'InvalidArgument'; Target = 'KREA_API_KEY'
            Variables = @{ KREA_API_KEY = "sk-1234`r`nX-Evil: 1" }; Call = { Get-ProviderJob -Provider Krea } }
        @{ What = 'UNSTRUCTURED_API_KEY with a non-ASCII letter'; Id = "InvalidApiKey,$Get"; Category = 'InvalidArgument'; Target = 'UNSTRUCTURED_API_KEY'
            Variables = @{ UNSTRUCTURED_API_KEY = 'ключ-1234' }; Call = { Get-ProviderJob -Provider Unstructured } }
        @{ What = 'Connect-ProviderAccount -ApiKey with a line break'; Id = "InvalidApiKey,$Connect"; Category = 'InvalidArgument'; Target = '-ApiKey'
            Call = { Connect-ProviderAccount -Provider Krea -ApiKey (ConvertTo-SecureString "a`nb-1234" -AsPlainText -Force) } }
        @{ What = 'Connect-ProviderAccount -Credential, a blank password'; Id = "ApiKeyEmpty,$Connect"; Category = 'InvalidArgument'; Target = '-Credential'
            Call = { Connect-ProviderAccount -Provider Krea -Credential ([pscredential]::new('team', (ConvertTo-SecureString ' ' -AsPlainText -Force))) } }
        @{ What = 'Connect-ProviderAccount -FromEnvironment, a bad variable'; Id = "InvalidApiKey,$Connect"; Category = 'InvalidArgument'; Target = 'KREA_API_KEY'
            Variables = @{ KREA_API_KEY = "sk`t1234" }; Call = { Connect-ProviderAccount -Provider Krea -FromEnvironment } }
        @{ What = '-CreatedBefore [datetime]::MaxValue'; Id = "DateOutOfRange,$Get"; Category = 'InvalidArgument'
            Call = { Get-ProviderJob -Provider Krea -CreatedBefore ([datetime]::MaxValue) } }
        @{ What = '-CreatedAfter [datetime]::MinValue, several providers'; Id = "DateOutOfRange,$Get"; Category = 'InvalidArgument'
            Call = { Get-ProviderJob -CreatedAfter ([datetime]::MinValue) } }
        @{ What = '-TimeoutSec 100000000'; Id = "ParameterArgumentValidationError,$Get"; Category = 'InvalidData'
            Call = { Get-ProviderJob -Provider Krea -TimeoutSec 100000000 } }
        @{ What = 'Wait-ProviderJob -TimeoutSec 100000000'; Id = 'ParameterArgumentValidationError,JobsModule.Commands.WaitProviderJobCommand'; Category = 'InvalidData'
            Call = { Wait-ProviderJob -Provider Krea -Id x -TimeoutSec 100000000 } }
        @{ What = 'Stop-ProviderJob -TimeoutSec 0'; Id = 'ParameterArgumentValidationError,JobsModule.Commands.StopProviderJobCommand'; Category = 'InvalidData'
            Call = { Stop-ProviderJob -Provider Krea -Id x -TimeoutSec 0 -Confirm:$false } }
        @{ What = 'Remove-ProviderJob -TimeoutSec 0'; Id = 'ParameterArgumentValidationError,JobsModule.Commands.RemoveProviderJobCommand'; Category = 'InvalidData'
            Call = { Remove-ProviderJob -Provider Krea -Id x -TimeoutSec 0 -Confirm:$false } }
        @{ What = '-RetryIntervalSec 100000'; Id = "ParameterArgumentValidationError,$Get"; Category = 'InvalidData'
            Call = { Get-ProviderJob -Provider Krea -RetryIntervalSec 100000 } }
        @{ What = '-MaximumRetryCount 1000'; Id = "ParameterArgumentValidationError,$Get"; Category = 'InvalidData'
            Call = { Get-ProviderJob -Provider Krea -MaximumRetryCount 1000 } }
        @{ What = '-Account ['; Id = "ParameterArgumentValidationError,$Get"; Category = 'InvalidData'
            Call = { Get-ProviderJob -Account '[' } }
        @{ What = 'Get-ProviderAccount -Name ['; Id = 'ParameterArgumentValidationError,JobsModule.Commands.GetProviderAccountCommand'; Category = 'InvalidData'
            Call = { Get-ProviderAccount -Name '[' } }
        @{ What = 'Stop-ProviderJob -Account ['; Id = 'ParameterArgumentValidationError,JobsModule.Commands.StopProviderJobCommand'; Category = 'InvalidData'
            Call = { Stop-ProviderJob -Provider Krea -Id x -Account '[' -Confirm:$false } }
        @{ What = '-Kind blank'; Id = "ParameterArgumentValidationError,$Get"; Category = 'InvalidData'
            Call = { Get-ProviderJob -Provider Krea -Kind ' ' } }
        @{ What = '-WorkflowId blank'; Id = "ParameterArgumentValidationError,$Get"; Category = 'InvalidData'
            Call = { Get-ProviderJob -Provider Unstructured -WorkflowId ' ' } }
        @{ What = '-InputUri blank'; Id = "ParameterArgumentValidationError,$Get"; Category = 'InvalidData'
            Call = { Get-ProviderJob -Provider Ittybit -InputUri '' } }
        @{ What = 'Connect-ProviderAccount -Name blank'; Id = "ParameterArgumentValidationError,$Connect"; Category = 'InvalidData'
            Call = { Connect-ProviderAccount -Provider Krea -Name ' ' -ApiKey (ConvertTo-SecureString 'sk-1234' -AsPlainText -Force) } }
        @{ What = '-Id of 100,000 characters'; Id = "InvalidJobId,$Get"; Category = 'InvalidArgument'
            Call = { Get-ProviderJob -Provider Krea -Id ('a' * 100000) } }
        @{ What = '-Id blank'; Id = "InvalidJobId,$Get"; Category = 'InvalidArgument'
            Call = { Get-ProviderJob -Provider Krea -Id ' ' } }
        @{ What = '-Id with a line break'; Id = "InvalidJobId,$Get"; Category = 'InvalidArgument'
            Call = { Get-ProviderJob -Provider Krea -Id "a`nb" } }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force
    function Get-Key([string] $Sim) { ConvertTo-SecureString (Get-SimulatorInfo).providers.$Sim.key -AsPlainText -Force }

    function Get-CallError([scriptblock] $Call) {
        # Terminating and non-terminating errors alike, as a script would see them; output is dropped.
        $errors = [System.Collections.Generic.List[object]]::new()
        try { & $Call 2>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { $errors.Add($_) } } }
        catch { $errors.Add($_) }
        , $errors.ToArray()
    }
}

Describe 'Bad input is refused before anything is sent' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment; Clear-SimulatorLog }
    AfterEach { Set-SimulatorEnvironment; Get-ProviderAccount | Where-Object IsConnected | Disconnect-ProviderAccount }

    It '<What>: <Id>' -ForEach $BadInputs {
        if ($Variables) { foreach ($pair in $Variables.GetEnumerator()) { Set-Item "env:$($pair.Key)" $pair.Value } }
        $errors = Get-CallError $Call

        $errors.Count | Should -BeGreaterThan 0 -Because 'bad input is an error'
        $errors[0].FullyQualifiedErrorId | Should -Be $Id
        $errors[0].CategoryInfo.Category | Should -Be $Category
        if ($Target) { $errors[0].TargetObject | Should -Be $Target }
        $errors[0].Exception.Message | Should -Not -Match 'System\.[A-Za-z]+Exception'
        $errors[0].Exception.Message.Length | Should -BeLessThan 800
        (Get-SimulatorLog).Count | Should -Be 0 -Because 'nothing is sent'
    }
}

Describe 'Ids stay in their URL segment (<Name>)' -ForEach $Providers {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment; Clear-SimulatorLog }

    It 'Get-ProviderJob -Id . and .. are InvalidJobId, nothing is sent, the other ids go on' {
        $good = (Get-SimulatorJobId $Name)[0]
        $jobs = @(Get-ProviderJob -Provider $Name -Id '.', '..', $good -ErrorVariable problems -ErrorAction SilentlyContinue)
        $jobs.Id | Should -Be $good
        $problems.Count | Should -Be 2
        $problems | ForEach-Object {
            $_.FullyQualifiedErrorId | Should -Be 'InvalidJobId,JobsModule.Commands.GetProviderJobCommand'
            $_.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
        ($problems.TargetObject -join ',') | Should -Be '.,..'
        $log = @(Get-SimulatorLog $Name)
        $log.Count | Should -Be 1
        $log[0].path | Should -Match ([regex]::Escape('/' + [uri]::EscapeDataString($good)) + '$')
    }

    It 'Stop-, Remove- and Wait-ProviderJob refuse . and .. the same way, also when piped' {
        $piped = (Get-ProviderJob -Provider $Name -First 1)
        $dots = $piped.psobject.Copy()
        Clear-SimulatorLog
        foreach ($command in 'Stop-ProviderJob', 'Remove-ProviderJob') {
            & $command -Provider $Name -Id '.', '..' -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
            @($problems.FullyQualifiedErrorId | Select-Object -Unique) | Should -Be "InvalidJobId,JobsModule.Commands.$($command -replace '-', '')Command"
        }
        Wait-ProviderJob -Provider $Name -Id '..' -Timeout 0 -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -Be 'InvalidJobId,JobsModule.Commands.WaitProviderJobCommand'
        (Get-SimulatorLog).Count | Should -Be 0
    }

    It 'an id with slashes, dots and query characters reaches the server as one segment' {
        New-SimulatorLiveJob $Name @(@{ id = '../a/b?c=d#e'; runMs = 600000 })
        Clear-SimulatorLog
        (Get-ProviderJob -Provider $Name -Id '../a/b?c=d#e').Id | Should -Be '../a/b?c=d#e'
        $log = @(Get-SimulatorLog $Name)
        $log.Count | Should -Be 1
        $log[0].status | Should -Be 200
    }
}

Describe 'A key a server repeats back never reaches the user (<Name>)' -ForEach $Providers {
    BeforeAll {
        Reset-Simulator
        Set-SimulatorEnvironment
        $right = (Get-SimulatorInfo).providers.($Sim).key
        $wrong = "wrong-$Name-key-0123456789"
    }
    AfterEach { Set-SimulatorEnvironment; Get-ProviderAccount | Where-Object IsConnected | Disconnect-ProviderAccount }

    It 'in no stream, error, ErrorDetails or exception property, whether the key is wrong (401) or right (400, 503)' {
        Set-SimulatorOption $Name @{ echoKey = $true }
        $Error.Clear()
        $text = & {
            Set-Item "env:$KeyVariable" $wrong
            Get-ProviderJob -Provider $Name -Verbose -Debug -ErrorAction Continue
            Connect-ProviderAccount -Provider $Name -Name echo -ApiKey (ConvertTo-SecureString $wrong -AsPlainText -Force) -Validate -ErrorAction Continue
            Set-SimulatorEnvironment
            Set-SimulatorOption $Name @{ echoKey = $true; failStatus = 400; failCount = 2 }
            Get-ProviderJob -Provider $Name -MaximumRetryCount 0 -Verbose -Debug -ErrorAction Continue
            Get-ProviderJob -Provider $Name -Id 'any-id' -MaximumRetryCount 0 -ErrorAction Continue
            Set-SimulatorOption $Name @{ echoKey = $true; failStatus = 503; failCount = 1; retryAfter = '0' }
            Get-ProviderJob -Provider $Name -MaximumRetryCount 0 -Debug -ErrorAction Continue
        } *>&1 | Out-String -Width 1000
        $errors = $Error | Format-List * -Force | Out-String -Width 1000
        $properties = $Error | ForEach-Object {
            $_.ErrorDetails.Message
            $_.Exception.Message
            if ($_.Exception -is [JobsModule.ProviderRequestException]) {
                $_.Exception.ProviderMessage, $_.Exception.ProviderErrorCode, $_.Exception.RequestId, $_.Exception.RequestUri
            }
        } | Out-String -Width 1000

        @($Error).Count | Should -BeGreaterOrEqual 4
        foreach ($key in $right, $wrong) {
            $text | Should -Not -Match ([regex]::Escape($key))
            $errors | Should -Not -Match ([regex]::Escape($key))
            $properties | Should -Not -Match ([regex]::Escape($key))
        }
        $properties | Should -Match '\(redacted\)' -Because 'the server did repeat the key, and it was taken out'
    }

    It 'not in a child pwsh''s default error view' {
        Set-SimulatorOption $Name @{ echoKey = $true }
        Set-Item "env:$KeyVariable" $wrong
        try { $output = Invoke-ModuleProcess "Get-ProviderJob -Provider $Name; `$Error | Get-Error" }
        finally { Set-SimulatorEnvironment }
        $output | Should -Match 'ProviderAuthenticationFailed'
        $output | Should -Not -Match ([regex]::Escape($wrong))
    }
}

Describe 'A next page on another path of the same host' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'is refused with ProviderRedirectRefused, and no request goes there' {
        Set-SimulatorDataset Ittybit 250
        Set-SimulatorOption Ittybit @{ linkPath = '/krea/jobs' }
        Clear-SimulatorLog
        # With -PageSize the size stays, so the module follows ittybit's Link rather than its after cursor.
        $jobs = @(Get-ProviderJob -Provider Ittybit -PageSize 100 -ErrorVariable problems -ErrorAction SilentlyContinue)
        $jobs.Count | Should -Be 100
        $problems[0].FullyQualifiedErrorId | Should -Be 'ProviderRedirectRefused,JobsModule.Commands.GetProviderJobCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'SecurityError'
        $problems[0].Exception.Message | Should -Match '/krea/jobs'
        @(Get-SimulatorLog Krea).Count | Should -Be 0
        @(Get-SimulatorLog Ittybit).Count | Should -Be 1
    }
}

Describe '-First 0' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment; Clear-SimulatorLog }

    It 'writes nothing and sends nothing (<Case>)' -ForEach @(
        @{ Case = 'a listing'; Call = { Get-ProviderJob -First 0 } }
        @{ Case = '-Id'; Call = { Get-ProviderJob -Provider Krea -Id 'a', 'b' -First 0 } }
    ) {
        @(& $Call).Count | Should -Be 0
        (Get-SimulatorLog).Count | Should -Be 0
    }

    It 'still checks the input first' {
        { Get-ProviderJob -Provider PyannoteAI -Kind video -First 0 } | Should -Throw -ErrorId 'FilterNotSupported,JobsModule.Commands.GetProviderJobCommand'
    }

    It '-Skip and -First count the ids given to -Id' {
        $ids = @(Get-SimulatorJobId Krea)[0..3]
        (Get-ProviderJob -Provider Krea -Id $ids -Skip 1 -First 2).Id -join ',' | Should -Be ($ids[1..2] -join ',')
    }
}

Describe 'ForEach-Object -Parallel' {
    BeforeAll { Reset-Simulator; Set-SimulatorEnvironment }

    It 'gives each task its own accounts, even in a reused runspace' {
        $module = $env:JOBSMODULE_MODULE_PATH
        $key = (Get-SimulatorInfo).providers.krea.key
        $seen = 1..6 | ForEach-Object -ThrottleLimit 2 -Parallel {
            Import-Module $using:module
            Connect-ProviderAccount -Provider Krea -Name "tenant-$_" -ApiKey (ConvertTo-SecureString $using:key -AsPlainText -Force)
            [pscustomobject]@{ Task = $_; Accounts = @(Get-ProviderAccount -Provider Krea | Where-Object IsConnected).Name -join ','; Runspace = [runspace]::DefaultRunspace.InstanceId }
        }
        @($seen).Count | Should -Be 6
        foreach ($task in $seen) { $task.Accounts | Should -Be "tenant-$($task.Task)" }
        @($seen.Runspace | Select-Object -Unique).Count | Should -BeLessThan 6 -Because 'the runspaces were reused, which is what this is about'
    }
}
