<#
.SYNOPSIS
    Refreshes tests/Contract/openapi/*.yaml from the providers' List Jobs pages.
.DESCRIPTION
    Each page embeds its OpenAPI document in a fenced block (```yaml or ````yaml) whose first line is
    "openapi: 3.x". That block is written verbatim (the fence lines left out) to openapi/<provider>.yaml,
    so the contract tests run on a machine that has only the repository.
.EXAMPLE
    dotnet pwsh tests/Contract/Update-OpenApiFixture.ps1 -PagePath ./pages   # a folder with pyannoteai-list-jobs.md, ...
#>
param(
    # The folder that holds <provider>-list-jobs.md.
    [Parameter(Mandatory)] [string] $PagePath,
    [string[]] $Provider = @('pyannoteai', 'convertly', 'krea')
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

foreach ($name in $Provider) {
    $page = Join-Path $PagePath "$name-list-jobs.md"
    $lines = Get-Content -LiteralPath $page
    $document = $null
    for ($i = 0; $i -lt $lines.Count -and $null -eq $document; $i++) {
        # An opening fence: three or more backticks, then yaml and maybe the page's own label.
        if ($lines[$i] -notmatch '^(`{3,})yaml\b') { continue }
        $fence = $Matches[1]
        if ($i + 1 -ge $lines.Count -or $lines[$i + 1] -notmatch '^openapi:\s*3\.') { continue }
        $end = $i + 1
        while ($end -lt $lines.Count -and -not $lines[$end].StartsWith($fence)) { $end++ }
        if ($end -ge $lines.Count) { throw "$page`: the OpenAPI block is not closed." }
        $document = $lines[($i + 1)..($end - 1)]
    }
    if ($null -eq $document) { throw "$page has no yaml block starting 'openapi: 3.'." }
    $target = Join-Path $PSScriptRoot "openapi/$name.yaml"
    $null = New-Item -ItemType Directory -Force (Split-Path $target)
    Set-Content -LiteralPath $target -Value $document -Encoding utf8NoBOM
    Write-Host "$target <- $page ($($document.Count) lines)"
}
