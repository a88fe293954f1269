# A fixture for tests/TestRunner.Tests.ps1, not part of the suite: a block with no test in it.
Describe 'Fixture without tests' {
}
