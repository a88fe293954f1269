// Runs the Prism CLI in this process, and ends it when the process that started it has gone:
// node Start-Prism.js <parent pid> proxy <document> <upstream> [options]
// Prism has no such option itself, and a test run that is killed must not leave proxies behind.
'use strict';
const parent = Number(process.argv[2]);
if (!Number.isInteger(parent) || parent <= 0) {
  console.error('usage: node Start-Prism.js <parent pid> <prism arguments>');
  process.exit(2);
}
setInterval(() => {
  try {
    process.kill(parent, 0); // signal 0 only asks whether the process still exists
  } catch {
    process.exit(0);
  }
}, 500).unref();
// Prism's command line reads process.argv from the third element on: drop the pid.
process.argv.splice(2, 1);
require('@stoplight/prism-cli/dist/index.js');
