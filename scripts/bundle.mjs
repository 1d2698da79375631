// Bundles what npm users run, from tsc's output (dist/src, dist/codecs), with esbuild:
// - the rtnl command (dist/src/cli/bin.js) into dist/bin/rtnl.bundle.cjs, and the CNI plugin
//   into dist/bin/rtnl-cni-macvlan.bundle.cjs: one CommonJS file starts about 20 ms sooner than
//   the 35 ES modules it is made of (docs/performance.md). Each is run by a copy of
//   scripts/launcher.cjs (dist/bin/rtnl.cjs, dist/bin/rtnl-cni-macvlan.cjs, the package's bins)
//   with V8's code cache of it, made here by one run of the command (scripts/code-cache.cjs):
//   `rtnl link show`, which only reads, and the plugin's VERSION;
// - the package's two entries, `rtnl` and `rtnl/codecs`, into ES modules in dist/lib, sharing
//   their common code in one chunk, so that a program importing both has one copy of every class.
//   Importing the 54 files tsc writes costs some 30 ms and 7 MiB more than these.
// tsc's own output stays as it is: the tests import the library's inner modules from it.
// The runtime dependencies stay outside: koffi's native module must be loaded from its own package.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const { filesOf } = createRequire(import.meta.url)('./launcher.cjs');

const common = { bundle: true, platform: 'node', external: ['koffi', 'debug', 'ipaddr.js'], logLevel: 'warning' };

// The commands run in their process's main thread, where node:worker_threads would only say so
// (isMainThread) and load Node's streams with it (some 3 ms of every start): they get that answer
// instead. A command's module importing anything else from it fails the build.
const mainThread = {
  name: 'main-thread',
  setup(b) {
    b.onResolve({ filter: /^node:worker_threads$/ }, () => ({ path: 'worker_threads', namespace: 'main-thread' }));
    b.onLoad({ filter: /.*/, namespace: 'main-thread' }, () => ({ contents: 'export const isMainThread = true;', loader: 'js' }));
  },
};
const commands = [
  { entry: 'dist/src/cli/bin.js', bin: 'dist/bin/rtnl.cjs', args: ['link', 'show'], env: {} },
  { entry: 'dist/src/cni/bin.js', bin: 'dist/bin/rtnl-cni-macvlan.cjs', args: [], env: { CNI_COMMAND: 'VERSION' } },
];
for (const { entry, bin, args, env } of commands) {
  await build({
    ...common,
    entryPoints: [entry],
    outfile: filesOf(bin).bundle,
    format: 'cjs',
    plugins: [mainThread],
    // The sources find their dependencies with createRequire(import.meta.url); CommonJS has no
    // import.meta, so the bundle defines its URL. The banner's "use strict" must come first to count.
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: `"use strict"; const importMetaUrl = require('node:url').pathToFileURL(__filename).href;` },
  });
  copyFileSync('scripts/launcher.cjs', bin);
  chmodSync(bin, 0o755); // run as a program (the tests spawn it), whatever mode the copy's source had
  // The cache is made whatever the run's outcome (a build where netlink is refused still gets one).
  const { cache } = filesOf(bin);
  rmSync(cache, { force: true });
  const run = spawnSync(process.execPath, ['scripts/code-cache.cjs', bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: { ...process.env, ...env } });
  if (!existsSync(cache)) throw new Error(`no code cache made for ${bin}: ${run.stderr}`);
}

// The chunk's name carries a hash of its content: clear the old ones out.
rmSync('dist/lib', { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { index: 'dist/src/index.js', codecs: 'dist/codecs/index.js' },
  outdir: 'dist/lib',
  format: 'esm',
  splitting: true,
  chunkNames: 'shared-[hash]',
});
