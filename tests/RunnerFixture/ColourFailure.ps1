# A fixture for tests/TestRunner.Tests.ps1, not part of the suite (it is not named *.Tests.ps1):
# one test that fails with terminal colour codes in its message, and one that passes.
Describe 'Runner fixture' {
    It 'fails with colour codes in its message' {
        "$([char]27)[31mred$([char]27)[0m" | Should -Be 'plain'
    }

    It 'passes' {
        1 + 1 | Should -Be 2
    }
}
