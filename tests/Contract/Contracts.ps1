# The contracts Contract.Tests.ps1 checks: which OpenAPI document, which provider, and the listing cases for each.
# Dot-sourced by the test file both when Pester discovers the tests and when it runs them.
# Paging cases use at most 8 jobs where the simulator would send every status: its 9th job (index 8) has a
# deliberately undocumented status, which Krea's and Convertly's documents do not allow (tested below).
$PyannoteCases = @(
    @{ Case = 'pages of -PageSize 10'; Count = 25; Parameters = @{ PageSize = 10 }; Size = 10 }
    @{ Case = 'the default: a small first page'; Count = 25; Parameters = @{}; Size = 32 }
    @{ Case = '-First 3 asks for 3'; Count = 25; Parameters = @{ First = 3 }; Size = 3; First = 3 }
    @{ Case = '-Status Succeeded on the server (status=succeeded)'; Count = 60; Parameters = @{ Status = 'Succeeded'; PageSize = 4 }; Size = 4
        Query = @{ status = 'succeeded' }; Served = { $_.status -eq 'succeeded' } }
    @{ Case = '-Status Running on the server, -First 5'; Count = 60; Parameters = @{ Status = 'Running'; First = 5 }; Size = 5; First = 5
        Query = @{ status = 'running' }; Served = { $_.status -eq 'running' } }
    @{ Case = '-Status Queued (pending and created) filtered by the module'; Count = 25; Parameters = @{ Status = 'Queued'; PageSize = 7 }; Size = 7
        Absent = @('status'); Kept = { $_.status -in 'pending', 'created' } }
)
$PyannoteStatuses = @('pending', 'created', 'succeeded', 'canceled', 'failed', 'running')
$KreaStatuses = @('backlogged', 'queued', 'scheduled', 'processing', 'sampling', 'intermediate-complete', 'completed', 'failed', 'cancelled')
$KreaCases = @(
    @{ Case = 'pages of -PageSize 3 (limit, cursor)'; Count = 8; Parameters = @{ PageSize = 3 }; Size = 3 }
    @{ Case = 'the default: a small first page'; Count = 8; Parameters = @{}; Size = 32 }
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

$Contracts = @(
    @{
        # The List Jobs page still documents /v1/jobs; the module asks /v2/jobs first, which this document
        # does not have, so Prism answers 404 and the module falls back to /v1/jobs, as with a v1-only deployment.
        Label = 'PyannoteAI /v1/jobs (its List Jobs page)'; Name = 'PyannoteAI'; Spec = 'pyannoteai.yaml'; Route = '/v1/jobs'; Fallback = $true
        SizeName = 'take'; OffsetName = 'skip'; Max = 100; ItemsName = 'items'; FormatName = 'skip'; StatusEnum = $false
        Statuses = $PyannoteStatuses; Cases = $PyannoteCases
    }
    @{
        # The published document: limit and a uuid cursor (the previous page's nextCursor, the simulator's last id).
        Label = 'PyannoteAI /v2/jobs (published OpenAPI)'; Name = 'PyannoteAI'; Spec = 'pyannoteai-published.json'; Route = '/v2/jobs'
        SizeName = 'limit'; OffsetName = $null; CursorField = 'id'; Max = 100; ItemsName = 'items'; FormatName = 'cursor'; StatusEnum = $false
        Statuses = $PyannoteStatuses; Cases = $PyannoteCases
    }
    @{
        Label = 'Convertly /api/jobs (its List Jobs page)'; Name = 'Convertly'; Spec = 'convertly.yaml'; Route = '/api/jobs'; SizeName = 'limit'; OffsetName = 'offset'; Max = 100
        ItemsName = 'jobs'; FormatName = 'offset'; StatusEnum = $true
        Statuses = @('pending', 'processing', 'completed', 'failed')
        Cases = @(
            @{ Case = 'pages of -PageSize 3 (limit, offset)'; Count = 8; Parameters = @{ PageSize = 3 }; Size = 3 }
            @{ Case = 'the default: a small first page'; Count = 8; Parameters = @{}; Size = 32 }
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
        Label = 'Krea /jobs (its List Jobs page)'; Name = 'Krea'; Spec = 'krea.yaml'; Route = '/jobs'
        SizeName = 'limit'; OffsetName = $null; CursorField = 'created_at'; Max = 1000; ItemsName = 'items'; FormatName = 'cursor'; StatusEnum = $true
        Statuses = $KreaStatuses; Cases = $KreaCases
    }
    @{
        Label = 'Krea /jobs (published OpenAPI)'; Name = 'Krea'; Spec = 'krea-published.json'; Route = '/jobs'
        SizeName = 'limit'; OffsetName = $null; CursorField = 'created_at'; Max = 1000; ItemsName = 'items'; FormatName = 'cursor'; StatusEnum = $true
        Statuses = $KreaStatuses; Cases = $KreaCases
    }
)

# Prism's dynamic mock of the published documents: random schema-valid answers (seeded, so the same every run).
$MockContracts = @(
    @{ Label = 'PyannoteAI (published OpenAPI)'; Name = 'PyannoteAI'; Spec = 'pyannoteai-published.json'; Cursor = 'a uuid' }
    @{ Label = 'Krea (published OpenAPI)'; Name = 'Krea'; Spec = 'krea-published.json'; Cursor = 'a date-time' }
)
