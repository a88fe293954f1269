# Save-ProviderJobOutput against the simulator and its file host (a second origin, http://localhost:<its
# own port>, that logs every credential header it is sent): the bytes saved are the bytes served, no key
# reaches the file host, names stay inside -Path, cut, expired and stopped downloads leave no file under
# a final name, -WhatIf sends and writes nothing, -Force, parallel downloads.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Providers = @(Get-ProviderFacts)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:JOBSMODULE_MODULE_PATH -Force
    $Save = 'JobsModule.Commands.SaveProviderJobOutputCommand'

    function Set-FileHost([hashtable] $Options) { $null = Invoke-Simulator -Method POST -Path '/_sim/files/options' -Body $Options }
    function Get-FileHostLog { @(Invoke-Simulator -Path '/_sim/files/log') }
    function Clear-FileHostLog { $null = Invoke-Simulator -Method DELETE -Path '/_sim/files/log' }
    function Get-FileHostOrigin { (Get-SimulatorInfo).files.origin }

    function Get-ServedHash([string] $Url) {
        # What the file host serves for a URL, as the simulator computes it.
        (Invoke-Simulator -Path "/_sim/files/digest?url=$([uri]::EscapeDataString($Url))").sha256
    }

    function Get-SavedFile([string] $Root) {
        # Every file under $Root, partial ones included, relative, with '/' between parts.
        if (-not (Test-Path -LiteralPath $Root)) { return @() }
        @(Get-ChildItem -LiteralPath $Root -Recurse -File -Force | ForEach-Object { [IO.Path]::GetRelativePath($Root, $_.FullName).Replace('\', '/') } | Sort-Object)
    }

    function New-Folder([string] $Name) {
        $path = Join-Path $TestDrive $Name
        Remove-Item -LiteralPath $path -Recurse -Force -ErrorAction Ignore
        $path
    }

    function Get-MaxConcurrency($Entries) {
        # How many requests were open at once, counted at the middle of each (the file host logs start and end).
        $spans = @($Entries | ForEach-Object { @{ Start = ([datetime]$_.startedAt).Ticks; End = ([datetime]$_.endedAt).Ticks } })
        $most = 0
        foreach ($span in $spans) {
            $middle = ($span.Start + $span.End) / 2
            $open = @($spans | Where-Object { $_.Start -le $middle -and $_.End -ge $middle }).Count
            $most = [Math]::Max($most, $open)
        }
        $most
    }
}

Describe 'Save-ProviderJobOutput (<Name>): the bytes saved are the bytes served' -ForEach $Providers {
    BeforeEach {
        Reset-Simulator
        Set-SimulatorEnvironment
        # Larger than the transport's buffer, and not a multiple of it.
        Set-FileHost @{ size = 300007 }
        Set-SimulatorOption PyannoteAI @{ mediaOutputs = $true }
    }

    It 'saves every output of three finished jobs in a folder per provider and job, byte for byte, with no key sent to the file host' {
        $root = New-Folder "bytes-$Name"
        $jobs = @(Get-ProviderJob -Provider $Name -Status Succeeded -First 3)
        $jobs.Count | Should -Be 3
        Clear-SimulatorLog
        Clear-FileHostLog

        $saved = @($jobs | Save-ProviderJobOutput -Path $root -PassThru -ErrorVariable problems)

        $problems.Count | Should -Be 0
        $saved.Count | Should -BeGreaterThan 2
        # What was served: the file host's files, Unstructured's downloads and pyannoteAI's output JSON, fetched here.
        $expected = [System.Collections.Generic.List[string]]::new()
        foreach ($entry in Get-FileHostLog | Where-Object status -EQ 200) { $expected.Add((Get-ServedHash "$(Get-FileHostOrigin)$($entry.path)")) }
        $key = (Get-SimulatorInfo).providers.($Sim).key
        switch ($Name) {
            'Unstructured' {
                foreach ($entry in Get-SimulatorLog Unstructured | Where-Object path -Match '/download$') {
                    $bytes = (Invoke-WebRequest -Uri "$(Get-SimulatorUrl)$($entry.path)$($entry.query)" -Headers @{ 'unstructured-api-key' = $key }).RawContentStream.ToArray()
                    $expected.Add([Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($bytes)))
                }
            }
            'PyannoteAI' {
                foreach ($job in $jobs) {
                    $detail = (Invoke-WebRequest -Uri "$env:PYANNOTEAI_BASE_URL/v1/jobs/$($job.Id)" -Headers @{ Authorization = "Bearer $key" }).Content
                    $output = [System.Text.Json.JsonDocument]::Parse($detail).RootElement.GetProperty('output').GetRawText()
                    $expected.Add([Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($output))))
                }
            }
        }
        $actual = @(Get-ChildItem -LiteralPath $root -Recurse -File | Get-FileHash -Algorithm SHA256 | ForEach-Object Hash | Sort-Object)
        ($actual -join ',') | Should -Be ((@($expected) | Sort-Object) -join ',')
        $saved.Count | Should -Be $actual.Count

        # Each file is in its job's folder, named as the provider named it; -PassThru says whose it is.
        foreach ($file in $saved) {
            $file | Should -BeOfType [IO.FileInfo]
            $file.psobject.TypeNames[0] | Should -Be 'JobsModule.SavedJobOutput'
            $file.Provider | Should -Be $Name
            $file.JobId | Should -BeIn $jobs.Id
            $file.Account | Should -Be $Name
            $file.Directory.FullName | Should -Be (Join-Path $root $Name $file.JobId)
        }
        (Get-SavedFile $root) -match '\.partial-' | Should -BeNullOrEmpty
        @(Get-FileHostLog | Where-Object { $_.credentials.Count -gt 0 }).Count | Should -Be 0
    }
}

Describe 'Save-ProviderJobOutput: keys go only under the base URL' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'sends no credential to the file host, whatever the provider' {
        Set-SimulatorOption PyannoteAI @{ mediaOutputs = $true }
        $root = New-Folder 'no-keys'
        foreach ($provider in [JobsModule.ProviderRegistry]::Providers.Name) { Get-ProviderJob -Provider $provider -Status Succeeded -First 3 | Save-ProviderJobOutput -Path $root }
        $log = Get-FileHostLog
        # Krea, ittybit, Convertly and pyannoteAI's media are on the file host; Unstructured serves its own.
        @($log | ForEach-Object { $_.path.Split('/')[1] } | Sort-Object -Unique) -join ',' | Should -Be 'convertly,ittybit,krea,pyannoteai'
        @($log | ForEach-Object host | ForEach-Object { ($_ -split ':')[0] } | Sort-Object -Unique) | Should -Be 'localhost'
        @($log | Where-Object { $_.credentials.Count -gt 0 }).Count | Should -Be 0
        # The API's own requests all carried their key.
        @(Get-SimulatorLog | Where-Object authScheme -EQ 'none').Count | Should -Be 0
    }

    It 'follows a file host''s redirect without a key, and refuses one to plain http elsewhere before sending anything there' {
        $job = Get-ProviderJob -Provider Krea -Status Succeeded -First 1
        $urls = @($job.ResultUrls)
        $first = ([uri]$urls[0]).AbsolutePath
        $faults = @(@{ match = $first; fault = 'redirect'; count = 1 })
        if ($urls.Count -gt 1) { $faults += @{ match = ([uri]$urls[1]).AbsolutePath; fault = 'redirect'; location = 'http://files.example.invalid/x.png' } }
        Set-FileHost @{ faults = $faults }
        $root = New-Folder 'redirect'

        $saved = @($job | Save-ProviderJobOutput -Path $root -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue)

        $log = Get-FileHostLog
        @($log | Where-Object { $_.path -eq $first }).Count | Should -Be 2
        @($log | Where-Object { $_.path -eq $first -and $_.query -eq '?redirected=1' }).status | Should -Be 200
        @($log | Where-Object { $_.credentials.Count -gt 0 }).Count | Should -Be 0
        $saved.Name | Should -Contain ([uri]$urls[0]).Segments[-1]
        if ($urls.Count -gt 1) {
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be "ProviderRedirectRefused,$Save"
            $problems[0].CategoryInfo.Category | Should -Be 'SecurityError'
            $problems[0].Exception.Message | Should -Match 'files\.example\.invalid/x\.png, which is plain http to another machine'
        }
    }

    It 'never follows a redirect of a request that carries the key (Unstructured''s download), so the key stays on its origin' {
        $job = Get-ProviderJob -Provider Unstructured -Status Succeeded -First 1
        Set-SimulatorOption Unstructured @{ redirectTo = (Get-FileHostOrigin) }
        $root = New-Folder 'keyed-redirect'

        @($job | Save-ProviderJobOutput -Path $root -ErrorVariable problems -ErrorAction SilentlyContinue).Count | Should -Be 0

        $problems.Count | Should -Be @($job.OutputNodeFiles).Count
        $problems[0].FullyQualifiedErrorId | Should -Be "ProviderRedirectRefused,$Save"
        $problems[0].CategoryInfo.Category | Should -Be 'SecurityError'
        @(Get-FileHostLog).Count | Should -Be 0
        @(Get-SimulatorLog Unstructured | Where-Object { $_.path -match '/download$' -and $_.status -eq 302 }).Count | Should -Be $problems.Count
        Get-SavedFile $root | Should -BeNullOrEmpty
    }
}

Describe 'Save-ProviderJobOutput: names that cannot escape' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'keeps a hostile file name inside -Path' {
        $index = 0
        foreach ($job in Get-SimulatorJob Convertly) { if ($job.status -eq 'completed') { break }; $index++ }
        $origin = Get-FileHostOrigin
        $results = @{ files = @(
                @{ filename = '../../../escape.txt'; url = "$origin/convertly/x/1" }
                @{ filename = '..\..\win.ini'; url = "$origin/convertly/x/2" }
                @{ filename = 'CON'; url = "$origin/convertly/x/3" }
                @{ filename = "a`u{202E}gnp.exe"; url = "$origin/convertly/x/4" }
                @{ filename = '..'; url = "$origin/convertly/x/5/..%2F..%2Fevil.png" }
                @{ filename = 'same.txt'; url = "$origin/convertly/x/6" }
                @{ filename = 'SAME.txt'; url = "$origin/convertly/x/7" }
            )
        }
        Set-SimulatorOption Convertly @{ poison = @{ index = $index; field = 'results'; value = $results } }
        $job = (Get-ProviderJob -Provider Convertly -Status Succeeded -First 1)
        $root = New-Folder 'hostile'
        $outside = Split-Path $root

        $job | Save-ProviderJobOutput -Path (Join-Path $root 'inner')

        $folder = "inner/Convertly/$($job.Id)"
        Get-SavedFile $root | Should -Be (@("$folder/_CON", "$folder/a_gnp.exe", "$folder/escape.txt", "$folder/output-5", "$folder/same.txt", "$folder/SAME (2).txt", "$folder/win.ini") | Sort-Object)
        Test-Path (Join-Path $outside 'escape.txt') | Should -BeFalse
        Test-Path (Join-Path $root 'escape.txt') | Should -BeFalse
    }

    It 'keeps a job id with separators in one folder of its own' {
        New-SimulatorLiveJob Krea @(@{ id = '../../a/b c'; runMs = 0 })
        $root = New-Folder 'id-folder'
        Save-ProviderJobOutput -Provider Krea -Id '../../a/b c' -Path $root
        # Leading dots become '_' too, so the folder is not hidden on Linux and macOS.
        @(Get-ChildItem -LiteralPath (Join-Path $root 'Krea') -Directory).Name | Should -Be '___.._a_b c'
        @(Get-ChildItem -LiteralPath (Join-Path $root 'Krea' '___.._a_b c') -File).Count | Should -Be @((Get-ProviderJob -Provider Krea -Id '../../a/b c').ResultUrls).Count
        Test-Path -LiteralPath (Split-Path $root | Join-Path -ChildPath 'a') | Should -BeFalse
    }
}

Describe 'Save-ProviderJobOutput: downloads that do not complete' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment; Set-FileHost @{ size = 200000 } }

    It 'a body cut half-way leaves no file under its name, writes OutputIncomplete naming provider, job and file, and the others are saved' {
        $job = Get-ProviderJob -Provider Krea -Status Succeeded | Where-Object { @($_.ResultUrls).Count -gt 1 } | Select-Object -First 1
        $cut = [uri]$job.ResultUrls[0]
        Set-FileHost @{ faults = @(@{ match = $cut.AbsolutePath; fault = 'cut' }) }
        $root = New-Folder 'cut'

        $saved = @($job | Save-ProviderJobOutput -Path $root -PassThru -MaximumRetryCount 1 -RetryIntervalSec 1 -ErrorVariable problems -ErrorAction SilentlyContinue)

        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "OutputIncomplete,$Save"
        $problems[0].CategoryInfo.Category | Should -Be 'ReadError'
        $file = $cut.Segments[-1]
        $problems[0].TargetObject | Should -Be (Join-Path $root 'Krea' $job.Id $file)
        $problems[0].Exception.Message | Should -Match "'$([regex]::Escape($file))' of Krea job '$($job.Id)' did not arrive whole"
        $problems[0].Exception.Message | Should -Match 'broke after 100,000 bytes'
        $saved.Count | Should -Be (@($job.ResultUrls).Count - 1)
        Get-SavedFile $root | Should -Not -Contain "Krea/$($job.Id)/$file"
        (Get-SavedFile $root) -match '\.partial-' | Should -BeNullOrEmpty
        # Retried once, from the start: two requests, each cut.
        @(Get-FileHostLog | Where-Object { $_.path -eq $cut.AbsolutePath -and $_.fault -eq 'cut' }).Count | Should -Be 2
    }

    It 'an expired output (404) is OutputNotFound where the provider documents no retention (Krea)' {
        $job = Get-ProviderJob -Provider Krea -Status Succeeded -First 1
        Set-FileHost @{ faults = @(@{ match = '/krea/'; fault = 'expired' }) }
        $root = New-Folder 'expired-krea'

        $job | Save-ProviderJobOutput -Path $root -ErrorVariable problems -ErrorAction SilentlyContinue

        $problems.Count | Should -Be @($job.ResultUrls).Count
        $problems[0].FullyQualifiedErrorId | Should -Be "OutputNotFound,$Save"
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].Exception.StatusCode | Should -Be 404
        $problems[0].Exception.Message | Should -Match 'Krea documents no retention period for outputs'
        @(Get-FileHostLog).Count | Should -Be @($job.ResultUrls).Count
        Get-SavedFile $root | Should -BeNullOrEmpty
    }

    It 'an expired output (404) says how long pyannoteAI keeps outputs' {
        Set-SimulatorOption PyannoteAI @{ mediaOutputs = $true }
        $job = Get-ProviderJob -Provider PyannoteAI -Status Succeeded -First 1
        Set-FileHost @{ faults = @(@{ match = '/pyannoteai/media/'; fault = 'expired' }) }
        $root = New-Folder 'expired-pyannote'

        $saved = @($job | Save-ProviderJobOutput -Path $root -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue)

        $saved.Name | Should -Be "$($job.Id).json"
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "OutputExpired,$Save"
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be (Join-Path $root 'PyannoteAI' $job.Id "$($job.Id).wav")
        $problems[0].Exception.Message | Should -Match 'PyannoteAI keeps a job''s outputs for 24 hours after it finishes'
    }

    It 'a pyannoteAI job past its 24 hours without output is OutputExpired, with the job as the target' {
        $index = 0
        foreach ($job in Get-SimulatorJob PyannoteAI) { if ($job.status -eq 'succeeded') { break }; $index++ }
        $old = [datetime]::UtcNow.AddDays(-3).ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [cultureinfo]::InvariantCulture)
        Set-SimulatorOption PyannoteAI @{ poison = @(@{ index = $index; field = 'output'; value = $null }, @{ index = $index; field = 'updatedAt'; value = $old }) }
        $job = Get-ProviderJob -Provider PyannoteAI -Status Succeeded -First 1
        Clear-SimulatorLog

        Save-ProviderJobOutput -Provider PyannoteAI -Id $job.Id -Path (New-Folder 'old') -ErrorVariable problems -ErrorAction SilentlyContinue

        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "OutputExpired,$Save"
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be $job.Id
        $problems[0].Exception.Message | Should -Match 'this job finished 3 days ago'
        @(Get-SimulatorLog PyannoteAI).Count | Should -Be 1
    }

    It 'Ctrl+C during a download leaves no file under a final name and no partial file' {
        $job = Get-ProviderJob -Provider Krea -Status Succeeded -First 1
        Set-FileHost @{ faults = @(@{ match = '/krea/'; fault = 'slow'; delayMs = 60000 }) }
        $root = New-Folder 'stopped'
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$env:JOBSMODULE_MODULE_PATH'").Invoke()
            $shell.Commands.Clear()
            $null = $shell.AddCommand('Save-ProviderJobOutput').AddParameter('InputObject', $job).AddParameter('Path', $root)
            $async = $shell.BeginInvoke()
            # Half of each file has arrived, in its .partial- file, when the host pauses.
            $until = [datetime]::UtcNow.AddSeconds(30)
            while (@((Get-SavedFile $root) -match '\.partial-').Count -lt @($job.ResultUrls).Count -and [datetime]::UtcNow -lt $until) { Start-Sleep -Milliseconds 50 }
            @((Get-SavedFile $root) -match '\.partial-').Count | Should -Be @($job.ResultUrls).Count

            $shell.Stop()

            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            $async.IsCompleted | Should -BeTrue
            Get-SavedFile $root | Should -BeNullOrEmpty
        }
        finally { $shell.Dispose() }
    }
}

Describe 'Save-ProviderJobOutput: what is asked before anything is sent or written' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It '-WhatIf sends nothing and writes nothing, for piped jobs and ids alike' {
        $jobs = @(Get-ProviderJob -Status Succeeded -First 5)
        Clear-SimulatorLog
        $root = New-Folder 'whatif'

        $jobs | Save-ProviderJobOutput -Path $root -WhatIf
        Save-ProviderJobOutput -Provider Krea -Id $jobs[0].Id, 'no-such-job' -Path $root -WhatIf

        @(Get-SimulatorLog).Count | Should -Be 0
        @(Get-FileHostLog).Count | Should -Be 0
        Test-Path -LiteralPath $root | Should -BeFalse
    }

    It '-WhatIf names each job and the folder its outputs would go to' {
        $job = Get-ProviderJob -Provider Krea -Status Succeeded -First 1
        $root = New-Folder 'whatif-text'
        $text = Invoke-ModuleProcess "Get-ProviderJob -Provider Krea -Id '$($job.Id)' | Save-ProviderJobOutput -Path '$root' -WhatIf"
        $text | Should -Match ([regex]::Escape("What if: Performing the operation `"Save its outputs to '$(Join-Path $root 'Krea' $job.Id)'`" on target `"Krea job '$($job.Id)' (completed)`"."))
    }

    It 'a job that has not finished is JobNotFinished, and nothing is sent for it' {
        $running = Get-ProviderJob -Provider Krea -Status Running -First 1
        $done = Get-ProviderJob -Provider Krea -Status Succeeded -First 1
        Clear-SimulatorLog
        $root = New-Folder 'not-finished'

        $saved = @($running, $done | Save-ProviderJobOutput -Path $root -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue)

        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "JobNotFinished,$Save"
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $problems[0].TargetObject | Should -Be $running.Id
        $problems[0].Exception.Message | Should -Match 'Wait-ProviderJob'
        @(Get-SimulatorLog).Count | Should -Be 0
        $saved.JobId | Sort-Object -Unique | Should -Be $done.Id
        Test-Path -LiteralPath (Join-Path $root 'Krea' $running.Id) | Should -BeFalse
    }

    It 'by id, the job is read once, and one still running is refused after that read' {
        New-SimulatorLiveJob Krea @(@{ id = 'still-running'; runMs = 600000 })
        Clear-SimulatorLog
        Save-ProviderJobOutput -Provider Krea -Id 'still-running' -Path (New-Folder 'by-id') -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "JobNotFinished,$Save"
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $problems[0].TargetObject | Should -Be 'still-running'
        @(Get-SimulatorLog Krea | ForEach-Object { "$($_.method) $($_.path)" }) | Should -Be 'GET /krea/jobs/still-running'
        @(Get-FileHostLog).Count | Should -Be 0
    }

    It 'a finished job without outputs is a verbose line, not an error' {
        $failed = Get-ProviderJob -Provider Krea -Status Failed -First 1
        $out = $failed | Save-ProviderJobOutput -Path (New-Folder 'none') -Verbose -ErrorVariable problems 4>&1
        $problems.Count | Should -Be 0
        @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -eq "Krea job '$($failed.Id)' has finished (Failed) without outputs to save." }).Count | Should -Be 1
    }

    It 'an existing file is OutputFileExists and is left as it was; -Force replaces it' {
        $job = Get-ProviderJob -Provider Krea -Status Succeeded -First 1
        $root = New-Folder 'force'
        $name = ([uri]@($job.ResultUrls)[0]).Segments[-1]
        $existing = Join-Path $root 'Krea' $job.Id $name
        $null = New-Item -ItemType Directory -Force (Split-Path $existing)
        Set-Content -LiteralPath $existing -Value 'mine' -NoNewline

        $saved = @($job | Save-ProviderJobOutput -Path $root -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue)

        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "OutputFileExists,$Save"
        $problems[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $problems[0].TargetObject | Should -Be $existing
        Get-Content -LiteralPath $existing -Raw | Should -Be 'mine'
        $saved.Count | Should -Be (@($job.ResultUrls).Count - 1)
        @(Get-FileHostLog | Where-Object { $_.path -like "*/$name" }).Count | Should -Be 0

        $replaced = @($job | Save-ProviderJobOutput -Path $root -Force -PassThru -ErrorVariable problems)
        $problems.Count | Should -Be 0
        $replaced.Count | Should -Be @($job.ResultUrls).Count
        (Get-FileHash -LiteralPath $existing).Hash | Should -Be (Get-ServedHash @($job.ResultUrls)[0])
    }

    It 'saves to the current location when -Path is left out, and resolves a relative -Path against it' {
        $job = Get-ProviderJob -Provider Krea -Status Succeeded -First 1
        $here = New-Folder 'here'
        $null = New-Item -ItemType Directory $here
        Push-Location $here
        try {
            $job | Save-ProviderJobOutput
            $job | Save-ProviderJobOutput -Path 'sub'
        }
        finally { Pop-Location }
        @(Get-SavedFile $here) -like "Krea/$($job.Id)/*" | Should -Not -BeNullOrEmpty
        @(Get-SavedFile $here) -like "sub/Krea/$($job.Id)/*" | Should -Not -BeNullOrEmpty
    }

    It '-Path that is a file, or not on the file system, is InvalidOutputPath before anything is sent' {
        $file = Join-Path $TestDrive 'a-file.txt'
        Set-Content -LiteralPath $file -Value 'x'
        Clear-SimulatorLog
        foreach ($path in $file, 'Env:\', 'NoSuchDrive:\x') {
            $err = $null
            try { Save-ProviderJobOutput -Provider Krea -Id 'x' -Path $path } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be "InvalidOutputPath,$Save" -Because $path
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
        @(Get-SimulatorLog).Count | Should -Be 0
    }
}

Describe 'Save-ProviderJobOutput: parallel downloads' {
    BeforeEach { Reset-Simulator; Set-SimulatorEnvironment }

    It 'downloads up to -ThrottleLimit files at once, never more' {
        $jobs = @(Get-ProviderJob -Provider Krea -Status Succeeded -First 4)
        $files = @($jobs.ResultUrls).Count
        $files | Should -BeGreaterOrEqual 5
        # Each file pauses half way, so downloads that run at once overlap for sure.
        Set-FileHost @{ faults = @(@{ match = '/krea/'; fault = 'slow'; delayMs = 400 }) }
        $root = New-Folder 'parallel'

        $saved = @($jobs | Save-ProviderJobOutput -Path $root -ThrottleLimit 3 -PassThru)

        $saved.Count | Should -Be $files
        $log = Get-FileHostLog
        $log.Count | Should -Be $files
        Get-MaxConcurrency $log | Should -Be 3
    }

    It 'with -ThrottleLimit 1, one at a time' {
        $jobs = @(Get-ProviderJob -Provider Krea -Status Succeeded -First 2)
        Set-FileHost @{ faults = @(@{ match = '/krea/'; fault = 'slow'; delayMs = 200 }) }
        @($jobs | Save-ProviderJobOutput -Path (New-Folder 'serial') -ThrottleLimit 1 -PassThru).Count | Should -Be @($jobs.ResultUrls).Count
        Get-MaxConcurrency (Get-FileHostLog) | Should -Be 1
    }
}
