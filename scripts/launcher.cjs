#!/usr/bin/env node
// What npm installs as each command (dist/bin/rtnl.cjs, dist/bin/rtnl-cni-macvlan.cjs): it runs
// the command's bundle beside it (NAME.bundle.cjs) with the V8 code cache the build made of it
// (NAME.code-cache), so that V8 reads the bundle's bytecode instead of compiling half a megabyte
// at every start (docs/performance.md, "CLI start-up"). A cache this Node does not accept (another
// version, other V8 flags) is ignored: the bundle is compiled as Node would.
'use strict';
const { readFileSync } = require('node:fs');
const { createRequire, wrap } = require('node:module');
const { dirname } = require('node:path');
const { Script } = require('node:vm');

/** A command's files beside its launcher `bin` (NAME.cjs): its bundle and its code cache. */
const filesOf = (bin) => ({ bundle: bin.replace(/\.cjs$/, '.bundle.cjs'), cache: bin.replace(/\.cjs$/, '.code-cache') });

/** Compiles the bundle of `bin` as CommonJS (with its code cache, when `cached` and there is one), runs it, and gives its Script. */
function launch(bin, cached) {
  const { bundle, cache } = filesOf(bin);
  let cachedData;
  if (cached) try { cachedData = readFileSync(cache); } catch { /* none: compiled without */ }
  const script = new Script(wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  const mod = { exports: {}, filename: bundle, id: bundle };
  script.runInThisContext().call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, dirname(bundle));
  return script;
}

if (require.main === module) launch(__filename, true);
else module.exports = { filesOf, launch };
