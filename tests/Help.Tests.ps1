# The help: Get-Help shows complete help for every cmdlet, the markdown in docs/ matches the code,
# the about topic is there, and every example in the markdown runs against the provider simulator.
BeforeDiscovery {
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force
    $DocsPath = Join-Path $PSScriptRoot '../docs/en-US'

    function Get-ExampleCode([string] $Path) {
        # Each "### Example" of the page's ## EXAMPLES section: its title and its ```powershell code.
        $section = $null
        $current = $null
        $fence = $null
        foreach ($line in (Get-Content -LiteralPath $Path -Encoding utf8)) {
            if ($null -eq $fence -and $line -match '^##\s+(.+?)\s*$') { $section = $Matches[1]; $current = $null; continue }
            if ($section -ne 'EXAMPLES') { continue }
            if ($null -eq $fence -and $line -match '^###\s+(.+?)\s*$') {
                $current = @{ Title = $Matches[1]; Code = New-Object System.Collections.Generic.List[string] }
                $current
                continue
            }
            if ($line -match '^\s*```\s*(\S*)') {
                $fence = if ($null -eq $fence) { $Matches[1] } else { $null }
                continue
            }
            if ($null -ne $current -and $fence -eq 'powershell') { $current.Code.Add($line) }
        }
    }

    $Cmdlets = @((Get-Module JobsModule).ExportedCmdlets.Keys | Sort-Object | ForEach-Object {
            @{ Name = $_; Page = Join-Path $DocsPath "$_.md" }
        })
    $Examples = @(foreach ($cmdlet in $Cmdlets) {
            if (Test-Path -LiteralPath $cmdlet.Page) {
                # Collected first: each example is written before its code lines are read.
                @(Get-ExampleCode $cmdlet.Page) | ForEach-Object { @{ Name = $cmdlet.Name; Title = $_.Title; Code = $_.Code -join "`n" } }
            }
        })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $DocsPath = Join-Path $PSScriptRoot '../docs/en-US'
    $HelpPath = Join-Path $env:JOBSMODULE_MODULE_PATH 'en-US'
    $MamlPath = Join-Path $HelpPath 'JobsModule.dll-Help.xml'
    $AboutPath = Join-Path $HelpPath 'about_JobsModule.help.txt'

    # build.ps1 writes the help with New-JobsModuleHelp; a build from before that step has none, so write it here.
    if (-not (Test-Path -LiteralPath $MamlPath) -or -not (Test-Path -LiteralPath $AboutPath)) {
        Write-Warning "No help in $HelpPath; writing it from $DocsPath for this run."
        Import-Module (Join-Path $PSScriptRoot '../src/Build/HelpConverter.psm1') -Force
        $null = New-JobsModuleHelp -MarkdownPath $DocsPath -OutputPath $HelpPath
    }

    Import-Module $env:JOBSMODULE_MODULE_PATH -Force

    $CommonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    $PagingParameters = 'First', 'Skip', 'IncludeTotalCount'

    function Get-DocumentedParameter([string] $Path) {
        # The "### -Name" headings of the page's ## PARAMETERS section.
        $section = $null
        $inCode = $false
        foreach ($line in (Get-Content -LiteralPath $Path -Encoding utf8)) {
            if ($line -match '^\s*```') { $inCode = -not $inCode; continue }
            if ($inCode) { continue }
            if ($line -match '^##\s+(.+?)\s*$') { $section = $Matches[1]; continue }
            if ($section -eq 'PARAMETERS' -and $line -match '^###\s+-(\S+)') { $Matches[1] }
        }
    }

    function Get-CodeParameter([string] $Name) {
        (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $CommonParameters }
    }

    function Get-Text($Value) {
        # The text of a help field, whether Get-Help gives a string or paragraph objects.
        (@($Value) | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.Text } }) -join "`n"
    }
}

Describe 'The help files of the built module' {
    It 'has the MAML file with one command per cmdlet page' {
        $MamlPath | Should -Exist
        $xml = [xml](Get-Content -Raw -LiteralPath $MamlPath -Encoding utf8)
        $names = @($xml.helpItems.command | ForEach-Object { $_.details.name })
        $pages = @(Get-ChildItem -LiteralPath $DocsPath -Filter '*-*.md' | ForEach-Object BaseName)
        ($names | Sort-Object) -join ',' | Should -Be (($pages | Sort-Object) -join ',')
    }

    It 'has the about topic as text' {
        $AboutPath | Should -Exist
        (Get-Content -LiteralPath $AboutPath -TotalCount 5)[4].Trim() | Should -Not -BeNullOrEmpty
    }
}

Describe 'Get-Help <Name>' -ForEach $Cmdlets {
    BeforeAll {
        $help = Get-Help $Name -Full
    }

    It 'has a markdown page' {
        $Page | Should -Exist
    }

    It 'has a written synopsis, not the generated one' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis.Trim() | Should -Not -Match ('^' + [regex]::Escape($Name) + '(\s|$)')
    }

    It 'has a description' {
        Get-Text $help.Description | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter' {
        $undescribed = foreach ($parameter in (Get-CodeParameter $Name)) {
            $entry = @($help.parameters.parameter) | Where-Object { $_.name -eq $parameter }
            if (-not $entry -or -not (Get-Text $entry.description).Trim()) { $parameter }
        }
        @($undescribed) -join ', ' | Should -BeNullOrEmpty -Because 'Get-Help -Parameter should explain every parameter'
    }

    It 'has at least three examples, each with code and an explanation' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 3
        foreach ($example in $examples) {
            $example.code | Should -Not -BeNullOrEmpty
            (Get-Text $example.remarks).Trim() | Should -Not -BeNullOrEmpty
        }
    }

    It 'names its inputs and outputs' {
        @($help.inputTypes.inputType).Count | Should -BeGreaterThan 0
        @($help.returnValues.returnValue).Count | Should -BeGreaterThan 0
    }

    It 'opens its own page with -Online: the first related link is its page in the project' {
        # Get-Help -Online opens the first related link that has a URI.
        $own = (Get-Module JobsModule).ProjectUri.AbsoluteUri.TrimEnd('/') + "/blob/main/docs/en-US/$Name.md"
        $links = @($help.relatedLinks.navigationLink)
        $links[0].uri | Should -BeExactly $own
        @($links | Where-Object { $_.uri })[0].uri | Should -BeExactly $own
    }
}

Describe 'The markdown of <Name> matches the code' -ForEach $Cmdlets {
    BeforeAll {
        $documented = @(Get-DocumentedParameter $Page)
        $inCode = @(Get-CodeParameter $Name)
        # -WhatIf and -Confirm are the cmdlet's own when it supports ShouldProcess; platyPS documents them.
        $shouldProcess = @((Get-Command $Name).Parameters.Keys | Where-Object { $_ -in [System.Management.Automation.PSCmdlet]::OptionalCommonParameters })
    }

    It 'documents every parameter in the code under ## PARAMETERS' {
        $missing = $inCode | Where-Object { $_ -notin $PagingParameters -and $_ -notin $documented }
        @($missing) -join ', ' | Should -BeNullOrEmpty -Because "these parameters of $Name are not documented in $Page"
    }

    It 'documents no parameter the code does not have' {
        $extra = $documented | Where-Object { $_ -notin $PagingParameters -and $_ -notin $inCode -and $_ -notin $shouldProcess }
        @($extra) -join ', ' | Should -BeNullOrEmpty -Because "these parameters in $Page are not parameters of $Name"
    }

    It 'documents the paging parameters when the cmdlet supports paging' {
        $missing = $PagingParameters | Where-Object { $_ -in $inCode -and $_ -notin $documented }
        @($missing) -join ', ' | Should -BeNullOrEmpty
    }

    It 'documents each parameter once' {
        $twice = $documented | Group-Object | Where-Object Count -gt 1 | ForEach-Object Name
        @($twice) -join ', ' | Should -BeNullOrEmpty
    }
}

Describe 'The help converter' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../src/Build/HelpConverter.psm1') -Force
    }

    It 'keeps what a code span holds, backticks and brackets included' {
        Import-Module $env:JOBSMODULE_MODULE_PATH -Force
        $account = Get-Text (Get-Help Get-ProviderJob -Parameter Account).description
        $account | Should -Match 'write `\[ for a literal bracket'
        $account | Should -Match 'such as \[ alone'

        $docs = New-Item -ItemType Directory -Force (Join-Path $TestDrive 'docs')
        @(
            '# about_ConverterFixture'
            ''
            '## SHORT DESCRIPTION'
            'Code spans.'
            ''
            '## LONG DESCRIPTION'
            'A: write `` `[ `` for a bracket.'
            ''
            'B: ``a ` b`` and ```x `` y```.'
            ''
            'C: `**not bold**` but **bold**, `[x](y)` but [a link](https://example.com), `\*` but \*.'
            ''
            'D: an escaped \` backtick, and `a span'
            'over two lines`.'
        ) | Set-Content -LiteralPath (Join-Path $docs 'about_ConverterFixture.help.md') -Encoding utf8
        $out = Join-Path $TestDrive 'help'
        $null = ConvertTo-MamlHelp -MarkdownPath $docs -OutputPath $out -AboutOnly
        $text = (Get-Content -Raw -LiteralPath (Join-Path $out 'about_ConverterFixture.help.txt')) -replace '\s+', ' '

        $text | Should -Match ([regex]::Escape('A: write `[ for a bracket.'))
        $text | Should -Match ([regex]::Escape('B: a ` b and x `` y.'))
        $text | Should -Match ([regex]::Escape('C: **not bold** but bold, [x](y) but a link (https://example.com), \* but *.'))
        $text | Should -Match ([regex]::Escape('D: an escaped ` backtick, and a span over two lines.'))
    }
}

Describe 'about_JobsModule' {
    It 'is found by Get-Help' {
        $topic = Get-Help about_JobsModule
        $topic | Should -Not -BeNullOrEmpty
        $topic.Name | Should -Be 'about_JobsModule'
        $topic.Synopsis | Should -Match 'pyannoteAI'
        ($topic | Out-String) | Should -Match 'LONG DESCRIPTION'
    }
}

Describe 'about_JobsModule_Providers' {
    It 'is found by Get-Help, with a section for every provider the module knows' {
        $topic = Get-Help about_JobsModule_Providers
        $topic.Name | Should -Be 'about_JobsModule_Providers'
        $text = $topic | Out-String
        foreach ($provider in [JobsModule.ProviderRegistry]::Providers) {
            $text | Should -Match ("(?im)^\s*" + [regex]::Escape($provider.Name) + "\s*$") -Because "$($provider.Name) needs its own section"
            $text | Should -Match ([regex]::Escape($provider.DefaultBaseUri.AbsoluteUri.TrimEnd('/')))
        }
    }
}

Describe 'Examples of <Name> run against the simulator' -ForEach $Cmdlets {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'HelpExampleChecks.ps1')
    }

    AfterEach {
        # An example that failed half way may leave its accounts behind; the next one starts clean.
        Get-ProviderAccount | Where-Object IsConnected | Disconnect-ProviderAccount
    }

    AfterAll {
        Remove-Item (Join-Path ([IO.Path]::GetTempPath()) 'failed-jobs.csv') -ErrorAction Ignore
        Remove-Item (Join-Path ([IO.Path]::GetTempPath()) 'jobs-watch*.json*') -ErrorAction Ignore
    }

    It '<Title>' -ForEach @($Examples | Where-Object { $_.Name -eq $Name }) {
        $Code | Should -Not -BeNullOrEmpty
        $check = $ExampleChecks["${Name}: $Title"]
        $check | Should -Not -BeNullOrEmpty -Because 'each example says what it does, and tests/HelpExampleChecks.ps1 checks that it does it'
        Reset-Simulator
        Set-SimulatorEnvironment
        if ($ExampleSetup["${Name}: $Title"]) { & $ExampleSetup["${Name}: $Title"] }
        $example = [scriptblock]::Create($Code)
        # A fresh scope per example, where any error stops it. Warnings are kept: some examples are about them.
        $failure = $null
        $all = @()
        try { $all = @(& { $ErrorActionPreference = 'Stop'; & $example 3>&1 4>$null 5>$null 6>$null }) }
        catch { $failure = $_ }
        $failure | Should -BeNullOrEmpty -Because 'the example runs without an error'

        $run = New-ExampleRun $all
        & $check $run
        (Get-ProviderAccount | Where-Object IsConnected | ForEach-Object Name) -join ', ' | Should -BeNullOrEmpty -Because 'each example disconnects the accounts it connects'
    }
}
