// `link set DEV { xdp | xdpgeneric | xdpdrv | xdpoffload } { off | pinned FILE ... }`: ip's
// xdp_parse() and bpf_do_parse() for XDP. A pinned program is opened as the words are read, as
// ip opens it; rtnl loads no program from an object file.
import type { XdpChange, XdpMode } from '../api/link-options.js';
import { openPinned, type PinnedProgram } from '../api/bpf.js';
import { NetlinkError, strerror } from '../errors.js';
import { CliError, matches, type Args } from './args.js';
import { readFileSync, statfsSync } from 'node:fs';

/** The words, each exact as ip compares them, and the mode each asks for (`xdp`: the kernel's choice). */
export const XDP_WORDS: Readonly<Record<string, XdpMode | undefined>> = { xdp: undefined, xdpgeneric: 'generic', xdpdrv: 'drv', xdpoffload: 'offload' };

/** What the words after one of XDP_WORDS ask: the change, and the program opened for it (the caller disposes of it). */
export function xdpArgs(args: Args, mode: XdpMode | undefined, force: boolean): { change: XdpChange; pinned?: PinnedProgram } {
  const w = args.next();
  const change = (program: number | null): XdpChange => ({ program, ...(mode && { mode }), ...(force && { force }) });
  // ip takes `off` only as the line's last word; anywhere else it is a mode it does not know.
  if (args.done && (w === 'off' || w === 'none')) return { change: change(null) };
  if (matches(w, 'object-file') || w === 'obj') {
    throw new CliError('rtnl: xdp object FILE is not supported (rtnl loads no program: load and pin it, then xdp pinned FILE)');
  }
  if (!matches(w, 'object-pinned') && !matches(w, 'pinned') && !matches(w, 'fd')) throw new CliError(`What mode is "${w}"?`, 255);
  const file = args.next();
  // Read and passed over, as ip passes over them for a pinned program.
  if (!args.done && matches(args.peek()!, 'section')) skip(args, 2);
  if (!args.done && args.peek() === 'program') skip(args, 2);
  if (!args.done && matches(args.peek()!, 'verbose')) skip(args, 1);
  const pinned = pinnedOrFail(file);
  return { change: change(pinned.fd), pinned };
}

function skip(args: Args, words: number): void {
  for (let i = 0; i < words; i++) args.next();
}

/** bpf_obj_pinned(): the program, or ip's message (naming the file as written) and exit. */
function pinnedOrFail(file: string): PinnedProgram {
  try {
    return openPinned(pinnedPath(file), `pinned program ${file}`);
  } catch (e) {
    if (e instanceof NetlinkError) throw new CliError(`Couldn't retrieve pinned program '${file}': ${strerror(e.errno)}`, 255);
    throw e;
  }
}

/**
 * bpf_obj_get(): `m:NAME` is NAME in the xdp directory of the bpf filesystem ip works in, the
 * path written as ip writes it. Where there is none ip mounts one and makes its directories
 * there; rtnl changes nothing: the program cannot be in a filesystem just mounted anyway.
 */
function pinnedPath(file: string): string {
  if (file.length <= 2 || !file.startsWith('m:')) return file;
  return `${bpfMount()}/xdp//${file.slice(2)}`;
}

const BPF_FS_MAGIC = 0xcafe4a11;
const isBpfFs = (dir: string): boolean => {
  try {
    return statfsSync(dir).type === BPF_FS_MAGIC;
  } catch {
    return false;
  }
};

/**
 * bpf_get_work_dir()'s mount: TC_BPF_MNT when set, else /sys/fs/bpf or /bpf when a bpf
 * filesystem, else the first in /proc/mounts, else /sys/fs/bpf, where ip would mount one.
 */
function bpfMount(): string {
  const env = process.env.TC_BPF_MNT;
  if (env) return env;
  const known = ['/sys/fs/bpf', '/bpf'].find(isBpfFs);
  if (known) return known;
  const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' '));
  return mounts.find((m) => m[2] === 'bpf')?.[1] ?? '/sys/fs/bpf';
}
