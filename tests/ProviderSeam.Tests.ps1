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
