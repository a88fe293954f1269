# A sixth provider is one adapter, its docs and its simulator routes: these tests fail when a provider the
# module knows is missing from a table of providers in the docs, from the simulator, or from the test facts.
BeforeDiscovery {
    $Root = Join-Path $PSScriptRoot '..'
    $Pages = @(@(Get-Item (Join-Path $Root 'README.md')) + @(Get-ChildItem (Join-Path $Root 'docs/en-US') -Filter *.md) |
            ForEach-Object { @{ Page = $_.FullName; File = $_.Name } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force
    # The providers the module knows, as tab completion offers them.
    $Names = @((TabExpansion2 -inputScript 'Get-ProviderJob -Provider ' -cursorColumn 26).CompletionMatches.CompletionText)

    function Get-MarkdownTable([string] $Path) {
        # Each run of lines that start with '|' outside code fences is one table.
        $table = [System.Collections.Generic.List[string]]::new()
        $inCode = $false
        foreach ($line in (Get-Content -LiteralPath $Path -Encoding utf8) + '') {
            if ($line -match '^\s*```') { $inCode = -not $inCode }
            if (-not $inCode -and $line -match '^\s*\|') { $table.Add($line); continue }
            if ($table.Count -gt 0) { , $table.ToArray(); $table.Clear() }
        }
    }
}

Describe 'The providers the module knows' {
    It 'are five, and tab completion offers each' {
        $Names.Count | Should -Be 5
        $Names | Should -Contain 'Krea'
    }

    It 'each have simulator routes' {
        $simulated = @((Get-SimulatorInfo).providers.psobject.Properties.Name)
        foreach ($name in $Names) { $simulated | Should -Contain $name.ToLowerInvariant() -Because "the simulator serves $name" }
    }

    It 'each have test facts' {
        foreach ($name in $Names) { Get-ProviderFacts $name | Should -Not -BeNullOrEmpty -Because "the tests know $name" }
    }
}

Describe 'Every table of providers in <File> names every provider' -ForEach $Pages {
    It 'has no table that names some providers but not all' {
        foreach ($table in @(Get-MarkdownTable $Page)) {
            # A table of providers has a row per provider (its first cells) or a column per provider (its header).
            $cells = @($table | ForEach-Object { ($_.Trim().Trim('|') -split '\|')[0].Trim(' ', '`', '*') })
            $header = $table[0]
            $columns = @($header -split '\|' | ForEach-Object { $_.Trim(' ', '`', '*') })
            foreach ($keys in @($cells, $columns)) {
                $named = @($Names | Where-Object { $_ -in $keys })
                if ($named.Count -ge 3) {
                    $missing = @($Names | Where-Object { $_ -notin $named })
                    $missing -join ', ' | Should -BeNullOrEmpty -Because "this table of $File has $($named -join ', '):`n$header"
                }
            }
        }
    }
}

Describe 'Every table of provider facts in <File> says what the registry says' -ForEach $Pages {
    # A fact written in a provider's row of a table (its key and base-URL variables, its default base URL,
    # its page sizes, its polling interval) is the registry's, so a changed adapter fails here until the docs follow.
    It 'has rows that agree with each provider''s ProviderInfo' {
        $infos = @{}
        foreach ($info in [JobsModule.ProviderRegistry]::Providers) { $infos[$info.Name] = $info }
        foreach ($table in @(Get-MarkdownTable $Page)) {
            $header = @(($table[0].Trim().Trim('|') -split '\|') | ForEach-Object { $_.Trim() })
            foreach ($row in $table | Select-Object -Skip 2) {
                $cells = @(($row.Trim().Trim('|') -split '\|') | ForEach-Object { $_.Trim() })
                $info = $infos[$cells[0].Trim('`', '*')]
                if (-not $info) { continue }
                $because = "the $($info.Name) row of a table in $File says '$($row.Trim())'"
                for ($i = 1; $i -lt [Math]::Min($cells.Count, $header.Count); $i++) {
                    $cell = $cells[$i]
                    switch -Regex ($header[$i]) {
                        '^Key(s| \(| variables)' {
                            @([regex]::Matches($cell, '[A-Z][A-Z0-9_]+_API_[A-Z]+').Value) | Should -Be @($info.KeyVariables) -Because $because
                        }
                        'Base URL variable' { ($cell -split '\s')[0].Trim('`') | Should -Be $info.BaseUriVariable -Because $because }
                        '^Default (base URL|address)' { $cell.Trim('`').TrimEnd('/') | Should -Be $info.DefaultBaseUri.AbsoluteUri.TrimEnd('/') -Because $because }
                        'Polling interval' {
                            if ($cell -match '^(\d+) s\b') { [int] $Matches[1] | Should -Be $info.PollingInterval.TotalSeconds -Because $because }
                        }
                        'Page size|Jobs per request' {
                            if ($cell -match '^1 to (\d+)') { [int] $Matches[1] | Should -Be $info.MaxPageSize -Because $because }
                        }
                    }
                }
            }
        }
    }
}
