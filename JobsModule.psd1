# Module manifest for JobsModule.
# ModuleVersion is stamped by build.ps1 from <VersionPrefix> in Directory.Build.props (the one version source);
# import the built module from out/JobsModule, not this template.
@{
    RootModule             = 'JobsModule.dll'
    # Loaded at import so scripts can name the job types ([JobsModule.ProviderJob]) before the first command.
    RequiredAssemblies     = @('JobsModule.Core.dll')
    ModuleVersion          = '0.0.0'
    GUID                   = '5c0b7a4e-2d8f-4b61-9e3a-7f1c2a9d4e60'
    Author                 = 'JobsModule contributors'
    CompanyName            = 'JobsModule contributors'
    Copyright              = '(c) JobsModule contributors. MIT License.'
    Description            = 'Lists the jobs you have on AI and media APIs (pyannoteAI, ittybit, Convertly, Unstructured, Krea) as one typed object per job, streaming page by page.'
    # The lowest version of either edition: Windows PowerShell 5.1 (built for, not tested here) and, on Core,
    # 7.4 LTS and 7.6 (tested on every run). 7.0 to 7.3 lack System.Text.Json 8, which no key here can say: README.
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('JobsModule.format.ps1xml')
    TypesToProcess         = @('JobsModule.types.ps1xml')
    CmdletsToExport        = @('Get-ProviderJob', 'Connect-ProviderAccount', 'Get-ProviderAccount', 'Disconnect-ProviderAccount', 'Wait-ProviderJob', 'Stop-ProviderJob', 'Remove-ProviderJob', 'Save-ProviderJobOutput', 'Watch-ProviderJob')
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('jobs', 'api', 'pyannote', 'ittybit', 'convertly', 'unstructured', 'krea', 'ai', 'media', 'PSEdition_Core', 'PSEdition_Desktop')
            LicenseUri   = 'https://github.com/jobsmodule/JobsModule/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/jobsmodule/JobsModule'
            ReleaseNotes = ''
        }
    }
}
