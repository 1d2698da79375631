// node scripts/code-cache.cjs BIN ARGS...: runs the command BIN (a dist/bin launcher) with ARGS as
// the launcher does, then writes V8's code cache of its bundle, with every function that run
// compiled, where the launcher reads it (scripts/bundle.mjs runs this once per command).
'use strict';
const { writeFileSync } = require('node:fs');
const { resolve } = require('node:path');

const [given, ...args] = process.argv.slice(2);
const bin = resolve(given);
const { filesOf, launch } = require(bin);
process.argv = [process.argv[0], bin, ...args];
const script = launch(bin, false);
process.on('exit', () => writeFileSync(filesOf(bin).cache, script.createCachedData()));
