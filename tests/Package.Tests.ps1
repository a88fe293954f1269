# The package: a manifest ready to publish, and a .nupkg that PSResourceGet installs from a local repository.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force
    $root = Split-Path $PSScriptRoot
    $package = Join-Path (Split-Path $env:JOBSMODULE_MODULE_PATH) 'package'
    $version = ([xml](Get-Content -Raw (Join-Path $root 'Directory.Build.props'))).Project.PropertyGroup.VersionPrefix | Where-Object { $_ } | Select-Object -First 1
    $manifest = Import-PowerShellDataFile (Join-Path $env:JOBSMODULE_MODULE_PATH 'JobsModule.psd1')
}

Describe 'The built manifest' {
    It 'is valid and carries the version from Directory.Build.props' {
        $module = Test-ModuleManifest (Join-Path $env:JOBSMODULE_MODULE_PATH 'JobsModule.psd1')
        $module.Version.ToString() | Should -Be $version
        (Get-Item (Join-Path $env:JOBSMODULE_MODULE_PATH 'JobsModule.Core.dll')).VersionInfo.FileVersion | Should -BeLike "$version*"
    }

    It 'exports every cmdlet explicitly, no wildcards' {
        $manifest.CmdletsToExport | Should -Not -Contain '*'
        ($manifest.CmdletsToExport | Sort-Object) -join ',' | Should -Be ((Get-Command -Module JobsModule -CommandType Cmdlet | Sort-Object Name).Name -join ',')
        $manifest.FunctionsToExport.Count | Should -Be 0
        $manifest.AliasesToExport.Count | Should -Be 0
        $manifest.VariablesToExport.Count | Should -Be 0
    }

    It 'declares editions, PowerShell 5.1, tags, URIs and release notes from CHANGELOG.md' {
        ($manifest.CompatiblePSEditions | Sort-Object) -join ',' | Should -Be 'Core,Desktop'
        $manifest.PowerShellVersion | Should -Be '5.1'
        $manifest.Description | Should -Not -BeNullOrEmpty
        $manifest.PrivateData.PSData.Tags | Should -Contain 'krea'
        $manifest.PrivateData.PSData.ProjectUri | Should -Match '^https://'
        $manifest.PrivateData.PSData.LicenseUri | Should -Match '^https://'
        $manifest.PrivateData.PSData.ReleaseNotes | Should -Match 'Get-ProviderJob'
    }
}

Describe 'The package' {
    It 'has a .nupkg and a folder ready for Publish-PSResource' {
        Join-Path $package "JobsModule.$version.nupkg" | Should -Exist
        Join-Path $package 'JobsModule/JobsModule.psd1' | Should -Exist
        Join-Path $package 'JobsModule/en-US/JobsModule.dll-Help.xml' | Should -Exist
    }

    It 'carries the MIT licence the manifest''s LicenseUri names, in the folder and in the .nupkg' {
        $license = Join-Path $root 'LICENSE'
        $license | Should -Exist
        Get-Content -Raw $license | Should -Match '(?s)^MIT License.*Copyright \(c\) 2026 JobsModule contributors'
        $manifest.PrivateData.PSData.LicenseUri | Should -Match '/LICENSE$'
        Get-Content -Raw (Join-Path $package 'JobsModule/LICENSE') | Should -BeExactly (Get-Content -Raw $license)

        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead((Join-Path $package "JobsModule.$version.nupkg"))
        try {
            $entry = $zip.GetEntry('LICENSE')
            $entry | Should -Not -BeNullOrEmpty
            $reader = [System.IO.StreamReader]::new($entry.Open())
            try { $reader.ReadToEnd() | Should -BeExactly (Get-Content -Raw $license) }
            finally { $reader.Dispose() }
        }
        finally { $zip.Dispose() }
    }

    It 'installs from a local repository into a temporary module path, imports by name and lists jobs' {
        Reset-Simulator
        Set-SimulatorEnvironment
        $modules = Join-Path $TestDrive 'modules'
        $repository = 'JobsModuleTest' + [Guid]::NewGuid().ToString('N').Substring(0, 8)
        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name $repository -Uri '$package' -Trusted
try {
    `$null = New-Item -ItemType Directory -Force '$modules'
    Save-PSResource -Name JobsModule -Repository $repository -Path '$modules' -TrustRepository -Quiet
}
finally { Unregister-PSResourceRepository -Name $repository }
`$env:PSModulePath = '$modules' + [IO.Path]::PathSeparator + `$env:PSModulePath
Import-Module JobsModule
"module=" + (Get-Module JobsModule).ModuleBase
"count=" + @(Get-ProviderJob -Provider Krea).Count
"@
        $pwsh = Get-PwshCommand
        $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script 2>&1 | Out-String
        $output | Should -Match ([regex]::Escape("module=$(Join-Path $modules 'JobsModule')"))
        $output | Should -Match 'count=25'
    }
}
