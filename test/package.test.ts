// What users get from npm: the packed tarball installs in an empty folder, with no compiler
// involved, `import { RtNetlink } from 'rtnl'` works, and so does the `rtnl` bin; its types
// stand alone (a consumer with only typescript compiles under --strict); the README's
// JavaScript blocks run as shipped. Installs are offline: test/npm-cache.mjs filled the cache.
import t, { type Test } from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kernel } from './helpers/kernel.js';

const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_nodedir: '' } });

const typescript = (JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { version: string }> })
  .packages['node_modules/typescript'].version;

/** An empty project with the packed tarball installed, and typescript as its only dev dependency. */
function installed(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'rtnl-pack-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  npm(['pack', '--ignore-scripts', '--pack-destination', dir], process.cwd());
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  t.ok(tgz, 'a tarball was made');
  const app = join(dir, 'app');
  execFileSync('mkdir', [app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', type: 'module', devDependencies: { typescript } }));
  npm(['install', '--offline', '--no-audit', '--no-fund', join(dir, tgz ?? '')], app);
  return app;
}

t.test('npm pack output installs and imports in an empty folder', async (t) => {
  const app = installed(t);
  const out = execFileSync('node', ['-e', `
    import('rtnl').then(async (m) => {
      const names = ['RtNetlink', 'NetlinkError', 'NotFoundError'].filter((n) => typeof m[n] !== 'function');
      console.log(names.length === 0 ? 'exports ok' : 'missing ' + names);
    });`], { cwd: app, encoding: 'utf8' });
  t.equal(out.trim(), 'exports ok');
  t.ok(existsSync(join(app, 'node_modules/rtnl/dist/src/index.d.ts')), 'type declarations shipped');
  const links = JSON.parse(execFileSync(join(app, 'node_modules/.bin/rtnl'), ['-j', 'link', 'show', 'lo'], { encoding: 'utf8' })) as Array<{ ifname: string }>;
  t.same(links.map((l) => l.ifname), ['lo'], 'the rtnl bin (the bundle) runs from the installed package');
  t.notOk(existsSync(join(app, 'node_modules/rtnl/dist/test')), 'tests not shipped');
});

t.test('both entries load as the bundle: a few files, one copy of each class between them', async (t) => {
  const app = installed(t);
  // Every file the import opens, as strace sees it (stderr; the program's own output goes to stdout).
  const run = spawnSync('strace', ['-f', '-qq', '-e', 'trace=openat', '-e', 'signal=none', 'node', '--input-type=module', '-e',
    `const [a, c] = await Promise.all([import('rtnl'), import('rtnl/codecs')]); console.log(typeof a.RtNetlink, typeof c.decodeLink);`],
  { cwd: app, encoding: 'utf8' });
  t.equal(run.stdout, 'function function\n', 'both entries import');
  const ours = [...new Set([...run.stderr.matchAll(/node_modules\/rtnl\/(dist\/[^"]+\.c?js)"/g)].map((m) => m[1]))].sort();
  const lib = readdirSync(join(app, 'node_modules/rtnl/dist/lib')).map((f) => `dist/lib/${f}`).sort();
  t.same(ours, lib, 'the files opened are the bundle, none of tsc\'s many modules');
  // A class written twice (in each entry) would make `instanceof` fail between the two entries.
  const declared = lib.flatMap((f) => [...readFileSync(join(app, 'node_modules/rtnl', f), 'utf8').matchAll(/^(?:var|let|const) (\w+) = class|^class (\w+)/gm)]
    .map((m) => m[1] ?? m[2]));
  t.ok(declared.includes('DecodeError') && declared.includes('NetlinkError'), 'the classes are found in the bundle');
  t.same(declared.filter((c, i) => declared.indexOf(c) !== i), [], 'each class is declared once across the bundle');
});

t.test('the published types stand alone: a consumer with only typescript compiles under --strict', async (t) => {
  const app = installed(t);
  t.notOk(existsSync(join(app, 'node_modules/@types/node')), 'no @types/node in the consumer');
  copyFileSync('test/consumer/consumer.ts', join(app, 'consumer.ts'));
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, module: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: false }, files: ['consumer.ts'],
  }));
  // Unused @ts-expect-error lines are errors too: the wrong uses must fail, the right ones pass.
  const tsc = (): string => execFileSync(join(app, 'node_modules/.bin/tsc'), ['-p', app], { encoding: 'utf8' });
  t.doesNotThrow(tsc, 'consumer.ts type-checks against the installed package');
  writeFileSync(join(app, 'consumer.ts'), readFileSync('test/consumer/consumer.ts', 'utf8').replace("kind: 'macvlam'", "kind: 'macvlan'"));
  t.throws(tsc, 'and would not were a wrong use right');
});

t.test("the README's JavaScript blocks run as shipped, in plain .mjs", kernel, async (t) => {
  const app = installed(t);
  const readme = readFileSync(join(app, 'node_modules/rtnl/README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  t.equal(blocks.length, 2, 'two JavaScript blocks');
  blocks.forEach((code, i) => writeFileSync(join(app, `readme${i}.mjs`), code));
  // Their own network and mount namespaces, with the eth0 they name (a veth), as on a host.
  const script = [
    'set -e', 'mount -t tmpfs readme /run', 'mkdir -p /run/netns', 'ip link add eth0 type veth peer name eth1',
    ...blocks.map((_, i) => `node readme${i}.mjs`),
    'ip -n ns01 -br link show type macvlan | cut -d@ -f1 | sort',
  ].join('\n');
  const out = execFileSync('unshare', ['--net', '--mount', '--propagation', 'private', 'sh', '-c', script], { cwd: app, encoding: 'utf8' });
  t.equal(out, 'macvlan1 private\nmacvlan2 vepa\nmacvlan1\nmacvlan2\n');
});
