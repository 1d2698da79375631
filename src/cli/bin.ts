#!/usr/bin/env node
// The `rtnl` program. npm installs it as dist/bin/rtnl.cjs: this file and everything it loads,
// bundled into one CommonJS file, because Node spends about half a millisecond on each module
// it loads as ESM, and the command would otherwise load some 35 (docs/performance.md).
import { main } from './main.js';

main(process.argv.slice(2), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) })
  .then((code) => { process.exitCode = code; });
