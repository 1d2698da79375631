// rtnl-cni-macvlan: the CNI plugin's executable. Reads CNI_* and stdin, prints the result or the
// error JSON, exits 0 or 1, as SPEC.md "Plugin execution" says.
import { readFileSync } from 'node:fs';
import { fdWriter } from '../output.js';
import { run } from './macvlan-plugin.js';

async function main(): Promise<void> {
  const out = await run(process.env, readStdin());
  fdWriter(1)(out.stdout);
  process.exitCode = out.status;
}

void main();

function readStdin(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}
