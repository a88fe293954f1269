# What a server puts in a job's own data is trusted only as far as it is safe: a key the module knows is
# "(redacted)" wherever it is (typed fields, the error, extra fields, nested values, property names,
# unreadable values; list pages and single jobs), a value nested too deep is one unreadable field while the
# job, its page and the listing go on, unreadable bodies are described in the module's words, and a
# duration below zero is no duration.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Providers = @(Get-ProviderFacts)

    # Where each provider's jobs carry text a creator controls, as the list item and the single job spell it
    # (Convertly's single job is camelCase): a typed text field, the error, and a date that will not read.
    $KeyFields = @{
        PyannoteAI = @{ Typed = 'status'; Unreadable = 'updatedAt'; Error = 'output'; ErrorValue = { param($k, $o) @{ error = "bad $k"; warning = $o; diarization = @(@{ speaker = $k }) } } }
        Ittybit = @{ Typed = 'kind'; Unreadable = 'finished_at'; Error = 'error'; ErrorValue = { param($k, $o) @{ message = "failed with $k"; code = $o } } }
        Convertly = @{ Typed = 'job_type'; DetailTyped = 'jobType'; Unreadable = 'completed_at'; DetailUnreadable = 'completedAt'; Error = 'error_message'; DetailError = 'errorMessage'; ErrorValue = { param($k, $o) "Invalid key $k ($o)" } }
        Unstructured = @{ Typed = 'workflow_name'; Unreadable = 'runtime'; Error = 'workflow_id'; ErrorValue = { param($k, $o) "wf-$k-$o" } }
        Krea = @{ Typed = 'type'; Unreadable = 'completed_at'; Error = 'error'; ErrorValue = { param($k, $o) @{ message = "Invalid API key: $k"; code = "E-$o" } } }
    }
    foreach ($facts in $Providers) { $facts.Fields = $KeyFields[$facts.Name] }

    # A field each provider's creator controls, for a value nested 1,000 deep (Krea's result is read through
    # a nested reader; pyannoteAI's list item has no output, so the poison adds it).
    $DeepFields = @{ PyannoteAI = 'output'; Ittybit = 'metadata'; Convertly = 'results'; Unstructured = 'output_node_files'; Krea = 'result' }
    foreach ($facts in $Providers) { $facts.DeepField = $DeepFields[$facts.Name] }
    $EnvelopeProviders = @($Providers | Where-Object { $_.Name -in 'PyannoteAI', 'Convertly', 'Krea' })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force
    $CmdletId = 'JobsModule.Commands.GetProviderJobCommand'

    # Everything a user could see of a run: the objects as JSON, as CSV (one provider's columns and the
    # common ones), as a list view, and every other stream, warnings and errors included.
    function Get-Shown([object[]] $Output) {
        $jobs = @($Output | Where-Object { $_ -is [JobsModule.ProviderJob] })
        $path = Join-Path $TestDrive 'jobs.csv'
        $jobs | Export-Csv -Path $path -NoTypeInformation -Encoding utf8
        $csv = Get-Content -Raw $path
        $jobs | Select-Object CommonFields | Export-Csv -Path $path -NoTypeInformation -Encoding utf8
        $csv += Get-Content -Raw $path
        [pscustomobject]@{
            Jobs = $jobs
            Json = $jobs | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue
            Csv = $csv
            View = $jobs | Format-List * | Out-String -Width 4000
            Warnings = @($Output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message)
            Errors = @($Output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            Streams = $Output | Where-Object { $_ -isnot [JobsModule.ProviderJob] } | Out-String -Width 4000
        }
    }

    function Assert-NoKey([object] $Shown, [string[]] $Keys) {
        foreach ($key in $Keys) {
            $pattern = [regex]::Escape($key)
            $Shown.Json | Should -Not -Match $pattern
            $Shown.Csv | Should -Not -Match $pattern
            $Shown.View | Should -Not -Match $pattern
            $Shown.Streams | Should -Not -Match $pattern
            ($Shown.Errors | Format-List * -Force | Out-String -Width 4000) | Should -Not -Match $pattern
        }
        $Shown.Json | Should -Match '\(redacted\)'
        $Shown.Csv | Should -Match '\(redacted\)'
        ($Shown.Warnings -join "`n") | Should -Match '\(redacted\)' -Because 'the unreadable value held a key, and its warning shows it masked'
    }

    # One job with a key (this provider's own, and another provider's: both known to the module) in every kind
    # of field: typed text, the error, an extra field, a nested object and list, a property name at the top
    # and inside, and a value that cannot be read.
    function Get-KeyPoisons([hashtable] $Fields, [int] $Index, [string] $Key, [string] $Other, [switch] $Detail) {
        $typed = if ($Detail -and $Fields.DetailTyped) { $Fields.DetailTyped } else { $Fields.Typed }
        $unreadable = if ($Detail -and $Fields.DetailUnreadable) { $Fields.DetailUnreadable } else { $Fields.Unreadable }
        $errorField = if ($Detail -and $Fields.DetailError) { $Fields.DetailError } else { $Fields.Error }
        @(
            @{ index = $Index; field = $typed; value = "kind $Key" }
            @{ index = $Index; field = $errorField; value = (& $Fields.ErrorValue $Key $Other) }
            @{ index = $Index; field = 'note'; value = "created with $Other" }
            @{ index = $Index; field = 'nested'; value = @{ list = @(@{ token = $Key }, "Bearer tok-5f4e3d2c") } }
            @{ index = $Index; field = $Key; value = @{ $Other = 'named by keys' } }
            @{ index = $Index; field = $unreadable; value = "at $Key" }
        )
    }
}

Describe 'A key in a job''s own data (<Name>)' -ForEach $Providers {
    BeforeAll {
        Reset-Simulator
        Set-SimulatorEnvironment
        Set-SimulatorDataset $Name 30
        $info = Get-SimulatorInfo
        $key = $info.providers.$Sim.key
        $other = $info.providers.($(if ($Sim -eq 'krea') { 'ittybit' } else { 'krea' })).key
        $poisoned = @(Get-SimulatorJobId $Name)[3]
    }

    It 'is (redacted) in the listed objects, their JSON, CSV and views, and the warnings; the key is nowhere' {
        Set-SimulatorOption $Name @{ poison = @(Get-KeyPoisons $Fields 3 $key $other) }
        Clear-SimulatorLog
        # Debug output too (headers), without -Debug, which would stop to ask at the first warning.
        $DebugPreference = 'Continue'
        $shown = Get-Shown @(Get-ProviderJob -Provider $Name -Verbose *>&1)

        $shown.Jobs.Count | Should -Be 30
        $shown.Errors.Count | Should -Be 0
        Assert-NoKey $shown $key, $other
        $job = $shown.Jobs | Where-Object Id -eq $poisoned
        $job.ExtraFields.note | Should -Be 'created with (redacted)'
        $job.ExtraFields['(redacted)']['(redacted)'] | Should -Be 'named by keys'
        $job.ExtraFields.nested.list[0].token | Should -Be '(redacted)'
        $job.ExtraFields.nested.list[1] | Should -Be 'Bearer (redacted)'
        $job.UnreadableFields.Values | Should -Be 'at (redacted)'
        @(Get-SimulatorLog $Name | Where-Object fault -eq 'poison').Count | Should -Be 1
        # The other jobs are as sent.
        @($shown.Jobs | Where-Object { $_.Id -ne $poisoned -and $_.UnreadableFields }).Count | Should -Be 0
    }

    It 'is (redacted) in a job read by id, in the object, its JSON, CSV and views, and the warnings' {
        Set-SimulatorOption $Name @{ poison = @(Get-KeyPoisons $Fields 3 $key $other -Detail) }
        Clear-SimulatorLog
        $shown = Get-Shown @(Get-ProviderJob -Provider $Name -Id $poisoned -Verbose *>&1)

        $shown.Jobs.Count | Should -Be 1
        $shown.Errors.Count | Should -Be 0
        Assert-NoKey $shown $key, $other
        $shown.Jobs[0].ExtraFields.note | Should -Be 'created with (redacted)'
        @(Get-SimulatorLog $Name).Count | Should -Be 1
    }

    It 'is (redacted) in what Wait-ProviderJob writes' {
        Set-SimulatorOption $Name @{ poison = @(Get-KeyPoisons $Fields 3 $key $other -Detail) }
        $shown = Get-Shown @(Wait-ProviderJob -Provider $Name -Id $poisoned -Timeout 0 *>&1)

        $shown.Jobs.Count | Should -Be 1
        Assert-NoKey $shown $key, $other
    }
}

Describe 'A value nested 1,000 deep (<Name>)' -ForEach $Providers {
    BeforeAll {
        Reset-Simulator
        Set-SimulatorEnvironment
        Set-SimulatorDataset $Name 250
        $ids = @(Get-SimulatorJobId $Name)
    }

    It 'loses that field only: every job of every page is listed, with one warning' {
        Set-SimulatorOption $Name @{ poison = @{ index = 120; field = $DeepField; value = 'leaf'; nest = 1000 } }
        Clear-SimulatorLog
        $pageSize = if ($Max) { @{ PageSize = 100 } } else { @{} }
        $output = @(Get-ProviderJob -Provider $Name @pageSize *>&1)
        $shown = Get-Shown $output

        $shown.Errors.Count | Should -Be 0
        if ($Ordered) { ($shown.Jobs.Id -join ',') | Should -Be ($ids -join ',') }
        else { (($shown.Jobs.Id | Sort-Object) -join ',') | Should -Be (($ids | Sort-Object) -join ',') }
        $deep = $shown.Jobs | Where-Object Id -eq $ids[120]
        @($deep.UnreadableFields.Keys) | Should -Be $DeepField
        $deep.UnreadableFields[$DeepField] | Should -BeLike '{"nested":{"nested":*... (11,006 characters)'
        $deep.UnreadableFields[$DeepField].Length | Should -Be (1024 + '... (11,006 characters)'.Length)
        $shown.Warnings.Count | Should -Be 1
        $shown.Warnings[0] | Should -Match ([regex]::Escape("'$($ids[120])'"))
        $shown.Warnings[0] | Should -Match ([regex]::Escape("'$DeepField'"))
        $shown.Streams | Should -Not -Match 'LineNumber|BytePositionInLine|depth'
        $shown.Json | Should -Not -BeNullOrEmpty
        $log = @(Get-SimulatorLog $Name)
        $log.Count | Should -Be $(if ($Max) { 3 } else { 1 })
        @($log | Where-Object fault -eq 'poison').Count | Should -Be 1
        if ($Max) { @($log | Where-Object status -ne 200).Count | Should -Be 0 }
    }

    It 'loses that field only in a job read by id' {
        Set-SimulatorOption $Name @{ poison = @{ index = 120; field = $DeepField; value = 'leaf'; nest = 1000 } }
        Clear-SimulatorLog
        $shown = Get-Shown @(Get-ProviderJob -Provider $Name -Id $ids[120] *>&1)

        $shown.Errors.Count | Should -Be 0
        $shown.Jobs.Count | Should -Be 1
        $shown.Jobs[0].Id | Should -Be $ids[120]
        $shown.Jobs[0].UnreadableFields[$DeepField] | Should -BeLike '{"nested":*'
        $shown.Warnings.Count | Should -Be 1
        ($shown.Jobs[0] | ConvertTo-Json -Depth 10 -Compress) | Should -Match '"UnreadableFields":\{'
        @(Get-SimulatorLog $Name).Count | Should -Be 1
    }
}

Describe 'A page field nested 1,000 deep (<Name>)' -ForEach $EnvelopeProviders {
    BeforeAll { Reset-Simulator; Set-SimulatorEnvironment; Set-SimulatorDataset $Name 250 }

    It 'costs nothing: every page is read and followed, with no warning or error' {
        Set-SimulatorOption $Name @{ pageField = @{ field = 'trace'; value = 1; nest = 1000 } }
        Clear-SimulatorLog
        $output = @(Get-ProviderJob -Provider $Name -PageSize 100 *>&1)
        $jobs = @($output | Where-Object { $_ -is [JobsModule.ProviderJob] })

        ($jobs.Id -join ',') | Should -Be ((Get-SimulatorJobId $Name) -join ',')
        @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -or $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 0
        $log = @(Get-SimulatorLog $Name)
        $log.Count | Should -Be 3
        @($log | Where-Object fault -eq 'pageField').Count | Should -Be 3
    }
}

Describe 'Unreadable bodies in the module''s words' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'an HTML page for <What> names its content type and where it stopped being JSON, not the JSON reader''s text' -ForEach @(
        @{ What = 'a list page'; Call = { Get-ProviderJob -Provider Krea -ErrorAction Continue } }
        @{ What = 'a job read by id'; Call = { Get-ProviderJob -Provider Krea -Id (Get-SimulatorJobId Krea)[0] -ErrorAction Continue } }
    ) {
        Set-SimulatorOption Krea @{ corruptBody = 'html' }
        Clear-SimulatorLog
        $problems = @(& $Call 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $problems.Count | Should -Be 1
        @(Get-SimulatorLog Krea).Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "ProviderResponseInvalid,$CmdletId"
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problems[0].Exception.Message | Should -Match 'content type text/html\): the body is not valid JSON \(it is not JSON from its first byte on\)\.$'
        $problems[0].Exception.Message | Should -Not -Match 'LineNumber|BytePositionInLine|invalid start'
    }
}

Describe 'Durations below zero' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment; Set-SimulatorDataset Unstructured 10; Set-SimulatorDataset Krea 10 }

    It 'an Unstructured runtime of <Runtime> is unreadable: Duration empty, the value kept, one warning' -ForEach @(@{ Runtime = 'PT-5S' }, @{ Runtime = '-PT5S' }) {
        $id = @(Get-SimulatorJobId Unstructured)[2]
        Set-SimulatorOption Unstructured @{ poison = @{ index = 2; field = 'runtime'; value = $Runtime } }
        $output = @(Get-ProviderJob -Provider Unstructured 3>&1)
        $job = $output | Where-Object { $_ -is [JobsModule.ProviderJob] -and $_.Id -eq $id }
        $job.Duration | Should -BeNullOrEmpty
        $job.DurationSeconds | Should -BeNullOrEmpty
        $job.UnreadableFields.runtime | Should -Be $Runtime
        $warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -Match "'runtime'"
    }

    It 'a Krea job completed before it was created has no Duration' {
        $id = @(Get-SimulatorJobId Krea)[1]
        Set-SimulatorOption Krea @{ poison = @{ index = 1; field = 'completed_at'; value = '2001-01-01T00:00:00.000Z' } }
        $job = Get-ProviderJob -Provider Krea -Id $id
        $job.CompletedAt.Year | Should -Be 2001
        $job.Duration | Should -BeNullOrEmpty
        $job.UnreadableFields | Should -BeNullOrEmpty
    }
}
