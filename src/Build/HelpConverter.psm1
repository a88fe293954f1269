# Turns the help written in platyPS's markdown schema (docs/<culture>/) into the files Get-Help reads:
# one MAML file per "external help file" for the cmdlet pages, and about_<Name>.help.txt per about topic.
# Plain PowerShell and System.Xml, for PowerShell 7 and Windows PowerShell 5.1 alike, so that the build
# does not need platyPS. Where platyPS is installed, New-JobsModuleHelp uses its New-ExternalHelp instead.
Set-StrictMode -Version 2.0

$script:Ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}
$script:Fence = '^\s*(```|~~~)'

#region Reading markdown

function Read-MarkdownFile {
    # The file as lines (any line ending) and its YAML front matter as a table.
    param([string] $Path)
    $lines = @([System.IO.File]::ReadAllText($Path, [System.Text.Encoding]::UTF8) -split '\r?\n')
    $metadata = @{}
    $start = 0
    if ($lines.Count -gt 0 -and $lines[0].Trim() -eq '---') {
        for ($i = 1; $i -lt $lines.Count; $i++) {
            if ($lines[$i].Trim() -eq '---') { $start = $i + 1; break }
            if ($lines[$i] -match '^\s*([^:]+?)\s*:\s*(.*?)\s*$') { $metadata[$Matches[1]] = $Matches[2] }
        }
    }
    New-Object psobject -Property @{ Metadata = $metadata; Lines = @($lines | Select-Object -Skip $start) }
}

function Split-MarkdownSection {
    # Splits lines at headings of one level ('#' count), never inside a code fence.
    # Returns objects with Title (null for the text before the first heading) and Lines.
    param([string[]] $Lines, [int] $Level)
    $marker = '^' + ('#' * $Level) + '\s+(.+?)\s*#*\s*$'
    $current = New-Object psobject -Property @{ Title = $null; Lines = New-Object System.Collections.Generic.List[string] }
    $sections = New-Object System.Collections.Generic.List[object]
    $sections.Add($current)
    $inCode = $false
    foreach ($line in $Lines) {
        if ($line -match $script:Fence) { $inCode = -not $inCode }
        if (-not $inCode -and $line -match $marker) {
            $current = New-Object psobject -Property @{ Title = $Matches[1]; Lines = New-Object System.Collections.Generic.List[string] }
            $sections.Add($current)
        }
        else {
            $current.Lines.Add($line)
        }
    }
    $sections
}

function Get-CodeBlock {
    # The fenced code blocks in the lines: Language and Text of each.
    param([string[]] $Lines)
    $block = $null
    foreach ($line in $Lines) {
        if ($line -match '^\s*(```|~~~)\s*(\S*)') {
            if ($null -eq $block) { $block = New-Object psobject -Property @{ Language = $Matches[2]; Body = New-Object System.Collections.Generic.List[string] } }
            else { New-Object psobject -Property @{ Language = $block.Language; Text = ($block.Body -join "`n") }; $block = $null }
        }
        elseif ($null -ne $block) { $block.Body.Add($line) }
    }
}

function Get-ProseLine {
    # The lines that are not inside a code fence.
    param([string[]] $Lines)
    $inCode = $false
    foreach ($line in $Lines) {
        if ($line -match $script:Fence) { $inCode = -not $inCode; continue }
        if (-not $inCode) { $line }
    }
}

function ConvertFrom-InlineMarkdown {
    # Plain text for the console: code spans as their content, no emphasis, links as their text.
    # A code span runs from a run of backticks to the next run of the same length (CommonMark), so
    # `` `[ `` is the two characters `[ (one space is trimmed from each end when both ends have one).
    # What it holds is literal: a backtick, a bracket or a backslash in it is no markup.
    param([string] $Text)
    $plain = New-Object System.Text.StringBuilder
    $at = 0
    foreach ($span in [regex]::Matches($Text, '(?<![`\\])(`+)(?!`)(.+?)(?<!`)\1(?!`)')) {
        $null = $plain.Append((ConvertFrom-MarkdownProse $Text.Substring($at, $span.Index - $at)))
        $code = $span.Groups[2].Value
        if ($code.Length -ge 2 -and $code.StartsWith(' ') -and $code.EndsWith(' ') -and $code.Trim()) { $code = $code.Substring(1, $code.Length - 2) }
        $null = $plain.Append($code)
        $at = $span.Index + $span.Length
    }
    $null = $plain.Append((ConvertFrom-MarkdownProse $Text.Substring($at)))
    $plain.ToString()
}

function ConvertFrom-MarkdownProse {
    # Markdown outside code spans as plain text: links as their text, no emphasis, escapes undone. A
    # backtick that opens no span on this line (a span that goes on to the next line) is left out.
    param([string] $Text)
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\((https?://[^)]+)\)', '$1 ($2)')
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\([^)]*\)', '$1')
    $Text = [regex]::Replace($Text, '(\*\*|__)(.+?)\1', '$2')
    $Text = [regex]::Replace($Text, '(?<!\\)`', '')
    $Text -replace '\\([\\`*_<>\[\]#|-])', '$1'
}

function ConvertTo-Block {
    # Markdown prose to blocks: Kind 'Text' (one paragraph, joined into one line), 'List' (one line per
    # item), 'Table' (rows of cells) or 'Code' (lines kept as written).
    param([string[]] $Lines)
    $blocks = New-Object System.Collections.Generic.List[object]
    $current = $null
    $inCode = $false
    foreach ($line in $Lines) {
        if ($line -match $script:Fence) {
            if ($inCode) { $inCode = $false; $current = $null }
            else { $inCode = $true; $current = New-Object psobject -Property @{ Kind = 'Code'; Items = New-Object System.Collections.Generic.List[object] }; $blocks.Add($current) }
            continue
        }
        if ($inCode) { $current.Items.Add($line); continue }
        if ($line.Trim() -eq '') { $current = $null; continue }

        $kind = 'Text'
        $text = $line.Trim()
        if ($text -match '^\|') { $kind = 'Table' }
        elseif ($text -match '^([-*+]|\d+\.)\s+') { $kind = 'List' }
        $continues = $null -ne $current -and ($current.Kind -eq $kind -or ($current.Kind -eq 'List' -and $line -match '^\s'))
        if (-not $continues) {
            $current = New-Object psobject -Property @{ Kind = $kind; Items = New-Object System.Collections.Generic.List[object] }
            $blocks.Add($current)
        }
        if ($current.Kind -eq 'Table') {
            if ($text -match '^\|[\s:|-]+\|?$') { continue }   # the |---|---| line
            $cells = @($text.Trim('|').Split('|') | ForEach-Object { ConvertFrom-InlineMarkdown $_.Trim() })
            $current.Items.Add($cells)
        }
        elseif ($kind -eq 'List' -or $current.Items.Count -eq 0) {
            $current.Items.Add((ConvertFrom-InlineMarkdown $text))
        }
        else {
            $last = $current.Items.Count - 1
            $current.Items[$last] = $current.Items[$last] + ' ' + (ConvertFrom-InlineMarkdown $text)
        }
    }
    $blocks
}

function Format-Table2D {
    # A table as aligned text lines with a dashed line under the header.
    param([object[]] $Rows)
    $widths = @{}
    foreach ($row in $Rows) {
        for ($c = 0; $c -lt $row.Count; $c++) {
            if (-not $widths.ContainsKey($c) -or $row[$c].Length -gt $widths[$c]) { $widths[$c] = $row[$c].Length }
        }
    }
    $out = New-Object System.Collections.Generic.List[string]
    for ($r = 0; $r -lt $Rows.Count; $r++) {
        $cells = for ($c = 0; $c -lt $Rows[$r].Count; $c++) { $Rows[$r][$c].PadRight($widths[$c]) }
        $out.Add(($cells -join '  ').TrimEnd())
        if ($r -eq 0) { $out.Add((@(for ($c = 0; $c -lt $Rows[0].Count; $c++) { '-' * $widths[$c] }) -join '  ')) }
    }
    $out
}

function ConvertTo-Paragraph {
    # Markdown prose to the paragraphs of a MAML description: one string per block.
    param([string[]] $Lines)
    foreach ($block in (ConvertTo-Block $Lines)) {
        switch ($block.Kind) {
            'Text' { $block.Items[0] }
            'List' { ($block.Items | ForEach-Object { $_ -replace '^[*+]\s', '- ' }) -join "`n" }
            'Table' { (Format-Table2D $block.Items) -join "`n" }
            'Code' { ($block.Items | ForEach-Object { '    ' + $_ }) -join "`n" }
        }
    }
}

function Read-CommandPage {
    # One platyPS cmdlet page as a model the MAML writer uses.
    param([string] $Path)
    $file = Read-MarkdownFile $Path
    $top = @(Split-MarkdownSection $file.Lines 1)
    $named = @($top | Where-Object { $_.Title })
    if ($named.Count -eq 0) { throw "$Path has no '# Command-Name' heading." }
    $command = @{ Name = $named[0].Title; File = $Path; Metadata = $file.Metadata; Synopsis = ''; Description = @(); SetNames = @()
        Parameters = @(); Inputs = @(); Outputs = @(); Notes = @(); Examples = @(); Links = @() }

    foreach ($section in (Split-MarkdownSection $named[0].Lines 2)) {
        if (-not $section.Title) { continue }
        $subsections = @(Split-MarkdownSection $section.Lines 3 | Where-Object { $_.Title })
        switch ($section.Title.ToUpperInvariant()) {
            'SYNOPSIS' { $command.Synopsis = (@(ConvertTo-Paragraph $section.Lines) -join ' ') }
            'DESCRIPTION' { $command.Description = @(ConvertTo-Paragraph $section.Lines) }
            'NOTES' { $command.Notes = @(ConvertTo-Paragraph $section.Lines) }
            'SYNTAX' { $command.SetNames = @($subsections | ForEach-Object { $_.Title -replace '\s*\(Default\)\s*$', '' }) }
            'EXAMPLES' {
                $command.Examples = @(foreach ($example in $subsections) {
                        @{
                            Title   = $example.Title
                            Code    = (@(Get-CodeBlock $example.Lines | ForEach-Object { $_.Text }) -join "`n`n")
                            Remarks = @(ConvertTo-Paragraph @(Get-ProseLine $example.Lines))
                        }
                    })
            }
            'PARAMETERS' {
                $command.Parameters = @(foreach ($parameter in $subsections) {
                        if ($parameter.Title -notmatch '^-') { continue }   # CommonParameters
                        $fields = @{}
                        foreach ($yaml in @(Get-CodeBlock $parameter.Lines | Where-Object { $_.Language -eq 'yaml' })) {
                            foreach ($line in ($yaml.Text -split "`n")) {
                                if ($line -match '^\s*([^:]+?)\s*:\s*(.*?)\s*$') { $fields[$Matches[1]] = $Matches[2] }
                            }
                        }
                        @{ Name = $parameter.Title.TrimStart('-'); Description = @(ConvertTo-Paragraph @(Get-ProseLine $parameter.Lines)); Fields = $fields }
                    })
            }
            { $_ -eq 'INPUTS' -or $_ -eq 'OUTPUTS' } {
                $types = @(foreach ($type in $subsections) { @{ Name = $type.Title; Description = @(ConvertTo-Paragraph $type.Lines) } })
                if ($_ -eq 'INPUTS') { $command.Inputs = $types } else { $command.Outputs = $types }
            }
            'RELATED LINKS' {
                $command.Links = @(foreach ($line in (Get-ProseLine $section.Lines)) {
                        if ($line -match '\[([^\]]+)\]\(([^)]*)\)') { @{ Text = $Matches[1]; Uri = $Matches[2] } }
                        elseif ($line -match '^\s*[-*]?\s*(\S.*?)\s*$') { @{ Text = $Matches[1]; Uri = '' } }
                    })
            }
        }
    }
    $command
}

#endregion

#region Writing MAML

function Get-Field {
    param([hashtable] $Fields, [string] $Name, [string] $Default)
    if ($Fields.ContainsKey($Name) -and $Fields[$Name] -ne '') { $Fields[$Name] } else { $Default }
}

function Write-Para {
    # <maml:description> with one <maml:para> per paragraph.
    param([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs, [string] $Element = 'description')
    $Writer.WriteStartElement('maml', $Element, $script:Ns.maml)
    foreach ($paragraph in $Paragraphs) { $Writer.WriteElementString('maml', 'para', $script:Ns.maml, $paragraph) }
    $Writer.WriteEndElement()
}

function Write-Parameter {
    # One <command:parameter>, in the syntax (no description, switches without a value) or the parameter list.
    param([System.Xml.XmlWriter] $Writer, [hashtable] $Parameter, [bool] $InSyntax)
    $fields = $Parameter.Fields
    $type = Get-Field $fields 'Type' 'Object'
    $isSwitch = $type -eq 'SwitchParameter'
    $position = Get-Field $fields 'Position' 'Named'
    if ($position -match '^named$') { $position = 'named' }
    $aliases = Get-Field $fields 'Aliases' 'none'
    $pipeline = Get-Field $fields 'Accept pipeline input' 'False'
    $accepted = @((Get-Field $fields 'Accepted values' '') -split '\s*,\s*' | Where-Object { $_ })

    $w = $Writer
    $w.WriteStartElement('command', 'parameter', $script:Ns.command)
    $w.WriteAttributeString('required', (Get-Field $fields 'Required' 'False').ToLowerInvariant())
    $w.WriteAttributeString('variableLength', $(if ($type.EndsWith('[]')) { 'true' } else { 'false' }))
    $w.WriteAttributeString('globbing', (Get-Field $fields 'Accept wildcard characters' 'False').ToLowerInvariant())
    $w.WriteAttributeString('pipelineInput', $pipeline)
    $w.WriteAttributeString('position', $position)
    $w.WriteAttributeString('aliases', $aliases)
    $w.WriteElementString('maml', 'name', $script:Ns.maml, $Parameter.Name)
    if (-not $InSyntax) { Write-Para $w $Parameter.Description }
    if ($accepted.Count -gt 0) {
        $w.WriteStartElement('command', 'parameterValueGroup', $script:Ns.command)
        foreach ($value in $accepted) {
            $w.WriteStartElement('command', 'parameterValue', $script:Ns.command)
            $w.WriteAttributeString('required', 'false')
            $w.WriteAttributeString('variableLength', 'false')
            $w.WriteString($value)
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    if (-not ($InSyntax -and $isSwitch)) {
        $w.WriteStartElement('command', 'parameterValue', $script:Ns.command)
        $w.WriteAttributeString('required', $(if ($isSwitch) { 'false' } else { 'true' }))
        $w.WriteAttributeString('variableLength', 'false')
        $w.WriteString($type)
        $w.WriteEndElement()
    }
    $w.WriteStartElement('dev', 'type', $script:Ns.dev)
    $w.WriteElementString('maml', 'name', $script:Ns.maml, $type)
    $w.WriteElementString('maml', 'uri', $script:Ns.maml, '')
    $w.WriteEndElement()
    $w.WriteElementString('dev', 'defaultValue', $script:Ns.dev, (Get-Field $fields 'Default value' 'None'))
    $w.WriteEndElement()
}

function Write-TypeList {
    # <command:inputTypes>/<command:returnValues> from the INPUTS/OUTPUTS sections.
    param([System.Xml.XmlWriter] $Writer, [string] $ListName, [string] $ItemName, [object[]] $Types)
    $Writer.WriteStartElement('command', $ListName, $script:Ns.command)
    foreach ($type in $Types) {
        $Writer.WriteStartElement('command', $ItemName, $script:Ns.command)
        $Writer.WriteStartElement('dev', 'type', $script:Ns.dev)
        $Writer.WriteElementString('maml', 'name', $script:Ns.maml, $type.Name)
        $Writer.WriteEndElement()
        Write-Para $Writer $type.Description
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-MamlCommand {
    param([System.Xml.XmlWriter] $Writer, [hashtable] $Command)
    $w = $Writer
    $verb, $noun = $Command.Name -split '-', 2
    $w.WriteStartElement('command', 'command', $script:Ns.command)
    foreach ($prefix in 'maml', 'command', 'dev', 'MSHelp') { $w.WriteAttributeString('xmlns', $prefix, $null, $script:Ns[$prefix]) }

    $w.WriteStartElement('command', 'details', $script:Ns.command)
    $w.WriteElementString('command', 'name', $script:Ns.command, $Command.Name)
    $w.WriteElementString('command', 'verb', $script:Ns.command, $verb)
    $w.WriteElementString('command', 'noun', $script:Ns.command, $noun)
    Write-Para $w @($Command.Synopsis)
    $w.WriteEndElement()
    Write-Para $w $Command.Description

    # One syntax item per parameter set named under ## SYNTAX; __AllParameterSets (or none) holds every parameter.
    $w.WriteStartElement('command', 'syntax', $script:Ns.command)
    $setNames = @($Command.SetNames)
    if ($setNames.Count -eq 0) { $setNames = @('__AllParameterSets') }
    foreach ($set in $setNames) {
        $w.WriteStartElement('command', 'syntaxItem', $script:Ns.command)
        $w.WriteElementString('maml', 'name', $script:Ns.maml, $Command.Name)
        foreach ($parameter in $Command.Parameters) {
            $sets = @((Get-Field $parameter.Fields 'Parameter Sets' '(All)') -split '\s*,\s*')
            if ($set -eq '__AllParameterSets' -or $sets -contains '(All)' -or $sets -contains $set) { Write-Parameter $w $parameter $true }
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'parameters', $script:Ns.command)
    foreach ($parameter in $Command.Parameters) { Write-Parameter $w $parameter $false }
    $w.WriteEndElement()

    Write-TypeList $w 'inputTypes' 'inputType' $Command.Inputs
    Write-TypeList $w 'returnValues' 'returnValue' $Command.Outputs

    $w.WriteStartElement('maml', 'alertSet', $script:Ns.maml)
    $w.WriteStartElement('maml', 'alert', $script:Ns.maml)
    foreach ($paragraph in $Command.Notes) { $w.WriteElementString('maml', 'para', $script:Ns.maml, $paragraph) }
    $w.WriteEndElement()
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'examples', $script:Ns.command)
    foreach ($example in $Command.Examples) {
        $w.WriteStartElement('command', 'example', $script:Ns.command)
        $w.WriteElementString('maml', 'title', $script:Ns.maml, ('-' * 10) + ' ' + $example.Title + ' ' + ('-' * 10))
        $w.WriteElementString('dev', 'code', $script:Ns.dev, $example.Code)
        # A last empty paragraph keeps a blank line between one example and the next title.
        Write-Para $w (@($example.Remarks) + '') 'remarks'
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'relatedLinks', $script:Ns.command)
    $online = Get-Field $Command.Metadata 'online version' ''
    $links = @($Command.Links)
    if ($online) { $links = @(@{ Text = 'Online Version:'; Uri = $online }) + $links }
    foreach ($link in $links) {
        $w.WriteStartElement('maml', 'navigationLink', $script:Ns.maml)
        $w.WriteElementString('maml', 'linkText', $script:Ns.maml, $link.Text)
        # Only web addresses mean something to Get-Help -Online; a link to another page is its name alone.
        $w.WriteElementString('maml', 'uri', $script:Ns.maml, $(if ($link.Uri -match '^https?://') { $link.Uri } else { '' }))
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteEndElement()
}

function Export-MamlFile {
    # Writes the commands into one MAML file.
    param([string] $Path, [object[]] $Commands)
    $settings = New-Object System.Xml.XmlWriterSettings
    $settings.Indent = $true
    $settings.Encoding = New-Object System.Text.UTF8Encoding $false
    $writer = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($command in $Commands) { Write-MamlCommand $writer $command }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally {
        $writer.Close()
    }
    Get-Item -LiteralPath $Path
}

#endregion

#region About topics

function Get-WrappedLine {
    # Word-wraps one paragraph to the width, each line starting with the indent (the first with FirstIndent).
    param([string] $Text, [string] $Indent, [int] $Width, [string] $FirstIndent = $Indent)
    $line = $FirstIndent
    $empty = $true
    foreach ($word in ($Text -split '\s+' | Where-Object { $_ })) {
        if (-not $empty -and ($line.Length + 1 + $word.Length) -gt $Width) { $line; $line = $Indent; $empty = $true }
        if ($empty) { $line += $word } else { $line += ' ' + $word }
        $empty = $false
    }
    if (-not $empty) { $line }
}

function ConvertTo-AboutText {
    # An about_*.help.md page (# about_Name, ## SHORT DESCRIPTION, ...) as the classic about_*.help.txt text:
    # TOPIC on the first line and the short description on the fifth, where Get-Help looks for its synopsis.
    param([string] $Path, [int] $Width = 80)
    $file = Read-MarkdownFile $Path
    $out = New-Object System.Collections.Generic.List[string]
    foreach ($h1 in (Split-MarkdownSection $file.Lines 1)) {
        if (-not $h1.Title) { continue }
        $out.Add('TOPIC'); $out.Add('    ' + $h1.Title)
        foreach ($h2 in (Split-MarkdownSection $h1.Lines 2)) {
            foreach ($h3 in (Split-MarkdownSection $h2.Lines 3)) {
                if ($null -eq $h3.Title -and $h2.Title) { $out.Add(''); $out.Add($h2.Title.ToUpperInvariant()) }
                elseif ($h3.Title) { $out.Add(''); $out.Add('    ' + $h3.Title); $out.Add('    ' + ('-' * $h3.Title.Length)) }
                $first = $true
                foreach ($block in (ConvertTo-Block $h3.Lines)) {
                    if (-not $first) { $out.Add('') }
                    $first = $false
                    switch ($block.Kind) {
                        'Text' { Get-WrappedLine $block.Items[0] '    ' $Width | ForEach-Object { $out.Add($_) } }
                        'List' { foreach ($item in $block.Items) { Get-WrappedLine ($item -replace '^([-*+])\s+', '') '      ' $Width '    - ' | ForEach-Object { $out.Add($_) } } }
                        'Table' { Format-Table2D $block.Items | ForEach-Object { $out.Add('    ' + $_) } }
                        'Code' { foreach ($line in $block.Items) { $out.Add(('        ' + $line).TrimEnd()) } }
                    }
                }
            }
        }
    }
    ($out -join [Environment]::NewLine) + [Environment]::NewLine
}

function Export-AboutFile {
    param([System.IO.FileInfo] $File, [string] $OutputPath)
    $name = $File.Name -replace '(\.help)?\.md$', ''
    $path = Join-Path $OutputPath ($name + '.help.txt')
    # UTF-8 with a byte order mark, so that Windows PowerShell 5.1 reads non-ASCII text correctly too.
    [System.IO.File]::WriteAllText($path, (ConvertTo-AboutText $File.FullName), (New-Object System.Text.UTF8Encoding $true))
    Get-Item -LiteralPath $path
}

#endregion

function Get-HelpSource {
    # The cmdlet pages (Verb-Noun.md) and about topics (about_*.md) in a folder.
    param([string] $MarkdownPath)
    if (-not (Test-Path -LiteralPath $MarkdownPath -PathType Container)) { throw "No markdown help folder at '$MarkdownPath'." }
    $files = @(Get-ChildItem -LiteralPath $MarkdownPath -Filter '*.md' | Sort-Object Name)
    New-Object psobject -Property @{
        Commands = @($files | Where-Object { $_.Name -notlike 'about_*' -and $_.Name -like '*-*.md' })
        Abouts   = @($files | Where-Object { $_.Name -like 'about_*.md' })
    }
}

function ConvertTo-MamlHelp {
    <#
    .SYNOPSIS
        Converts platyPS-schema markdown help into MAML and about_*.help.txt files.
    .DESCRIPTION
        Every cmdlet page (Verb-Noun.md) in MarkdownPath goes into the MAML file named by its
        "external help file" front matter (JobsModule.dll-Help.xml), and every about_<Name>.help.md
        (or about_<Name>.md) becomes about_<Name>.help.txt. Returns the files written.
    .EXAMPLE
        ConvertTo-MamlHelp -MarkdownPath docs/en-US -OutputPath out/JobsModule/en-US
    #>
    [CmdletBinding()]
    [OutputType([System.IO.FileInfo])]
    param(
        [Parameter(Mandatory)] [string] $MarkdownPath,
        [Parameter(Mandatory)] [string] $OutputPath,
        # Leave out the about topics (New-JobsModuleHelp uses this when platyPS wrote the cmdlet help).
        [switch] $AboutOnly
    )
    $source = Get-HelpSource $MarkdownPath
    $null = New-Item -ItemType Directory -Force -Path $OutputPath
    $OutputPath = (Resolve-Path -LiteralPath $OutputPath).ProviderPath

    if (-not $AboutOnly) {
        $commands = @($source.Commands | ForEach-Object { Read-CommandPage $_.FullName })
        $groups = $commands | Group-Object { Get-Field $_.Metadata 'external help file' 'JobsModule.dll-Help.xml' }
        foreach ($group in $groups) {
            Write-Verbose "Writing $($group.Count) command(s) to $($group.Name)"
            Export-MamlFile (Join-Path $OutputPath $group.Name) @($group.Group)
        }
    }
    foreach ($about in $source.Abouts) {
        Write-Verbose "Writing $($about.Name) as text"
        Export-AboutFile $about $OutputPath
    }
}

function New-JobsModuleHelp {
    <#
    .SYNOPSIS
        Builds the module's Get-Help files from docs/<culture>, with platyPS where it is installed.
    .DESCRIPTION
        Where platyPS is installed, its New-ExternalHelp turns the cmdlet pages into MAML; elsewhere
        ConvertTo-MamlHelp does. The about topics are always converted by ConvertTo-MamlHelp: platyPS 0.14
        recognises an about page by its second heading and would name about_X.help.md's output
        about_X.help.help.txt. Returns the files written.
    .EXAMPLE
        New-JobsModuleHelp -MarkdownPath docs/en-US -OutputPath out/JobsModule/en-US
    #>
    [CmdletBinding()]
    [OutputType([System.IO.FileInfo])]
    param(
        [Parameter(Mandatory)] [string] $MarkdownPath,
        [Parameter(Mandatory)] [string] $OutputPath,
        # Use the built-in converter even where platyPS is installed.
        [switch] $NoPlatyPS
    )
    $platyPS = $null
    if (-not $NoPlatyPS) { $platyPS = Get-Module -ListAvailable platyPS | Sort-Object Version -Descending | Select-Object -First 1 }
    if ($platyPS) {
        Import-Module $platyPS -ErrorAction Stop -Verbose:$false
        $source = Get-HelpSource $MarkdownPath
        $null = New-Item -ItemType Directory -Force -Path $OutputPath
        Write-Verbose "Writing the cmdlet help with platyPS $($platyPS.Version)"
        if ($source.Commands.Count -gt 0) { New-ExternalHelp -Path @($source.Commands | ForEach-Object { $_.FullName }) -OutputPath $OutputPath -Force }
        ConvertTo-MamlHelp -MarkdownPath $MarkdownPath -OutputPath $OutputPath -AboutOnly
    }
    else {
        ConvertTo-MamlHelp -MarkdownPath $MarkdownPath -OutputPath $OutputPath
    }
}

Export-ModuleMember -Function ConvertTo-MamlHelp, New-JobsModuleHelp
