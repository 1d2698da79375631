// Bundles the rtnl command (dist/src/cli/bin.js, from tsc) into dist/bin/rtnl.cjs, the file npm
// installs as `rtnl`. One CommonJS file starts about 20 ms sooner than the 35 ES modules it is
// made of (docs/performance.md). The runtime dependencies stay outside: koffi's native module
// must be loaded from its own package.
import { build } from 'esbuild';

for (const [entry, out] of [['dist/src/cli/bin.js', 'dist/bin/rtnl.cjs'], ['dist/src/cni/bin.js', 'dist/bin/rtnl-cni-macvlan.cjs']]) await build({
  entryPoints: [entry],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  external: ['koffi', 'debug', 'ipaddr.js'],
  // The sources find their dependencies with createRequire(import.meta.url); CommonJS has no
  // import.meta, so the bundle defines its URL. The banner's "use strict" must come first to count.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: `"use strict"; const importMetaUrl = require('node:url').pathToFileURL(__filename).href;` },
  logLevel: 'warning',
});
