# What a console shows of the jobs and what files keep of them: text from a server never acts on the
# terminal (views and messages, rendered in a child pwsh with ANSI and with plain text), times compare
# rightly in any time zone, and CSV and JSON carry times that read back exactly.
BeforeDiscovery {
    $Renderings = @(@{ Rendering = 'Ansi' }, @{ Rendering = 'PlainText' })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force

    # What a hostile server could put in any text field: clear the screen and home the cursor, set the
    # window title (an OSC ended by BEL), rewind the line, a line break that fakes a new line, a C1 CSI
    # and NEL, DEL, a right-to-left override and an isolate, and a line separator.
    $Hostile = "A`e[2J`e[H`e]0;owned`aB`rC`nFAKE:D`u{9B}31m`u{85}`u{7F}`u{202E}evil`u{2066}x`u{2069}`u{2028}Z"
    $HostileJson = $Hostile | ConvertTo-Json

    function Assert-Inert([string] $Text, [string] $Rendering) {
        # The only escape sequences left are PowerShell's own colours (ANSI rendering): SGR, ending in m.
        $withoutColour = $Text -replace "`e\[[0-9;]*m", ''
        if ($Rendering -eq 'PlainText') { $withoutColour | Should -BeExactly $Text }
        $withoutColour | Should -Not -Match "[`e`a`r`u{7F}`u{80}-`u{9F}`u{202A}-`u{202E}`u{2066}-`u{2069}`u{2028}`u{2029}`u{200E}`u{200F}`u{061C}]"
        $withoutColour | Should -Not -Match '(?m)^\s*FAKE'
        $withoutColour | Should -Not -Match '[\x00-\x09\x0B-\x1F]'
    }
}

Describe 'Text from a server in the default views (<Rendering>)' -ForEach $Renderings {
    BeforeAll {
        Reset-Simulator
        Set-SimulatorEnvironment
        foreach ($facts in Get-ProviderFacts) { Set-SimulatorDataset $facts.Name 6 }
        $out = Join-Path $TestDrive "views-$Rendering"
        $null = New-Item -ItemType Directory -Force $out

        function Get-Rendered([string] $Name) {
            # The child writes each rendering to a file, so the parent reads exactly what it rendered.
            $path = Join-Path $out "$Name.txt"
            $script = @"
`$jobs = @(Get-ProviderJob -WarningAction SilentlyContinue)
[IO.File]::WriteAllText('$path-table.txt', (`$jobs | Out-String -Width 400))
[IO.File]::WriteAllText('$path-table80.txt', (`$jobs | Out-String -Width 80))
[IO.File]::WriteAllText('$path-list.txt', (`$jobs | Format-List | Out-String -Width 400))
"@
            $null = Invoke-ModuleProcess -Command $script -OutputRendering $Rendering
            foreach ($view in 'table', 'table80', 'list') { Get-Content -Raw -Encoding utf8 "$path-$view.txt" }
        }
    }

    It 'escapes it in <Property> of <Provider>, and the object keeps it exactly' -ForEach @(
        @{ Provider = 'Krea'; Field = 'job_id'; Property = 'Id'; Shown = 'table', 'list' }
        @{ Provider = 'Convertly'; Field = 'error_message'; Property = 'Error'; Shown = 'table', 'list' }
        @{ Provider = 'Ittybit'; Field = 'kind'; Property = 'Kind'; Shown = 'table', 'list' }
        @{ Provider = 'Unstructured'; Field = 'status'; Property = 'ProviderStatus'; Shown = 'list' }
        @{ Provider = 'Krea'; Field = 'type'; Property = 'Kind'; Shown = 'table', 'list' }
        @{ Provider = 'PyannoteAI'; Field = "note`e[2J"; Property = 'ExtraFields'; Shown = 'json' }
        @{ Provider = 'Convertly'; Field = 'created_at'; Property = 'UnreadableFields'; Shown = 'json' }
    ) {
        Set-SimulatorOption $Provider @{ poison = @{ index = 0; field = $Field; value = $Hostile } }
        try {
            $table, $table80, $list = Get-Rendered "$Provider-$Property"
            foreach ($text in $table, $table80, $list) { Assert-Inert $text $Rendering }
            # The field is shown, escaped: a raw sequence there would have failed the checks above.
            $list | Should -Match 'A\\u001b\[2J'
            if ('table' -in $Shown) { $table | Should -Match 'A\\u001b\[2J' }
            # Text is shown whole, every character that acts written as its escape; JSON cells (extra and
            # unreadable fields) are JSON first, whose escapes are of the same kind.
            if ('json' -notin $Shown) {
                $list | Should -Match ([regex]::Escape('A\u001b[2J\u001b[H\u001b]0;owned\u0007B\rC\nFAKE:D\u009b31m\u0085\u007f\u202eevil\u2066x\u2069\u2028Z'))
            }

            $jobs = @(Get-ProviderJob -Provider $Provider -WarningAction SilentlyContinue)
            $kept = @(if ($Property -in 'ExtraFields', 'UnreadableFields') { $jobs.$Property | Where-Object { $_ } | ForEach-Object { $_[$Field] } } else { $jobs.$Property })
            @($kept | Where-Object { $_ -ceq $Hostile }).Count | Should -Be 1
        }
        finally { Set-SimulatorOption $Provider @{ poison = $null } }
    }
}

Describe 'An account name with control characters (<Rendering>)' -ForEach $Renderings {
    BeforeAll { Reset-Simulator; Set-SimulatorEnvironment }

    It 'never reaches a view: Connect-ProviderAccount refuses it, and its error shows the name inert' {
        $out = Join-Path $TestDrive "accounts-$Rendering.txt"
        $script = @"
`$name = "ops`e[2J`e]0;owned`a`r`nFAKE`u{9B}`u{202E}x"
`$key = ConvertTo-SecureString -String `$env:KREA_API_KEY -AsPlainText -Force
try { Connect-ProviderAccount -Provider Krea -Name `$name -ApiKey `$key -BaseUri `$env:KREA_BASE_URL -ErrorAction Stop }
catch { `$shown = (`$_ | Out-String -Width 300) + `$_.FullyQualifiedErrorId }
`$connected = @(Get-ProviderAccount -Provider Krea | Where-Object IsConnected).Count
[IO.File]::WriteAllText('$out', `$shown + "`nconnected=" + `$connected)
"@
        $null = Invoke-ModuleProcess -Command $script -OutputRendering $Rendering
        $text = Get-Content -Raw -Encoding utf8 $out
        Assert-Inert $text $Rendering
        $text | Should -Match 'InvalidAccountName,JobsModule\.Commands\.ConnectProviderAccountCommand'
        $text | Should -Match ([regex]::Escape('ops\u001b[2J'))
        $text | Should -Match 'connected=0$'
    }
}

Describe 'Text from a server in messages (<Rendering>)' -ForEach $Renderings {
    BeforeAll {
        Reset-Simulator
        Set-SimulatorEnvironment
        foreach ($facts in Get-ProviderFacts) { Set-SimulatorDataset $facts.Name 6 }
    }
    AfterEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'a warning about an unreadable value' {
        Set-SimulatorOption Convertly @{ poison = @{ index = 0; field = 'created_at'; value = $Hostile } }
        $text = Invoke-ModuleProcess -Command 'Get-ProviderJob -Provider Convertly | Out-Null' -OutputRendering $Rendering
        Assert-Inert $text $Rendering
        $plain = $text -replace "`e\[[0-9;]*m", ''
        $plain | Should -Match "WARNING: Convertly job '[^']+' has a 'created_at' of `"A\\u001b\[2J\\u001b\[H"
    }

    It 'a warning while waiting, an error about a stop, and the -WhatIf text of a delete' {
        $krea = (Get-SimulatorJob Krea)[0].job_id
        Set-SimulatorOption Krea @{ poison = @{ index = 0; field = 'status'; value = $Hostile } }
        Clear-SimulatorLog
        $script = "Wait-ProviderJob -Provider Krea -Id '$krea' -Timeout 0 | Out-Null; Stop-ProviderJob -Provider Krea -Id '$krea' -Confirm:`$false; Remove-ProviderJob -Provider Krea -Id '$krea' -WhatIf; `$Error[0] | Format-List * -Force | Out-String -Width 300"
        $text = Invoke-ModuleProcess -Command $script -OutputRendering $Rendering
        Assert-Inert $text $Rendering
        $plain = $text -replace "`e\[[0-9;]*m", ''
        $plain | Should -Match "WARNING: Krea job '$krea' has status 'A\\u001b\[2J"
        $plain | Should -Match "has status 'A\\u001b\[2J[^']*', which the module does not know, so nothing was sent"
        $plain | Should -Match 'JobStatusUnknown,JobsModule\.Commands\.StopProviderJobCommand'
        $plain | Should -Match "What if: Performing the operation `"Delete the job and its results`" on target `"Krea job '$krea' \(A\\u001b\[2J"
        # Nothing was stopped or deleted.
        @(Get-SimulatorLog Krea | Where-Object method -NE 'GET').Count | Should -Be 0
        @(Get-SimulatorLog Krea).Count | Should -BeGreaterThan 2
    }
}

Describe 'Times in any time zone' -ForEach @(@{ Zone = 'America/New_York'; Offset = '-05:00:00' }, @{ Zone = 'Asia/Kolkata'; Offset = '05:30:00' }) {
    BeforeAll {
        Reset-Simulator
        Set-SimulatorEnvironment
        foreach ($facts in Get-ProviderFacts) { Set-SimulatorDataset $facts.Name 30 }
    }

    It 'CreatedAt compares rightly with Get-Date and [datetime]::UtcNow, and -CreatedAfter takes both and a job''s own time (<Zone>)' {
        $result = Join-Path $TestDrive "zone-$($Zone -replace '/', '-').json"
        $script = @"
`$jobs = @(Get-ProviderJob)
`$now = Get-Date
`$local = `$now.AddMinutes(-30)
`$utc = `$now.ToUniversalTime().AddMinutes(-30)
`$bound = `$local.ToUniversalTime().Ticks
`$newest = (`$jobs | Measure-Object CreatedAt -Maximum).Maximum
[ordered]@{
    Offset = [TimeZoneInfo]::Local.BaseUtcOffset.ToString()
    Expected = @(`$jobs | Where-Object { `$_.CreatedAt.UtcTicks -ge `$bound } | ForEach-Object Id)
    LocalWhere = @(`$jobs | Where-Object CreatedAt -ge `$local | ForEach-Object Id)
    UtcWhere = @(`$jobs | Where-Object CreatedAt -ge `$utc | ForEach-Object Id)
    LocalParameter = @(Get-ProviderJob -CreatedAfter `$local | ForEach-Object Id)
    UtcParameter = @(Get-ProviderJob -CreatedAfter `$utc | ForEach-Object Id)
    Unspecified = @(Get-ProviderJob -CreatedAfter ([datetime]::SpecifyKind(`$local, 'Unspecified')) | ForEach-Object Id)
    Text = @(Get-ProviderJob -CreatedAfter `$local.ToString('yyyy-MM-dd HH:mm:ss.fffffff', [cultureinfo]::InvariantCulture) | ForEach-Object Id)
    Newest = `$newest.UtcTicks
    NewestOffset = `$newest.Offset.ToString()
    AfterNewest = @(Get-ProviderJob -CreatedAfter `$newest.AddTicks(1)).Count
    FromNewest = @(Get-ProviderJob -CreatedAfter `$newest | ForEach-Object Id)
} | ConvertTo-Json | Set-Content -LiteralPath '$result' -Encoding utf8
"@
        $null = Invoke-ModuleProcess -Command $script -Environment @{ TZ = $Zone }
        $seen = Get-Content -Raw $result | ConvertFrom-Json

        # The child ran in the zone, so local and UTC times differ there.
        $seen.Offset | Should -Be $Offset
        $seen.Expected.Count | Should -BeGreaterThan 0
        $seen.Expected.Count | Should -BeLessThan 150
        foreach ($name in 'LocalWhere', 'UtcWhere', 'LocalParameter', 'UtcParameter', 'Unspecified', 'Text') {
            ($seen.$name | Sort-Object) -join ',' | Should -Be (($seen.Expected | Sort-Object) -join ',') -Because $name
        }
        $seen.NewestOffset | Should -Be '00:00:00'
        $seen.AfterNewest | Should -Be 0
        @($seen.FromNewest).Count | Should -BeGreaterThan 0
        $newestRaw = (Get-ProviderJob | Measure-Object CreatedAt -Maximum).Maximum
        $seen.Newest | Should -Be $newestRaw.UtcTicks
    }

    It 'the default views show UTC times, the same in the invariant culture whatever the zone and culture (<Zone>)' {
        $job = Get-ProviderJob -Provider Krea -First 1
        $text = Invoke-ModuleProcess -Command "[cultureinfo]::CurrentCulture = 'th-TH'; Get-ProviderJob -Provider Krea -First 1 | Out-String -Width 120; Get-ProviderJob -Provider Krea -First 1 | Format-List | Out-String -Width 120" -Environment @{ TZ = $Zone }
        $text | Should -Match ([regex]::Escape($job.CreatedAt.ToString('yyyy-MM-dd HH:mm:ss', [cultureinfo]::InvariantCulture)))
        $text | Should -Match ("(?m)^CreatedAt\s+: " + [regex]::Escape($job.CreatedAtIso) + '$')
    }
}

Describe 'Times in files' {
    BeforeAll {
        Reset-Simulator
        Set-SimulatorEnvironment
        foreach ($facts in Get-ProviderFacts) { Set-SimulatorDataset $facts.Name 60 }
        $Iso = '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$'
    }

    It 'Select-Object CommonFields | Export-Csv writes ISO 8601 UTC times with milliseconds that Import-Csv reads back exactly' {
        $jobs = @(Get-ProviderJob)
        @($jobs | Where-Object { $_.CreatedAt.Millisecond -ne 0 }).Count | Should -BeGreaterThan 0
        $path = Join-Path $TestDrive 'times.csv'
        $jobs | Select-Object CommonFields | Export-Csv -Path $path -NoTypeInformation -Encoding utf8
        (Get-Content -Path $path -TotalCount 1) | Should -Match '"CreatedAtIso","StartedAtIso","CompletedAtIso","UpdatedAtIso"'
        (Get-Content -Raw -Path $path) | Should -Not -Match '\d\d/\d\d/\d{4}'

        $rows = @(Import-Csv -Path $path -Encoding utf8)
        $rows.Count | Should -Be $jobs.Count
        $checked = 0
        for ($i = 0; $i -lt $jobs.Count; $i++) {
            foreach ($time in 'CreatedAt', 'StartedAt', 'CompletedAt', 'UpdatedAt') {
                $cell = $rows[$i]."$($time)Iso"
                if ($null -eq $jobs[$i].$time) { $cell | Should -BeNullOrEmpty; continue }
                $cell | Should -Match $Iso
                # Exact to the millisecond: the text has milliseconds, and the module's times come from providers at that precision or finer.
                $read = [DateTimeOffset]::Parse($cell, [cultureinfo]::InvariantCulture)
                $read.UtcTicks | Should -Be ($jobs[$i].$time.UtcTicks - $jobs[$i].$time.UtcTicks % [timespan]::TicksPerMillisecond)
                $read.Offset | Should -Be ([timespan]::Zero)
                $checked++
            }
        }
        $checked | Should -BeGreaterThan $jobs.Count
    }

    It 'ConvertTo-Json of CommonFields carries the same text, which a JSON reader gives back exactly' {
        $jobs = @(Get-ProviderJob -Provider Ittybit -First 10)
        $json = $jobs | Select-Object CommonFields | ConvertTo-Json -Depth 4
        $json | Should -Match '"CreatedAtIso": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"'
        # Read as text, by .NET's reader: ConvertFrom-Json turns dates into DateTime, and its -DateKind is 7.5 and later.
        $document = [System.Text.Json.JsonDocument]::Parse($json)
        $back = @($document.RootElement.EnumerateArray() | ForEach-Object { $_.GetProperty('CreatedAtIso').GetString() })
        $document.Dispose()
        $back | Should -HaveCount $jobs.Count
        for ($i = 0; $i -lt $jobs.Count; $i++) {
            $back[$i] | Should -BeExactly $jobs[$i].CreatedAtIso
            [DateTimeOffset]::Parse($back[$i], [cultureinfo]::InvariantCulture).UtcTicks | Should -Be ($jobs[$i].CreatedAt.UtcTicks - $jobs[$i].CreatedAt.UtcTicks % [timespan]::TicksPerMillisecond)
        }
    }
}
