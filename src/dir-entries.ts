// A directory's names in its own order, as readdir(3) gives them: ip lists /run/netns and reads
// its .d folders in that order, and readdirSync() sorts them.
import { opendirSync } from 'node:fs';

/** The names in `dir`, in the directory's order; what opendir(3) or readdir(3) fails with is thrown. */
export function dirEntries(dir: string): string[] {
  const d = opendirSync(dir);
  const out: string[] = [];
  try {
    for (let e = d.readSync(); e; e = d.readSync()) out.push(e.name);
  } finally {
    d.closeSync();
  }
  return out;
}
