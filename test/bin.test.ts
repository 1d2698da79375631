// The commands as npm installs them (dist/bin): each launcher runs its bundle with the V8 code
// cache the build made, which this Node must accept (or start-up pays the bundle's compilation
// again, silently); without the cache, or with one V8 refuses, the command runs all the same;
// and its output goes straight to the descriptor: a reader that goes away ends it quietly, as
// SIGPIPE ends ip, and a full non-blocking pipe loses nothing.
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { ip, kernel, scratchNetns } from './helpers/kernel.js';

const DIR = fileURLToPath(new URL('../bin/', import.meta.url));
const COMMANDS = ['rtnl', 'rtnl-cni-macvlan'];

/** The launcher, its bundle and its cache copied into a folder of the test's, beside the package's node_modules. */
function copyOf(t: Test, name: string, cache: Buffer | 'none'): string {
  const dir = mkdtempSync(join(DIR, '..', 'bin-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(join(DIR, `${name}.cjs`), join(dir, `${name}.cjs`));
  copyFileSync(join(DIR, `${name}.bundle.cjs`), join(dir, `${name}.bundle.cjs`));
  if (cache !== 'none') writeFileSync(join(dir, `${name}.code-cache`), cache);
  return join(dir, `${name}.cjs`);
}

const linkShowLo = (bin: string): ReturnType<typeof spawnSync> => spawnSync(process.execPath, [bin, '-j', 'link', 'show', 'lo'], { encoding: 'utf8' });

t.test('each command has a code cache of its bundle that this Node accepts', async (t) => {
  for (const name of COMMANDS) {
    t.equal(statSync(join(DIR, `${name}.cjs`)).mode & 0o111, 0o111, `${name}: its launcher is a program`);
    const source = readFileSync(join(DIR, `${name}.bundle.cjs`), 'utf8');
    const cachedData = readFileSync(join(DIR, `${name}.code-cache`));
    const script = new Script(Module.wrap(source), { filename: 'bundle', cachedData });
    t.equal(script.cachedDataRejected, false, `${name}: the cache is used`);
  }
  // Made after a run of `rtnl link show`, it holds the functions that run compiled, not only the top level.
  const source = readFileSync(join(DIR, 'rtnl.bundle.cjs'), 'utf8');
  const topLevel = new Script(Module.wrap(source), { filename: 'bundle' }).createCachedData();
  const made = readFileSync(join(DIR, 'rtnl.code-cache'));
  t.ok(made.length > 1.5 * topLevel.length, `the cache (${made.length} bytes) holds more than the top level (${topLevel.length})`);
});

t.test('without its cache, or with one V8 refuses, the command runs as with it', async (t) => {
  const expected = linkShowLo(join(DIR, 'rtnl.cjs'));
  t.equal(expected.status, 0, 'the installed command runs');
  t.same(JSON.parse(expected.stdout as string).map((l: { ifname: string }) => l.ifname), ['lo']);
  for (const [what, cache] of [['no cache', 'none'], ['a corrupt cache', Buffer.alloc(4096, 0x5a)]] as const) {
    const run = linkShowLo(copyOf(t, 'rtnl', cache));
    t.same({ status: run.status, stdout: run.stdout, stderr: run.stderr }, { status: 0, stdout: expected.stdout, stderr: '' }, what);
  }
  const cni = spawnSync(process.execPath, [copyOf(t, 'rtnl-cni-macvlan', 'none')], { encoding: 'utf8', env: { ...process.env, CNI_COMMAND: 'VERSION' }, input: '' });
  t.equal(cni.status, 0, 'the CNI plugin without its cache');
  t.match(JSON.parse(cni.stdout).supportedVersions, ['0.3.0']);
});

t.test("the command loads none of Node's modules that slowed its start", async (t) => {
  const dir = mkdtempSync(join(DIR, '..', 'bin-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const preload = join(dir, 'loaded.cjs');
  writeFileSync(preload, `process.on('exit', () => require('node:fs').writeSync(2, JSON.stringify(process.moduleLoadList)));`);
  // Without the test runner's loaders, which it puts in every child's NODE_OPTIONS (they load what is looked for here).
  const run = spawnSync('env', ['-u', 'NODE_OPTIONS', process.execPath, '-r', preload, join(DIR, 'rtnl.cjs'), 'link', 'show'], { encoding: 'utf8' });
  t.match(run.stdout, /^1: lo:/, 'it printed the links (through a pipe)');
  const loaded = JSON.parse(run.stderr) as string[];
  const slow = ['stream', 'net', 'tty', 'worker_threads', 'fs/promises', 'internal/modules/esm/resolve'].map((m) => `NativeModule ${m}`);
  t.same(loaded.filter((m) => slow.includes(m)), [], 'no streams, sockets, worker threads, fs/promises or ES module resolver');
});

t.test('a reader that goes away ends the command quietly, with the status SIGPIPE gives ip', kernel, async (t) => {
  const ns = scratchNetns(t, 'bin');
  // The writer starts once `true` is gone: its first write meets a closed pipe (ip, started at
  // once, sometimes wrote before the reader went and ended well).
  const run = (tool: string): { status: string; stderr: string } => {
    const r = spawnSync('bash', ['-c', `{ sleep 0.3; ${tool} -n ${ns} link show; } | true; echo \${PIPESTATUS[0]}`], { encoding: 'utf8' });
    return { status: r.stdout.trim(), stderr: r.stderr };
  };
  t.same(run(`${process.execPath} ${join(DIR, 'rtnl.cjs')}`), run('ip'), 'as ip: status 141, nothing on stderr');
  t.same(run('ip'), { status: '141', stderr: '' });
});

t.test('a full non-blocking pipe loses nothing: the rest waits for room', kernel, async (t) => {
  const ns = scratchNetns(t, 'bin');
  for (let i = 0; i < 150; i++) ip(['link', 'add', `v${i}`, 'type', 'veth', 'peer', 'name', `w${i}`], { netns: ns });
  // The pipe's writing end made non-blocking, and nothing read for a while: the 64 KiB pipe fills.
  const python = `
import os, subprocess, sys, time
r, w = os.pipe()
os.set_blocking(w, False)
p = subprocess.Popen(sys.argv[1:], stdout=w)
os.close(w)
time.sleep(1)
out = b''
while True:
    chunk = os.read(r, 65536)
    if not chunk: break
    out += chunk
sys.stdout.buffer.write(out)
sys.exit(p.wait())`;
  const args = ['-n', ns, '-d', 'link', 'show'];
  // A timeout: a writer that never ends fails the test rather than hanging it.
  const ours = spawnSync('python3', ['-c', python, process.execPath, join(DIR, 'rtnl.cjs'), ...args], { encoding: 'utf8', maxBuffer: 1 << 24, timeout: 60_000 });
  const theirs = spawnSync('ip', args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  t.equal(ours.status, 0, 'rtnl ends well');
  t.equal(ours.stderr, '');
  t.ok(theirs.stdout.length > 65536, `more than the pipe holds (${theirs.stdout.length} bytes)`);
  t.equal(ours.stdout, theirs.stdout, 'all of it, in order, as ip prints it');
});
