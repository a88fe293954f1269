# A fixture for tests/TestRunner.Tests.ps1: a folder given as a test path is searched for *.Tests.ps1.
# The normal run leaves tests/RunnerFixture out (build.ps1), so this file runs only through that test.
Describe 'Folder fixture' {
    It 'is found in its folder' {
        $PSCommandPath | Should -Match 'Folder\.Tests\.ps1$'
    }
}
