# The module on PowerShell 7.4 LTS (.NET 8), the oldest PowerShell it is tested on. PowerShell 7 loads a
# module's dependencies from its own folder, never from the module's dependencies/ (which only Windows
# PowerShell 5.1 reads), so every assembly the module ships or references must be one that 7.4 has, in a
# version no higher than 7.4's: one raised above it (System.Text.Json 9 or 10, say) makes Import-Module or
# the first command fail there with "Could not load file or assembly". What 7.4 has is read from the
# 7.4 host that build.ps1 builds (out/pwsh-7.4), never written down here.
BeforeAll {
    function Get-AssemblyReference {
        <# The assemblies a DLL references, read from its metadata without loading it. #>
        param([string] $Path)
        $pe = [System.Reflection.PortableExecutable.PEReader]::new([IO.File]::OpenRead($Path))
        try {
            $metadata = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
            foreach ($handle in $metadata.AssemblyReferences) {
                $reference = $metadata.GetAssemblyReference($handle)
                [pscustomobject]@{ Name = $metadata.GetString($reference.Name); Version = $reference.Version }
            }
        }
        finally { $pe.Dispose() }
    }

    function Get-ModuleAssemblyNeed {
        <#
        What a laid-out module needs from the PowerShell that imports it: every assembly in dependencies/
        and every assembly that any of its DLLs references, each with where the need comes from. The
        module's own assemblies (beside the manifest) it loads itself.
        #>
        param([string] $ModulePath)
        $own = @(Get-ChildItem $ModulePath -Filter *.dll -File)
        $dependencies = @(Get-ChildItem (Join-Path $ModulePath 'dependencies') -Filter *.dll -File -ErrorAction Ignore)
        $ownNames = @($own | ForEach-Object { [Reflection.AssemblyName]::GetAssemblyName($_.FullName).Name })
        foreach ($file in $own + $dependencies) {
            $relative = [IO.Path]::GetRelativePath($ModulePath, $file.FullName) -replace '\\', '/'
            $name = [Reflection.AssemblyName]::GetAssemblyName($file.FullName)
            if ($name.Name -notin $ownNames) { [pscustomobject]@{ Name = $name.Name; Version = $name.Version; Source = "ships $relative" } }
            foreach ($reference in Get-AssemblyReference $file.FullName) {
                if ($reference.Name -notin $ownNames) { [pscustomobject]@{ Name = $reference.Name; Version = $reference.Version; Source = "referenced by $relative" } }
            }
        }
    }

    function Get-HostAssembly {
        <# The managed assemblies in a PowerShell's own folder, by name, with their versions. #>
        param([string] $HostPath)
        $assemblies = @{}
        foreach ($file in Get-ChildItem $HostPath -Filter *.dll -File) {
            try { $name = [Reflection.AssemblyName]::GetAssemblyName($file.FullName) }
            catch [BadImageFormatException] { continue }
            $assemblies[$name.Name] = $name.Version
        }
        $assemblies
    }

    function Find-AssemblyAboveHost {
        <# One line for each need a PowerShell does not meet: an assembly it lacks, or has in a lower version. #>
        param([object[]] $Need, [hashtable] $HostAssembly, [string] $HostName)
        foreach ($one in $Need) {
            $has = $HostAssembly[$one.Name]
            if ($null -eq $has) { "$($one.Name) $($one.Version) ($($one.Source)): $HostName has no $($one.Name)" }
            elseif ($one.Version -gt $has) { "$($one.Name) $($one.Version) ($($one.Source)): above $HostName's $has" }
        }
    }

    if (-not $env:JOBSMODULE_PWSH74_PATH) { throw 'No PowerShell 7.4: run the tests through ./build.ps1 -Task Test, which builds it.' }
    $Home74 = Split-Path $env:JOBSMODULE_PWSH74_PATH
    $Said74 = "$(& $env:JOBSMODULE_PWSH74_PATH -NoLogo -NoProfile -NonInteractive -Command '"$($PSVersionTable.PSVersion) $([Runtime.InteropServices.RuntimeInformation]::FrameworkDescription)"')"
    $Host74 = "PowerShell $(($Said74 -split ' ')[0])"
    $Assemblies74 = Get-HostAssembly $Home74
    $ModulePath = $env:JOBSMODULE_MODULE_PATH

    # Assemblies newer than 7.4's for the fixtures: the newest .NET runtime that builds this project (10 or later).
    $runtimes = @(& dotnet --list-runtimes | Where-Object { $_ -match '^Microsoft\.NETCore\.App (\S+) \[(.+)\]$' } |
            ForEach-Object { [pscustomobject]@{ Version = [version]($Matches[1] -replace '-.*$', ''); Path = Join-Path $Matches[2] $Matches[1] } })
    $NewestRuntime = ($runtimes | Sort-Object Version | Select-Object -Last 1).Path

    function New-ModuleCopy {
        <# The built module's layout in a fresh folder, to change for one test. #>
        $copy = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        Copy-Item $ModulePath $copy -Recurse
        $copy
    }
}

Describe 'The PowerShell 7.4 the tests run on' {
    It 'is PowerShell 7.4 on .NET 8, as built from tests/PowerShell74' {
        $sdk = ([xml](Get-Content -Raw (Join-Path $PSScriptRoot 'PowerShell74/PowerShell74.csproj'))).Project.ItemGroup.PackageReference |
            Where-Object Include -EQ 'Microsoft.PowerShell.SDK' | ForEach-Object Version
        $sdk | Should -Match '^7\.4\.'
        $Said74 | Should -BeLike "$sdk .NET 8.*"
        $Assemblies74['System.Management.Automation'] | Should -Not -BeNullOrEmpty
        $Assemblies74['System.Text.Json'].Major | Should -Be 8
    }
}

Describe 'Assemblies against PowerShell 7.4' {
    It 'every assembly the module ships or references is one PowerShell 7.4 has, in a version no higher' {
        $need = @(Get-ModuleAssemblyNeed $ModulePath)
        # The reading is not vacuous: the module's JSON dependency and the engine it binds to are among the needs.
        $need | Where-Object { $_.Name -eq 'System.Text.Json' -and $_.Source -eq 'ships dependencies/System.Text.Json.dll' } | Should -Not -BeNullOrEmpty
        $need | Where-Object { $_.Name -eq 'System.Text.Json' -and $_.Source -eq 'referenced by JobsModule.Core.dll' } | Should -Not -BeNullOrEmpty
        $need | Where-Object { $_.Name -eq 'System.Management.Automation' -and $_.Source -eq 'referenced by JobsModule.dll' } | Should -Not -BeNullOrEmpty

        $problems = @(Find-AssemblyAboveHost $need $Assemblies74 $Host74)
        $problems -join [Environment]::NewLine | Should -BeExactly '' -Because 'PowerShell 7.4 loads these from its own folder, and cannot load a higher version than it has'
    }

    It 'finds a dependency raised above 7.4''s, naming it and both versions' {
        $copy = New-ModuleCopy
        $newer = Join-Path $NewestRuntime 'System.Text.Json.dll'
        Copy-Item $newer (Join-Path $copy 'dependencies') -Force
        $newVersion = [Reflection.AssemblyName]::GetAssemblyName($newer).Version

        $problems = @(Find-AssemblyAboveHost @(Get-ModuleAssemblyNeed $copy) $Assemblies74 $Host74)

        $newVersion.Major | Should -BeGreaterThan 8
        $problems | Should -Contain "System.Text.Json $newVersion (ships dependencies/System.Text.Json.dll): above $Host74's $($Assemblies74['System.Text.Json'])"
    }

    It 'finds a reference above 7.4''s in a dependency''s own metadata' {
        # A library built against the newer runtime references its System.Runtime, whatever it ships.
        $copy = New-ModuleCopy
        $library = Join-Path $NewestRuntime 'System.Text.Json.dll'
        $runtimeReference = Get-AssemblyReference $library | Where-Object Name -EQ 'System.Runtime'
        Copy-Item $library (Join-Path $copy 'dependencies') -Force

        $problems = @(Find-AssemblyAboveHost @(Get-ModuleAssemblyNeed $copy) $Assemblies74 $Host74)

        $problems | Should -Contain "System.Runtime $($runtimeReference.Version) (referenced by dependencies/System.Text.Json.dll): above $Host74's $($Assemblies74['System.Runtime'])"
    }

    It 'finds a dependency that PowerShell 7.4 does not have at all' {
        $copy = New-ModuleCopy
        $missing = Get-ChildItem $NewestRuntime -Filter 'System.*.dll' -File | Where-Object { -not $Assemblies74.ContainsKey($_.BaseName) } |
            Where-Object { try { [Reflection.AssemblyName]::GetAssemblyName($_.FullName).Name -eq $_.BaseName } catch { $false } } | Select-Object -First 1
        $missing | Should -Not -BeNullOrEmpty -Because 'a newer .NET has assemblies that .NET 8 does not'
        Copy-Item $missing.FullName (Join-Path $copy 'dependencies')
        $version = [Reflection.AssemblyName]::GetAssemblyName($missing.FullName).Version

        $problems = @(Find-AssemblyAboveHost @(Get-ModuleAssemblyNeed $copy) $Assemblies74 $Host74)

        $problems | Should -Contain "$($missing.BaseName) $version (ships dependencies/$($missing.Name)): $Host74 has no $($missing.BaseName)"
    }
}
