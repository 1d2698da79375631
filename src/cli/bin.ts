// The `rtnl` program. This file and everything it loads are bundled into one CommonJS file,
// dist/bin/rtnl.bundle.cjs, because Node spends about half a millisecond on each module it loads
// as ESM, and the command would otherwise load some 35; npm's bin, dist/bin/rtnl.cjs, runs it
// with V8's code cache of it (scripts/launcher.cjs; docs/performance.md).
import { fdWriter } from '../output.js';
import { main } from './main.js';

main(process.argv.slice(2), { out: fdWriter(1), err: fdWriter(2) })
  .then((code) => { process.exitCode = code; });
