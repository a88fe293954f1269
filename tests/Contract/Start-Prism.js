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
// PRISM_SEED makes `prism mock -d` repeatable: its random answers come from Math.random, which is
// replaced here by a small seeded generator (mulberry32), so a test sees the same answers every run.
const seed = Number(process.env.PRISM_SEED);
if (Number.isInteger(seed)) {
  let state = seed >>> 0;
  Math.random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
// Prism's command line reads process.argv from the third element on: drop the pid.
process.argv.splice(2, 1);
require('@stoplight/prism-cli/dist/index.js');
