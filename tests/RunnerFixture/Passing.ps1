# A fixture for tests/TestRunner.Tests.ps1, not part of the suite: two tests that pass.
Describe 'Passing fixture' {
    It 'adds' {
        2 + 2 | Should -Be 4
    }

    It 'joins' {
        'a', 'b' -join '' | Should -Be 'ab'
    }
}
