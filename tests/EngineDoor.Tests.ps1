# The cmdlets reach the engine through one door: the internal engine types the cmdlet assembly refers to,
# read from its metadata as the runtime binds them, stay few, and no cmdlet names a provider.
BeforeAll {
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force
    $Cmdlets = (Get-Command -Module JobsModule -CommandType Cmdlet | Select-Object -First 1).ImplementingType.Assembly
    $Core = [JobsModule.ProviderJob].Assembly

    # Every type the cmdlet assembly refers to in the engine's assembly, nested ones by their outer type.
    function Get-EngineTypeReference {
        $stream = [System.IO.File]::OpenRead($Cmdlets.Location)
        try {
            $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
            $reader = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
            foreach ($handle in $reader.TypeReferences) {
                $reference = $reader.GetTypeReference($handle)
                $scope = $reference.ResolutionScope
                while ($scope.Kind -eq [System.Reflection.Metadata.HandleKind]::TypeReference) {
                    $reference = $reader.GetTypeReference([System.Reflection.Metadata.TypeReferenceHandle] $scope)
                    $scope = $reference.ResolutionScope
                }
                if ($scope.Kind -ne [System.Reflection.Metadata.HandleKind]::AssemblyReference) { continue }
                $assembly = $reader.GetAssemblyReference([System.Reflection.Metadata.AssemblyReferenceHandle] $scope)
                if ($reader.GetString($assembly.Name) -ne $Core.GetName().Name) { continue }
                $namespace = $reader.GetString($reference.Namespace)
                $name = $reader.GetString($reference.Name)
                if ($namespace) { "$namespace.$name" } else { $name }
            }
        }
        finally { $stream.Dispose() }
    }
}

Describe 'The cmdlets and the engine' {
    It 'use at most 10 internal engine types, JobsEngine among them' {
        # The engine's own types only (the compiler's IsExternalInit for init accessors is plumbing, not a door).
        $internal = @(Get-EngineTypeReference | Sort-Object -Unique | Where-Object { $_ -like 'JobsModule.*' -and -not $Core.GetType($_, $true).IsPublic })
        $internal | Should -Contain 'JobsModule.Engine.JobsEngine'
        $internal.Count | Should -BeLessOrEqual 10 -Because "the cmdlets use $($internal -join ', ')"
    }

    It 'name no provider: no adapter type is referred to' {
        $adapters = @(Get-EngineTypeReference | Where-Object { $_ -like 'JobsModule.Providers.*' })
        $adapters | Should -BeNullOrEmpty
    }
}
