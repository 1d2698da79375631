// Bundles what npm users run, from tsc's output (dist/src, dist/codecs), with esbuild:
// - the rtnl command (dist/src/cli/bin.js) into dist/bin/rtnl.cjs, and the CNI plugin into
//   dist/bin/rtnl-cni-macvlan.cjs: one CommonJS file starts about 20 ms sooner than the 35 ES
//   modules it is made of (docs/performance.md);
// - the package's two entries, `rtnl` and `rtnl/codecs`, into ES modules in dist/lib, sharing
//   their common code in one chunk, so that a program importing both has one copy of every class.
//   Importing the 54 files tsc writes costs some 30 ms and 7 MiB more than these.
// tsc's own output stays as it is: the tests import the library's inner modules from it.
// The runtime dependencies stay outside: koffi's native module must be loaded from its own package.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', external: ['koffi', 'debug', 'ipaddr.js'], logLevel: 'warning' };

for (const [entry, out] of [['dist/src/cli/bin.js', 'dist/bin/rtnl.cjs'], ['dist/src/cni/bin.js', 'dist/bin/rtnl-cni-macvlan.cjs']]) await build({
  ...common,
  entryPoints: [entry],
  outfile: out,
  format: 'cjs',
  // The sources find their dependencies with createRequire(import.meta.url); CommonJS has no
  // import.meta, so the bundle defines its URL. The banner's "use strict" must come first to count.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: `"use strict"; const importMetaUrl = require('node:url').pathToFileURL(__filename).href;` },
});

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
