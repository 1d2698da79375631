// What users get from npm: the packed tarball installs in an empty folder, with no compiler
// involved, `import { RtNetlink } from 'rtnl'` works, types included, and so does the `rtnl` bin.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_nodedir: '' } });

t.test('npm pack output installs and imports in an empty folder', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rtnl-pack-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  npm(['pack', '--ignore-scripts', '--pack-destination', dir], process.cwd());
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  t.ok(tgz, 'a tarball was made');
  const app = join(dir, 'app');
  execFileSync('mkdir', [app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', type: 'module' }));
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, tgz ?? '')], app);
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
