// The --cni half of `npm run mutate`: stryker.config.json's settings over the CNI plugin's kernel
// side (src/cni/macvlan-plugin.ts, ipam.ts, bin.ts), through the command runner: each mutant runs
// test/cni.test.js (against the reference plugin, in the throwaway namespace mutate.sh starts),
// which hands the active mutant to the plugin's processes. The bundle is built: the test runs it.
import { readFileSync } from 'node:fs';

const base = JSON.parse(readFileSync(new URL('./stryker.config.json', import.meta.url), 'utf8'));

export default {
  ...base,
  buildCommand: 'npm run build',
  testRunner: 'command',
  commandRunner: { command: 'npx tap --disable-coverage --allow-empty-coverage --reporter=terse --bail --timeout=600 dist/test/cni.test.js' },
  coverageAnalysis: 'off',
  // StrykerJS's timeout is 1.5 x the dry run (about 45 s here) + this: room for two runs sharing 2 CPUs.
  timeoutMS: 180000,
  mutate: ['src/cni/macvlan-plugin.ts', 'src/cni/ipam.ts', 'src/cni/bin.ts'],
  jsonReporter: { fileName: 'reports/mutation/cni-plugin.json' },
  htmlReporter: { fileName: 'reports/mutation/cni-plugin.html' },
  tempDirName: '.stryker-tmp-cni',
};
