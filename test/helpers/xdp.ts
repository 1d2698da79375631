// An XDP program to attach: loaded and pinned in a bpf filesystem mounted for the test (the
// suite runs in a mount namespace of its own), unmounted when the test ends, pass or fail.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';

const LOADER = fileURLToPath(new URL('../../../test/helpers/xdp-program.py', import.meta.url));

/**
 * A program named `name` that passes every packet: where it is pinned (in directory `sub` of the
 * filesystem, when given), its id, and where the filesystem is mounted.
 */
export function pinnedProgram(t: Test, name = 'rtnl_pass', sub?: string): { path: string; id: number; mount: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rtnl-bpf-'));
  try {
    execFileSync('mount', ['-t', 'bpf', 'bpf', dir]);
  } catch (e) {
    rmdirSync(dir);
    throw e;
  }
  t.teardown(() => {
    execFileSync('umount', [dir]); // the program goes with its last reference: pin and links
    rmdirSync(dir);
  });
  if (sub !== undefined) mkdirSync(join(dir, sub));
  const path = join(dir, sub ?? '', name);
  const id = Number(execFileSync('python3', [LOADER, path, name], { encoding: 'utf8' }));
  return { path, id, mount: dir };
}
