#!/usr/bin/env node
// rtnl-cni-macvlan: the CNI plugin's executable. Reads CNI_* and stdin, prints the result or the
// error JSON, exits 0 or 1, as SPEC.md "Plugin execution" says.
import { readFileSync } from 'node:fs';
import { run } from './macvlan-plugin.js';
import { CniError, readEnv } from './spec.js';

async function main(): Promise<void> {
  try {
    const out = await run(readEnv(process.env), readStdin());
    process.stdout.write(out.stdout);
    process.exitCode = out.status;
  } catch (e) {
    // Only readEnv throws: run() reports its own failures.
    const err = e as CniError;
    process.stdout.write(JSON.stringify({ code: err.code, msg: err.message }, null, 4));
    process.exitCode = 1;
  }
}

void main();

function readStdin(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}
