# Get-ProviderJob against the provider simulator over loopback, with the built module.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Providers = @(Get-ProviderFacts)
    $PagedProviders = @($Providers | Where-Object Max)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force
    $CmdletId = 'JobsModule.Commands.GetProviderJobCommand'
    function Get-PageSizeParameter([string] $Name) { 'limit' }
}

Describe '<Name>: a full listing equals the dataset' -ForEach $Providers {
    BeforeAll {
        Reset-Simulator
        Set-SimulatorEnvironment
    }

    It 'lists all <Count> jobs once each, in the provider''s order, with the expected requests' -ForEach @(
        $pageSize = if ($Max) { $Max } else { 100 }
        foreach ($count in 0, 1, ($pageSize - 1), $pageSize, ($pageSize + 1), 2500) { @{ Count = $count; PageSize = $Max } }
    ) {
        Set-SimulatorDataset $Name $Count
        Clear-SimulatorLog
        $jobs = @(Get-ProviderJob -Provider $Name)
        $expected = Get-SimulatorJobId $Name

        $jobs.Count | Should -Be $Count
        @($jobs.Id | Select-Object -Unique).Count | Should -Be $Count
        if ($Ordered) {
            ($jobs.Id -join ',') | Should -Be ($expected -join ',')
            $created = @($jobs.CreatedAt)
            ($created -join ',') | Should -Be ((@($created | Sort-Object -Descending)) -join ',')
        }
        else {
            (($jobs.Id | Sort-Object) -join ',') | Should -Be (($expected | Sort-Object) -join ',')
        }
        $jobs | ForEach-Object { $_.Provider | Should -Be $Name; $_ | Should -BeOfType ([JobsModule.ProviderJob]) }

        $log = @(Get-SimulatorLog $Name)
        $log.Count | Should -Be (Get-ExpectedRequestCount $Count $PageSize)
        $log | ForEach-Object { $_.status | Should -Be 200 }
        if ($PageSize) {
            # A small first page (so that the first job comes quickly), then the provider's maximum.
            (ConvertTo-PlainQuery $log[0].query)[(Get-PageSizeParameter $Name)] | Should -Be ([string](Get-FirstPageSize))
            $log | Select-Object -Skip 1 | ForEach-Object { (ConvertTo-PlainQuery $_.query)[(Get-PageSizeParameter $Name)] | Should -Be ([string]$PageSize) }
        }
    }
}

Describe '<Name>: paging queries' -ForEach $PagedProviders {
    BeforeAll {
        Reset-Simulator
        Set-SimulatorEnvironment
        Set-SimulatorDataset $Name ($Max + 1)
        Clear-SimulatorLog
        $script:jobs = @(Get-ProviderJob -Provider $Name)
        $script:log = Get-SimulatorLog $Name
        $script:dataset = Get-SimulatorJob $Name
    }

    It 'asks for a small first page by default, then the provider''s maximum' {
        $first = ConvertTo-PlainQuery $log[0].query
        $first[(Get-PageSizeParameter $Name)] | Should -Be ([string](Get-FirstPageSize))
        $log | Select-Object -Skip 1 | ForEach-Object { (ConvertTo-PlainQuery $_.query)[(Get-PageSizeParameter $Name)] | Should -Be ([string]$Max) }
    }

    It 'asks for the second page as documented' {
        $log.Count | Should -Be (Get-ExpectedRequestCount ($Max + 1) $Max)
        $firstSize = Get-FirstPageSize
        $second = ConvertTo-PlainQuery $log[1].query
        switch ($Name) {
            'PyannoteAI' { $second.cursor | Should -BeExactly $dataset[$firstSize - 1].id; $second.limit | Should -Be "$Max" }
            'Convertly' { $second.offset | Should -Be "$firstSize"; $second.limit | Should -Be "$Max" }
            'Ittybit' { $second.after | Should -Be $dataset[$firstSize - 1].id }
            'Krea' { $second.cursor | Should -BeExactly $dataset[$firstSize - 1].created_at }
        }
        $jobs.Count | Should -Be ($Max + 1)
    }

    It '-First 3 sends one request for exactly 3 jobs' {
        Set-SimulatorDataset $Name 2500
        Clear-SimulatorLog
        $three = @(Get-ProviderJob -Provider $Name -First 3)
        ($three.Id -join ',') | Should -Be ((Get-SimulatorJobId $Name)[0..2] -join ',')
        $requests = Get-SimulatorLog $Name
        $requests.Count | Should -Be 1
        (ConvertTo-PlainQuery $requests[0].query)[(Get-PageSizeParameter $Name)] | Should -Be '3'
    }

    It 'Select-Object -First 3 sends exactly one request' {
        Set-SimulatorDataset $Name 2500
        Clear-SimulatorLog
        $three = @(Get-ProviderJob -Provider $Name | Select-Object -First 3)
        $three.Count | Should -Be 3
        (Get-SimulatorLog $Name).Count | Should -Be 1
    }

    It '-Skip 2 -First 3 gives the third to fifth jobs' {
        Set-SimulatorDataset $Name 50
        $some = @(Get-ProviderJob -Provider $Name -Skip 2 -First 3)
        ($some.Id -join ',') | Should -Be ((Get-SimulatorJobId $Name)[2..4] -join ',')
    }

    It '-PageSize sets only the page size' {
        Set-SimulatorDataset $Name 25
        Clear-SimulatorLog
        $all = @(Get-ProviderJob -Provider $Name -PageSize 10)
        $all.Count | Should -Be 25
        $requests = Get-SimulatorLog $Name
        $requests.Count | Should -Be 3
        $requests | ForEach-Object { (ConvertTo-PlainQuery $_.query)[(Get-PageSizeParameter $Name)] | Should -Be '10' }
    }

    It 'rejects -PageSize above the maximum before sending anything' {
        Clear-SimulatorLog
        { Get-ProviderJob -Provider $Name -PageSize ($Max + 1) } | Should -Throw -ErrorId "PageSizeOutOfRange,$CmdletId"
        $err = $null
        try { Get-ProviderJob -Provider $Name -PageSize ($Max + 1) } catch { $err = $_ }
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Be $Name
        (Get-SimulatorLog).Count | Should -Be 0
    }
}

Describe 'Totals' {
    BeforeAll { Reset-Simulator; Set-SimulatorEnvironment }

    It '-IncludeTotalCount reports <Name>''s total' -ForEach @(@{ Name = 'PyannoteAI'; Route = 'v1' }, @{ Name = 'Convertly' }) {
        if ($Route) { Use-PyannoteV1Route }
        Set-SimulatorDataset $Name 250
        $output = @(Get-ProviderJob -Provider $Name -IncludeTotalCount -First 5)
        @($output | Where-Object { $_ -is [JobsModule.ProviderJob] }).Count | Should -Be 5
        $total = $output | Where-Object { $_ -isnot [JobsModule.ProviderJob] }
        [uint64]$total.psobject.BaseObject | Should -Be 250
    }
}

Describe '-IncludeTotalCount -First 0: the count alone' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It '<Name>: <Says>' -ForEach @(
        @{ Name = 'Convertly'; Says = 'a page of one, and its total'; Requests = @('?limit=1&offset=0'); Total = 250; Accuracy = 1 }
        @{ Name = 'Unstructured'; Says = 'its one unpaged list, and its length'; Requests = @(''); Total = 250; Accuracy = 1 }
        @{ Name = 'PyannoteAI'; Says = 'nothing sent: /v2/jobs gives no total'; Requests = @(); Total = 0; Accuracy = 0 }
        @{ Name = 'Ittybit'; Says = 'nothing sent: it gives no total'; Requests = @(); Total = 0; Accuracy = 0 }
        @{ Name = 'Krea'; Says = 'nothing sent: it gives no total'; Requests = @(); Total = 0; Accuracy = 0 }
    ) {
        Set-SimulatorDataset $Name 250
        Clear-SimulatorLog
        $output = @(Get-ProviderJob -Provider $Name -IncludeTotalCount -First 0)
        $output.Count | Should -Be 1
        $output[0] | Should -Not -BeOfType ([JobsModule.ProviderJob])
        [uint64]$output[0].psobject.BaseObject | Should -Be $Total
        $output[0].Accuracy | Should -Be $Accuracy
        $log = @(Get-SimulatorLog $Name)
        ($log.query -join ' | ') | Should -Be ($Requests -join ' | ')
        @($log | Where-Object method -ne 'GET').Count | Should -Be 0
    }

    It 'pyannoteAI where only /v1/jobs answers: a page of one, once the module knows the route' {
        Use-PyannoteV1Route
        Set-SimulatorDataset PyannoteAI 250
        $null = Get-ProviderJob -Provider PyannoteAI -First 1
        Clear-SimulatorLog
        $output = @(Get-ProviderJob -Provider PyannoteAI -IncludeTotalCount -First 0)
        $output.Count | Should -Be 1
        [uint64]$output[0].psobject.BaseObject | Should -Be 250
        $output[0].Accuracy | Should -Be 1
        $log = @(Get-SimulatorLog PyannoteAI)
        $log.Count | Should -Be 1
        $log[0].path | Should -Match '/v1/jobs$'
        $log[0].query | Should -Be '?take=1&skip=0'
    }

    It 'a status the provider filters on is sent with the page of one; one the module filters sends nothing' {
        Set-SimulatorDataset Convertly 250
        $pending = @(Get-SimulatorJob Convertly | Where-Object status -eq 'pending').Count
        Clear-SimulatorLog
        $queued = Get-ProviderJob -Provider Convertly -Status Queued -IncludeTotalCount -First 0
        [uint64]$queued.psobject.BaseObject | Should -Be $pending
        $queued.Accuracy | Should -Be 1
        (@(Get-SimulatorLog Convertly).query -join ' | ') | Should -Be '?limit=1&offset=0&status=pending'
        Clear-SimulatorLog
        # Two statuses are filtered by the module, so the provider's total would not be theirs: unknown.
        $two = Get-ProviderJob -Provider Convertly -Status Queued, Running -IncludeTotalCount -First 0
        $two.Accuracy | Should -Be 0
        @(Get-SimulatorLog Convertly).Count | Should -Be 0
    }

    It 'several providers: the totals added up, exact only when each is known' {
        foreach ($name in 'Convertly', 'Unstructured', 'Krea') { Set-SimulatorDataset $name 250 }
        Set-SimulatorDataset Unstructured 40
        Clear-SimulatorLog
        $known = Get-ProviderJob -Provider Convertly, Unstructured -IncludeTotalCount -First 0
        [uint64]$known.psobject.BaseObject | Should -Be 290
        $known.Accuracy | Should -Be 1
        @(Get-SimulatorLog).Count | Should -Be 2
        Clear-SimulatorLog
        $output = @(Get-ProviderJob -Provider Convertly, Unstructured, Krea -IncludeTotalCount -First 0)
        $output.Count | Should -Be 1
        [uint64]$output[0].psobject.BaseObject | Should -Be 290
        $output[0].Accuracy | Should -Be 0
        @(Get-SimulatorLog Krea).Count | Should -Be 0
    }

    It 'an account whose total cannot be read writes its error, and the total is unknown' {
        Set-SimulatorOption Convertly @{ failStatus = 401; failCount = 1 }
        $output = @(Get-ProviderJob -Provider Convertly, Unstructured -IncludeTotalCount -First 0 -ErrorVariable problems -ErrorAction SilentlyContinue)
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'ProviderAuthenticationFailed,JobsModule.Commands.GetProviderJobCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $output.Count | Should -Be 1
        [uint64]$output[0].psobject.BaseObject | Should -Be 25
        $output[0].Accuracy | Should -Be 0
    }
}

Describe 'Filters' {
    BeforeAll {
        Reset-Simulator
        Set-SimulatorEnvironment
        foreach ($facts in Get-ProviderFacts) { Set-SimulatorDataset $facts.Name 300 }
        function Get-ExpectedIds([string] $Name, [scriptblock] $Where) {
            $field = (Get-ProviderFacts $Name).IdField
            , @((Get-SimulatorJob $Name) | Where-Object $Where | ForEach-Object { $_.$field })
        }
    }

    It '-Status Failed is sent to <Name> as <Raw> and the result is exact' -ForEach @(
        @{ Name = 'PyannoteAI'; Raw = 'failed' }
        @{ Name = 'Ittybit'; Raw = 'failed' }
        @{ Name = 'Convertly'; Raw = 'failed' }
        @{ Name = 'Unstructured'; Raw = 'FAILED' }
        @{ Name = 'Krea'; Raw = 'failed' }
    ) {
        Clear-SimulatorLog
        $failed = @(Get-ProviderJob -Provider $Name -Status Failed)
        $expected = Get-ExpectedIds $Name { $_.status -ceq $Raw }
        $expected.Count | Should -BeGreaterThan 0
        (($failed.Id | Sort-Object) -join ',') | Should -Be (($expected | Sort-Object) -join ',')
        $failed | ForEach-Object { $_.Status | Should -Be 'Failed' }
        (Get-SimulatorLog $Name) | ForEach-Object { (ConvertTo-PlainQuery $_.query).status | Should -BeExactly $Raw }
    }

    It '-Status Queued on Krea (three raw values) is filtered by the module, exactly' {
        Clear-SimulatorLog
        $queued = @(Get-ProviderJob -Provider Krea -Status Queued)
        $expected = Get-ExpectedIds Krea { $_.status -in 'backlogged', 'queued', 'scheduled' }
        ($queued.Id -join ',') | Should -Be ($expected -join ',')
        (Get-SimulatorLog Krea) | ForEach-Object { (ConvertTo-PlainQuery $_.query).Contains('status') | Should -BeFalse }
    }

    It '-Status takes the names in any case, as the enum did, and tab-completes them' {
        Clear-SimulatorLog
        $lower = @(Get-ProviderJob -Provider Convertly -Status failed, RUNNING)
        $lower.Count | Should -Be (Get-ExpectedIds Convertly { $_.status -in 'failed', 'processing' }).Count
        $lower.Count | Should -BeGreaterThan 0
        @($lower | Group-Object Status | ForEach-Object Name | Sort-Object) -join ',' | Should -Be 'Failed,Running'

        (TabExpansion2 'Get-ProviderJob -Status ').CompletionMatches.CompletionText -join ',' | Should -Be 'Canceled,Failed,Queued,Running,Succeeded,Unknown'
        (TabExpansion2 'Get-ProviderJob -Status su').CompletionMatches.CompletionText | Should -Be 'Succeeded'
        (TabExpansion2 'Get-ProviderJob -Status Failed,').CompletionMatches.CompletionText | Should -Not -Contain 'Failed'
        (Get-Command Get-ProviderJob).Parameters['Status'].ParameterType | Should -Be ([string[]])
    }

    It '-Status Unknown finds the statuses outside the documented ones' {
        $unknown = @(Get-ProviderJob -Provider Convertly -Status Unknown)
        $unknown.Count | Should -BeGreaterThan 0
        $unknown | ForEach-Object { $_.ProviderStatus | Should -Not -BeIn 'pending', 'processing', 'completed', 'failed' }
    }

    It '-Kind video is sent to ittybit as kind=video' {
        Clear-SimulatorLog
        $videos = @(Get-ProviderJob -Provider Ittybit -Kind video)
        ($videos.Id -join ',') | Should -Be ((Get-ExpectedIds Ittybit { $_.kind -eq 'video' }) -join ',')
        (ConvertTo-PlainQuery (Get-SimulatorLog Ittybit)[0].query).kind | Should -Be 'video'
    }

    It '-Kind is sent to Krea as one comma-separated types value' {
        Clear-SimulatorLog
        $some = @(Get-ProviderJob -Provider Krea -Kind flux, k1)
        ($some.Id -join ',') | Should -Be ((Get-ExpectedIds Krea { $_.type -in 'flux', 'k1' }) -join ',')
        (Get-SimulatorLog Krea)[0].query | Should -Match 'types=flux%2Ck1'
    }

    It '-Kind on Convertly filters job_type in the module' {
        Clear-SimulatorLog
        $converts = @(Get-ProviderJob -Provider Convertly -Kind convert)
        ($converts.Id -join ',') | Should -Be ((Get-ExpectedIds Convertly { $_.job_type -eq 'convert' }) -join ',')
        (Get-SimulatorLog Convertly)[0].query | Should -Not -Match 'job_type'
    }

    It '-WorkflowId is sent to Unstructured' {
        $workflow = (Get-SimulatorJob Unstructured)[0].workflow_id
        Clear-SimulatorLog
        $jobs = @(Get-ProviderJob -Provider Unstructured -WorkflowId $workflow)
        (($jobs.Id | Sort-Object) -join ',') | Should -Be (((Get-ExpectedIds Unstructured { $_.workflow_id -eq $workflow }) | Sort-Object) -join ',')
        (ConvertTo-PlainQuery (Get-SimulatorLog Unstructured)[0].query).workflow_id | Should -Be $workflow
    }

    It '-InputUri is sent to ittybit, escaped, and stays inside its parameter' {
        $inputUri = (Get-SimulatorJob Ittybit)[3].input
        Clear-SimulatorLog
        $jobs = @(Get-ProviderJob -Provider Ittybit -InputUri $inputUri)
        ($jobs.Id -join ',') | Should -Be ((Get-ExpectedIds Ittybit { $_.input -eq $inputUri }) -join ',')
        $query = ConvertTo-PlainQuery (Get-SimulatorLog Ittybit)[0].query
        $query.input | Should -BeExactly $inputUri

        Clear-SimulatorLog
        $hostile = 'https://x.example/a b?c=1&status=failed#frag'
        @(Get-ProviderJob -Provider Ittybit -InputUri $hostile).Count | Should -Be 0
        $query = ConvertTo-PlainQuery (Get-SimulatorLog Ittybit)[0].query
        $query.input | Should -BeExactly $hostile
        $query.Contains('status') | Should -BeFalse
    }

    It '-CreatedAfter returns the newer jobs and stops paging at the first older one (<Name>)' -ForEach @(@{ Name = 'PyannoteAI' }, @{ Name = 'Krea' }, @{ Name = 'Ittybit' }) {
        Set-SimulatorDataset $Name 2500
        $all = @(Get-ProviderJob -Provider $Name)
        $bound = $all[149].CreatedAt
        Clear-SimulatorLog
        $recent = @(Get-ProviderJob -Provider $Name -CreatedAfter $bound)
        $recent.Count | Should -Be 150
        ($recent.Id -join ',') | Should -Be (($all[0..149].Id) -join ',')
        (Get-SimulatorLog $Name).Count | Should -BeLessOrEqual (Get-ExpectedRequestCount 151 (Get-ProviderFacts $Name).Max)
    }

    It '-CreatedAfter on Unstructured (no order promised) filters every job' {
        $all = @(Get-ProviderJob -Provider Unstructured | Sort-Object CreatedAt -Descending)
        $recent = @(Get-ProviderJob -Provider Unstructured -CreatedAfter $all[9].CreatedAt)
        (($recent.Id | Sort-Object) -join ',') | Should -Be (($all[0..9].Id | Sort-Object) -join ',')
    }

    It '-CreatedBefore starts Krea''s cursor there and bounds the others in the module' {
        $all = @(Get-ProviderJob -Provider Krea)
        $bound = $all[10].CreatedAt
        Clear-SimulatorLog
        $older = @(Get-ProviderJob -Provider Krea -CreatedBefore $bound -First 5)
        ($older.Id -join ',') | Should -Be (($all[11..15].Id) -join ',')
        (ConvertTo-PlainQuery (Get-SimulatorLog Krea)[0].query).cursor | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$'

        $convertly = @(Get-ProviderJob -Provider Convertly)
        $before = @(Get-ProviderJob -Provider Convertly -CreatedBefore $convertly[20].CreatedAt)
        ($before.Id -join ',') | Should -Be (($convertly[21..($convertly.Count - 1)].Id) -join ',')
    }

    It 'rejects a filter a named provider cannot apply, before sending anything: <Parameter> on <Name>' -ForEach @(
        @{ Name = 'PyannoteAI'; Parameter = 'Kind'; Value = 'video'; ErrorId = 'FilterNotSupported' }
        @{ Name = 'Krea'; Parameter = 'WorkflowId'; Value = 'wf'; ErrorId = 'FilterNotSupported' }
        @{ Name = 'Convertly'; Parameter = 'InputUri'; Value = 'https://x.example/a.mp4'; ErrorId = 'FilterNotSupported' }
        @{ Name = 'Convertly'; Parameter = 'Kind'; Value = 'video'; ErrorId = 'InvalidKind' }
        @{ Name = 'Ittybit'; Parameter = 'Kind'; Value = 'hologram'; ErrorId = 'InvalidKind' }
    ) {
        Clear-SimulatorLog
        $arguments = @{ Provider = $Name; $Parameter = $Value }
        $err = $null
        try { Get-ProviderJob @arguments } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be "$ErrorId,$CmdletId"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match $Name
        $err.Exception.Message | Should -Match $Parameter
        (Get-SimulatorLog).Count | Should -Be 0
    }

    It 'leaves out providers that cannot apply a filter when none was named' {
        Clear-SimulatorLog
        $jobs = @(Get-ProviderJob -WorkflowId (Get-SimulatorJob Unstructured)[0].workflow_id -Verbose 4>&1)
        $verbose = @($jobs | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        ($verbose.Message -join "`n") | Should -Match 'Krea cannot filter by -WorkflowId'
        @((Get-SimulatorLog).provider | Select-Object -Unique) | Should -Be @('unstructured')
    }
}

Describe 'Bad input is rejected before anything is sent' {
    BeforeAll { Reset-Simulator; Set-SimulatorEnvironment }
    BeforeEach { Clear-SimulatorLog }
    AfterEach { (Get-SimulatorLog).Count | Should -Be 0 }

    It 'an unknown provider' {
        { Get-ProviderJob -Provider Nope } | Should -Throw -ErrorId "ParameterArgumentValidationError,$CmdletId"
        try { Get-ProviderJob -Provider Nope } catch { $_.Exception.Message | Should -Match 'Valid providers: .*Krea' }
    }

    It 'an unknown status, alone or among known ones, is the module''s own error naming the valid ones' -ForEach @(
        @{ Given = @('Done') }
        @{ Given = @('Failed', 'Done') }
    ) {
        $err = $null
        try { Get-ProviderJob -Status $Given } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be "InvalidStatus,$CmdletId"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Be 'Done'
        "$err" | Should -BeExactly "'Done' is not a job status. Valid statuses: Unknown, Queued, Running, Succeeded, Failed, Canceled."
        "$err" | Should -Not -Match 'JobsModule\.JobStatus'
    }

    It 'a page size of 0' {
        { Get-ProviderJob -Provider Krea -PageSize 0 } | Should -Throw -ErrorId "ParameterArgumentValidationError,$CmdletId"
    }

    It 'an empty created range' {
        $now = Get-Date
        $err = $null
        try { Get-ProviderJob -CreatedAfter $now -CreatedBefore $now.AddDays(-1) } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be "CreatedRangeEmpty,$CmdletId"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'a relative -BaseUri' {
        $err = $null
        try { Get-ProviderJob -Provider Krea -BaseUri ([uri]::new('krea', [UriKind]::Relative)) } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be "InvalidBaseUri,$CmdletId"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'a malformed base URL variable, named in a plain message' {
        $env:KREA_BASE_URL = 'not a url'
        try {
            $err = $null
            try { Get-ProviderJob -Provider Krea } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be "InvalidBaseUri,$CmdletId"
            $err.Exception.Message | Should -Be "KREA_BASE_URL must be an absolute http or https URL; 'not a url' is not."
            $err.TargetObject | Should -Be 'KREA_BASE_URL'
        }
        finally { Set-SimulatorEnvironment }
    }

    It '-ApiKey without -Provider' {
        $key = ConvertTo-SecureString 'k' -AsPlainText -Force
        { Get-ProviderJob -ApiKey $key } | Should -Throw -ErrorId "ProviderRequired,$CmdletId"
    }
}

Describe 'Keys and base URLs' {
    BeforeAll { Reset-Simulator; Set-SimulatorEnvironment; $info = Get-SimulatorInfo }
    AfterEach { Set-SimulatorEnvironment }

    It 'uses -ApiKey and -BaseUri over the environment' {
        $env:KREA_API_KEY = 'not-the-key'
        $env:KREA_BASE_URL = 'http://127.0.0.1:9/nowhere'
        $key = ConvertTo-SecureString $info.providers.krea.key -AsPlainText -Force
        @(Get-ProviderJob -Provider Krea -ApiKey $key -BaseUri $info.providers.krea.baseUrl).Count | Should -Be $info.providers.krea.count
    }

    It 'falls back to KREA_API_TOKEN' {
        Remove-Item env:KREA_API_KEY
        $env:KREA_API_TOKEN = $info.providers.krea.key
        @(Get-ProviderJob -Provider Krea).Count | Should -Be $info.providers.krea.count
    }

    It 'accepts UNSTRUCTURED_API_URL with its /api/v1 and does not double it' {
        $env:UNSTRUCTURED_API_URL = $info.providers.unstructured.baseUrl + '/api/v1'
        Clear-SimulatorLog
        @(Get-ProviderJob -Provider Unstructured).Count | Should -Be $info.providers.unstructured.count
        (Get-SimulatorLog Unstructured)[0].path | Should -Match '^/unstructured/api/v1/jobs/?$'
    }

    It 'lists only the providers that have a key when none is named' {
        Clear-ProviderEnvironment
        $env:CONVERTLY_API_KEY = $info.providers.convertly.key
        $env:CONVERTLY_BASE_URL = $info.providers.convertly.baseUrl
        Clear-SimulatorLog
        @(Get-ProviderJob | Select-Object -ExpandProperty Provider -Unique) | Should -Be @('Convertly')
        @((Get-SimulatorLog).provider | Select-Object -Unique) | Should -Be @('convertly')
    }

    It 'says which variables to set when no provider has a key' {
        Clear-ProviderEnvironment
        $err = $null
        try { Get-ProviderJob } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be "ApiKeyNotFound,$CmdletId"
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match 'KREA_API_KEY'
    }

    It 'writes ApiKeyNotFound for a named provider without a key and lists the others' {
        Remove-Item env:ITTYBIT_API_KEY
        $jobs = @(Get-ProviderJob -Provider Ittybit, Krea -ErrorVariable problems -ErrorAction SilentlyContinue)
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "ApiKeyNotFound,$CmdletId"
        $problems[0].TargetObject | Should -Be 'Ittybit'
        @($jobs.Provider | Select-Object -Unique) | Should -Be @('Krea')
    }
}

Describe 'Errors from the provider' {
    BeforeAll { Reset-Simulator; Set-SimulatorEnvironment; $wrong = ConvertTo-SecureString 'wrong-key-0123456789' -AsPlainText -Force }

    It 'a rejected key on <Name> is ProviderAuthenticationFailed with the provider''s message' -ForEach $Providers {
        $base = (Get-SimulatorInfo).providers.($Sim).baseUrl
        Clear-SimulatorLog
        $jobs = @(Get-ProviderJob -Provider $Name -ApiKey $wrong -BaseUri $base -ErrorVariable problems -ErrorAction SilentlyContinue)
        $jobs.Count | Should -Be 0
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "ProviderAuthenticationFailed,$CmdletId"
        $problems[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $problems[0].TargetObject | Should -Be $Name
        $problems[0].Exception.StatusCode | Should -Be 401
        $problems[0].Exception.Provider | Should -Be $Name
        $problems[0].Exception.ProviderMessage | Should -Not -BeNullOrEmpty
        $problems[0].ErrorDetails.Message | Should -Match ([regex]::Escape($problems[0].Exception.ProviderMessage))
        ($problems | Out-String) | Should -Not -Match 'wrong-key-0123456789'
        (Get-SimulatorLog $Name).Count | Should -Be 1
    }

    It 'one failing provider does not stop the others' {
        $env:KREA_API_KEY = 'wrong-key-0123456789'
        try {
            $jobs = @(Get-ProviderJob -ErrorVariable problems -ErrorAction SilentlyContinue)
        }
        finally { Set-SimulatorEnvironment }
        $problems.Count | Should -Be 1
        $problems[0].TargetObject | Should -Be 'Krea'
        @($jobs.Provider | Select-Object -Unique | Sort-Object) | Should -Be @('Convertly', 'Ittybit', 'PyannoteAI', 'Unstructured')
    }

    It 'an unreachable provider is ProviderUnreachable after the configured retries' {
        $err = $null
        $jobs = @(Get-ProviderJob -Provider Krea -BaseUri 'http://127.0.0.1:9' -MaximumRetryCount 1 -RetryIntervalSec 1 -ErrorVariable problems -ErrorAction SilentlyContinue)
        $jobs.Count | Should -Be 0
        $problems[0].FullyQualifiedErrorId | Should -Be "ProviderUnreachable,$CmdletId"
        $problems[0].CategoryInfo.Category | Should -Be 'ConnectionError'
    }
}

Describe 'Composing with other cmdlets' {
    BeforeAll {
        Reset-Simulator
        Set-SimulatorEnvironment
        foreach ($facts in Get-ProviderFacts) { Set-SimulatorDataset $facts.Name 120 }
    }

    It 'Export-Csv gives readable cells and round-trips (<Name>)' -ForEach $Providers {
        $path = Join-Path $TestDrive "$Name.csv"
        $jobs = @(Get-ProviderJob -Provider $Name)
        $jobs | Export-Csv -Path $path -NoTypeInformation
        $text = Get-Content -Raw $path
        $text | Should -Not -Match 'System\.[A-Z]'
        $text | Should -Not -Match 'JobsModule\.'
        $rows = @(Import-Csv -Path $path)
        $rows.Count | Should -Be $jobs.Count
        ($rows.Id -join ',') | Should -Be ($jobs.Id -join ',')
        ($rows.Status -join ',') | Should -Be ($jobs.Status -join ',')
    }

    It 'Export-Csv and Select-Object * put the common columns first, then <Name>''s own, then the times as DateTimeOffset' -ForEach $Providers {
        $common = 'Provider', 'Account', 'Id', 'Status', 'ProviderStatus', 'Outcome', 'Kind', 'CreatedAtIso', 'StartedAtIso', 'CompletedAtIso',
            'UpdatedAtIso', 'Duration', 'DurationSeconds', 'Progress', 'Error', 'FailedItems', 'ExtraFields', 'UnreadableFields'
        $times = 'CreatedAt', 'StartedAt', 'CompletedAt', 'UpdatedAt'
        $path = Join-Path $TestDrive "$Name-columns.csv"
        $jobs = @(Get-ProviderJob -Provider $Name -First 5)
        $jobs | Export-Csv -Path $path -NoTypeInformation
        $columns = @((Get-Content -Path $path -TotalCount 1) -split ',' | ForEach-Object { $_.Trim('"') })
        $own = @($jobs[0].GetType().GetProperties().Name | Where-Object { $_ -notin $common + $times })
        $own.Count | Should -BeGreaterThan 0
        ($columns -join ',') | Should -Be (($common + $own + $times) -join ',')
        ((($jobs[0] | Select-Object *).psobject.Properties.Name) -join ',') | Should -Be (($common + $own + $times) -join ',')
    }

    It 'Select-Object CommonFields exports a listing that mixes providers with the same columns for every job' {
        $common = @([JobsModule.ProviderJob].GetProperties() | Where-Object { $_.GetMethod.IsVirtual } | ForEach-Object Name)
        $path = Join-Path $TestDrive 'mixed.csv'
        $jobs = @(Get-ProviderJob -First 40)
        @($jobs.Provider | Select-Object -Unique).Count | Should -Be 5
        $jobs | Select-Object CommonFields | Export-Csv -Path $path -NoTypeInformation -Encoding utf8

        $columns = @((Get-Content -Path $path -TotalCount 1) -split ',' | ForEach-Object { $_.Trim('"') })
        ($columns -join ',') | Should -Be ($common -join ',')
        ($columns[0..2] -join ',') | Should -Be 'Provider,Account,Id'
        $rows = @(Import-Csv -Path $path -Encoding utf8)
        $rows.Count | Should -Be $jobs.Count
        ($rows.Id -join ',') | Should -Be ($jobs.Id -join ',')
        ($rows.Provider -join ',') | Should -Be ($jobs.Provider -join ',')
        foreach ($row in $rows) {
            # ExtraFields is a compact JSON cell that reads back.
            $row.ExtraFields | Should -Match '^\{.*\}$'
            { $row.ExtraFields | ConvertFrom-Json } | Should -Not -Throw
        }
        $timed = @($rows | Where-Object DurationSeconds)
        $timed.Count | Should -BeGreaterThan 0
        $timed | ForEach-Object { [double]::Parse($_.DurationSeconds, [cultureinfo]::CurrentCulture) | Should -BeGreaterOrEqual 0 }
    }

    It 'the CommonFields property set names every common property, in ProviderJob''s order, with the times as text' {
        $common = @([JobsModule.ProviderJob].GetProperties() | Where-Object { $_.GetMethod.IsVirtual } | ForEach-Object Name)
        $common | Should -Contain 'CreatedAtIso'
        $common | Should -Not -Contain 'CreatedAt'
        foreach ($job in Get-ProviderJob -First 5) {
            $set = $job.psobject.Members['CommonFields']
            $set | Should -BeOfType ([System.Management.Automation.PSPropertySet])
            ($set.ReferencedPropertyNames -join ',') | Should -Be ($common -join ',')
        }
        (Get-Module JobsModule).ExportedTypeFiles | Should -Match 'JobsModule\.types\.ps1xml$'
    }

    It 'Duration stays a TimeSpan at the prompt, and DurationSeconds is the same as a number for JSON and Measure-Object' {
        $jobs = @(Get-ProviderJob | Where-Object Duration)
        $jobs.Count | Should -BeGreaterThan 10
        $jobs | ForEach-Object {
            $_.Duration | Should -BeOfType ([timespan])
            $_.DurationSeconds | Should -BeOfType ([double])
            $_.DurationSeconds | Should -Be $_.Duration.TotalSeconds
        }
        # Sorting and filtering on the TimeSpan work as before.
        $longest = $jobs | Sort-Object Duration -Descending | Select-Object -First 1
        $longest.Duration | Should -Be ($jobs.Duration | Sort-Object -Descending | Select-Object -First 1)
        @($jobs | Where-Object Duration -GT ([timespan]::FromSeconds(1))).Count | Should -Be @($jobs | Where-Object { $_.Duration.TotalSeconds -gt 1 }).Count
        # Measure-Object cannot add TimeSpans; it adds the seconds.
        $sum = ($jobs | Measure-Object DurationSeconds -Sum).Sum
        $sum | Should -Be ($jobs | ForEach-Object { $_.Duration.TotalSeconds } | Measure-Object -Sum).Sum

        $json = $longest | ConvertTo-Json -Compress
        $json | Should -Match '"DurationSeconds":\d+(\.\d+)?[,}]'
        ($json | ConvertFrom-Json).DurationSeconds | Should -Be $longest.Duration.TotalSeconds
        ($jobs | Where-Object { -not $_.Duration } | Select-Object -First 1) | Should -BeNullOrEmpty
        (Get-ProviderJob -Provider Krea | Where-Object { $null -eq $_.Duration } | Select-Object -First 1).DurationSeconds | Should -BeNullOrEmpty
    }

    It 'keeps unicode, commas and quotes in cells' {
        $path = Join-Path $TestDrive 'unstructured.csv'
        $jobs = @(Get-ProviderJob -Provider Unstructured)
        $jobs | Export-Csv -Path $path -NoTypeInformation -Encoding utf8
        $rows = @(Import-Csv -Path $path -Encoding utf8)
        $dataset = @{}
        foreach ($raw in Get-SimulatorJob Unstructured) { $dataset[$raw.id] = $raw }
        $rows | ForEach-Object { $_.WorkflowName | Should -BeExactly $dataset[$_.Id].workflow_name }
        @($rows.WorkflowName | Where-Object { $_ -match '[^\x00-\x7F]' }).Count | Should -BeGreaterThan 0

        $convertly = @(Get-ProviderJob -Provider Convertly | Where-Object Error -Match '[",]')
        $convertly.Count | Should -BeGreaterThan 0
        $convertly | Export-Csv -Path (Join-Path $TestDrive 'errors.csv')
        (Import-Csv (Join-Path $TestDrive 'errors.csv')).Error | Should -Be $convertly.Error
    }

    It 'keeps fields the docs do not list in ExtraFields' {
        $raw = (Get-SimulatorJob Convertly)[0]
        $job = Get-ProviderJob -Provider Convertly -First 1
        $documented = 'id', 'job_type', 'status', 'total_files', 'completed_files', 'failed_files', 'progress', 'error_message', 'results', 'created_at', 'completed_at'
        $extra = @($raw.psobject.Properties.Name | Where-Object { $_ -notin $documented })
        $extra.Count | Should -BeGreaterThan 0
        foreach ($name in $extra) { $job.ExtraFields[$name] | Should -Be $raw.$name }
    }

    It 'maps typed provider fields (ittybit epoch milliseconds to UTC)' {
        $raw = (Get-SimulatorJob Ittybit)[0]
        $job = Get-ProviderJob -Provider Ittybit -First 1
        $job | Should -BeOfType ([JobsModule.IttybitJob])
        $job.CreatedAt | Should -Be ([DateTimeOffset]::FromUnixTimeMilliseconds($raw.created_at))
        $job.CreatedAt.Offset | Should -Be ([timespan]::Zero)
        $job.CreatedAtIso | Should -BeExactly ([DateTimeOffset]::FromUnixTimeMilliseconds($raw.created_at).UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [cultureinfo]::InvariantCulture))
        $job.Input | Should -Be $raw.input
        $job.Options.Count | Should -Be @($raw.options.psobject.Properties).Count
    }

    It 'Sort-Object, Group-Object and ConvertTo-Json work as expected' {
        $jobs = @(Get-ProviderJob)
        $jobs.Count | Should -Be 600
        $groups = $jobs | Group-Object Provider | Sort-Object Name
        ($groups.Name -join ',') | Should -Be 'Convertly,Ittybit,Krea,PyannoteAI,Unstructured'
        $groups | ForEach-Object { $_.Count | Should -Be 120 }
        @($jobs | Group-Object Provider, Status).Count | Should -BeGreaterThan 10
        $sorted = @($jobs | Sort-Object CreatedAt)
        $sorted[0].CreatedAt | Should -BeLessOrEqual $sorted[-1].CreatedAt
        $json = $jobs | Select-Object -First 3 | ConvertTo-Json -Depth 4 | ConvertFrom-Json
        ($json.Id -join ',') | Should -Be (($jobs[0..2].Id) -join ',')
    }

    It 'is known by its provider''s .NET type, then JobsModule.ProviderJob, for Update-TypeData and views' {
        $names = (Get-ProviderJob -Provider Krea -First 1).psobject.TypeNames
        $names[0] | Should -Be 'JobsModule.KreaJob'
        $names[1] | Should -Be 'JobsModule.ProviderJob'
        $names | Should -Not -Match '#'
    }
}

Describe 'Keys never appear in any output' {
    BeforeAll { Reset-Simulator; Set-SimulatorEnvironment; $info = Get-SimulatorInfo }

    It 'not in any stream, verbose, debug, errors or $Error' {
        $keys = @($info.providers.psobject.Properties.Value.key)
        $Error.Clear()
        $everything = Get-ProviderJob -Verbose -Debug -First 30 *>&1 | Out-String -Width 500
        $env:ITTYBIT_API_KEY = 'secret-wrong-key-ABCDEF'
        try { $failure = Get-ProviderJob -Provider Ittybit -Verbose -Debug -ErrorAction Continue *>&1 | Out-String -Width 500 }
        finally { Set-SimulatorEnvironment }
        $errors = $Error | Format-List * -Force | Out-String -Width 500
        foreach ($key in $keys + 'secret-wrong-key-ABCDEF') {
            $everything | Should -Not -Match ([regex]::Escape($key))
            $failure | Should -Not -Match ([regex]::Escape($key))
            $errors | Should -Not -Match ([regex]::Escape($key))
        }
        $everything | Should -Match 'GET .* -> 200'
    }

    It 'not in a child pwsh''s output, as a user would see it' {
        $key = $info.providers.krea.key
        $script = "Import-Module '$env:JOBSMODULE_MODULE_PATH'; Get-ProviderJob -Provider Krea -First 2 -Verbose -Debug; `$env:KREA_API_KEY = 'x-$key'; Get-ProviderJob -Provider Krea; `$Error | Format-List * -Force"
        $pwsh = Get-PwshCommand
        $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script 2>&1 | Out-String
        $output | Should -Match 'ProviderAuthenticationFailed'
        $output | Should -Not -Match ([regex]::Escape($key))
    }
}

Describe 'HTTP failures from the provider' {
    BeforeAll { Reset-Simulator; Set-SimulatorEnvironment }
    AfterEach { Reset-Simulator; Set-SimulatorEnvironment }

    It '<Status> from <Name> is <ErrorId> (<Category>) after <Requests> request(s)' -ForEach @(
        @{ Name = 'PyannoteAI'; Status = 400; ErrorId = 'ProviderRejectedRequest'; Category = 'InvalidArgument'; Requests = 1 }
        @{ Name = 'Unstructured'; Status = 422; ErrorId = 'ProviderRejectedRequest'; Category = 'InvalidArgument'; Requests = 1 }
        @{ Name = 'Convertly'; Status = 402; ErrorId = 'ProviderQuotaExceeded'; Category = 'LimitsExceeded'; Requests = 1 }
        @{ Name = 'Krea'; Status = 429; ErrorId = 'ProviderRateLimited'; Category = 'LimitsExceeded'; Requests = 3 }
        @{ Name = 'Ittybit'; Status = 503; ErrorId = 'ProviderUnavailable'; Category = 'ResourceUnavailable'; Requests = 3 }
        @{ Name = 'Convertly'; Status = 500; ErrorId = 'ProviderUnavailable'; Category = 'ResourceUnavailable'; Requests = 3 }
    ) {
        Set-SimulatorOption $Name @{ failStatus = $Status; failCount = 100; retryAfter = '0' }
        Clear-SimulatorLog
        $jobs = @(Get-ProviderJob -Provider $Name -MaximumRetryCount 2 -ErrorVariable problems -ErrorAction SilentlyContinue)
        $jobs.Count | Should -Be 0
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "$ErrorId,$CmdletId"
        $problems[0].CategoryInfo.Category | Should -Be $Category
        $problems[0].TargetObject | Should -Be $Name
        $problems[0].Exception.StatusCode | Should -Be $Status
        $problems[0].Exception.ProviderMessage | Should -Not -BeNullOrEmpty
        $problems[0].Exception.Message | Should -Match "^$Name answered $Status"
        (Get-SimulatorLog $Name).Count | Should -Be $Requests
    }

    It 'a 429 is retried after its Retry-After and the listing completes' {
        Set-SimulatorDataset Krea 30
        Set-SimulatorOption Krea @{ failStatus = 429; failCount = 1; retryAfter = '1' }
        Clear-SimulatorLog
        $output = @(Get-ProviderJob -Provider Krea -Verbose 4>&1)
        $jobs = @($output | Where-Object { $_ -is [JobsModule.ProviderJob] })
        ($jobs.Id -join ',') | Should -Be ((Get-SimulatorJobId Krea) -join ',')
        $log = Get-SimulatorLog Krea
        ($log.status -join ',') | Should -Be '429,200'
        $gap = [datetime]$log[1].startedAt - [datetime]$log[0].endedAt
        $gap.TotalMilliseconds | Should -BeGreaterOrEqual 900
        ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" |
            Should -Match 'Krea GET .* -> 429; retry 1 of 4 in 1\.0 s \(as the provider asked\)'
    }

    It 'jobs already written stay written when a later page fails' {
        Set-SimulatorDataset Convertly 250
        Set-SimulatorOption Convertly @{ failStatus = 500; failCount = 100; failAfter = 1; retryAfter = '0' }
        Clear-SimulatorLog
        $jobs = @(Get-ProviderJob -Provider Convertly -MaximumRetryCount 0 -ErrorVariable problems -ErrorAction SilentlyContinue)
        # The first page (a small one) was written before the second failed.
        ($jobs.Id -join ',') | Should -Be ((Get-SimulatorJobId Convertly)[0..((Get-FirstPageSize) - 1)] -join ',')
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "ProviderUnavailable,$CmdletId"
        ($jobs | Where-Object { $_ -isnot [JobsModule.ProviderJob] }).Count | Should -Be 0
    }
}
