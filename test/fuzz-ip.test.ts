// A fixed slice of the differential fuzzer (scripts/fuzz-ip.mjs): seeded random command lines
// run by ip and by the rtnl program each in its own twin namespaces, one by one, in -batch files
// and under `monitor`. The fuzzer stops at the first difference (exit status, output, or the
// namespaces as ip lists them afterwards) and prints it; here that fails the test with the
// fuzzer's own report. The seeds are fixed so that a failure repeats: run the same line by hand.
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { kernel } from './helpers/kernel.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the fuzzer with these arguments and environment; its report when it found a difference. */
function fuzz(t: Test, args: string[], env: Record<string, string>, expect: RegExp): void {
  const r = spawnSync(process.execPath, ['scripts/fuzz-ip.mjs', ...args], {
    cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 240_000,
  });
  const report = `${r.stdout}${r.stderr}`;
  t.equal(r.status, 0, `${Object.entries(env).map(([k, v]) => `${k}="${v}" `).join('')}node scripts/fuzz-ip.mjs ${args.join(' ')}`, { report: report.slice(-6000) });
  t.match(report, expect, 'the fuzzer ran every line it was asked to');
}

t.test('one line a process: the same exit, output and namespaces as ip', kernel, async (t) => {
  fuzz(t, ['60', '1'], {}, /^60 command lines, seed 1: the same changes made and \d+ listings printed alike/m);
});

t.test('-batch files with random global options: the same as ip', kernel, async (t) => {
  fuzz(t, ['15', '42'], { FUZZ_IP_BATCH: '8' }, /^15 batches of up to 8 lines, seed 42: the same changes made and the same printed/m);
});

t.test('monitor while the lines change the namespace: the lines ip monitor prints', kernel, async (t) => {
  fuzz(t, ['150', '43'], { FUZZ_IP_MONITOR: 'link address route neigh netconf rule nsid' },
    /^150 command lines, seed 43: rtnl monitor link address route neigh netconf rule nsid printed ip's [1-9]\d* lines/m);
});
