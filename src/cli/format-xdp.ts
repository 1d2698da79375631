// A link's XDP programs as ip prints them (ip/iplink_xdp.c xdp_dump, lib/bpf_legacy.c
// bpf_dump_prog_info): the mode on the link's first line, a line per program after, in JSON an
// "xdp" object. A program's name and tag come from bpf(2) by its id (bpfProgram()).
import { XDP_ATTACHED, type XdpAttrs } from '../../codecs/route/link.js';
import { bpfProgram, type BpfProgram } from '../api/bpf.js';
import { NetlinkError } from '../errors.js';
import { RawJson, type Printer } from './print.js';

/** The word ip prints for each mode on the link's first line. */
const MODE_WORDS: Record<string, string> = { drv: 'xdp', generic: 'xdpgeneric', offload: 'xdpoffload', multi: 'xdpmulti' };
/** A link running several programs (multi): each mode's, in ip's order, with its `prog/xdp` suffix. */
const PER_MODE = [['genericProgId', 'generic'], ['drvProgId', 'drv'], ['offloadProgId', 'offload']] as const;

type Attached = NonNullable<XdpAttrs['attached']>;
/** IFLA_XDP_ATTACHED's number, as ip's JSON gives it. */
const modeNumber = (m: Attached): number => (typeof m === 'number' ? m : XDP_ATTACHED[m]);

/**
 * xdp_dump(details false): after the mtu, the mode word (`xdpgeneric`), and in `ip address`'s
 * link lines (`doLink` false) the program's id (`xdpgeneric/id:12`). In JSON the whole "xdp"
 * object, and nothing from printXdpPrograms().
 */
export function printXdpMode(p: Printer, x: XdpAttrs | undefined, doLink: boolean, details: boolean): void {
  const attached = x?.attached;
  if (!x || attached === undefined || attached === 'none') return;
  if (p.json) return xdpJson(p, x, attached, details);
  p.fp(MODE_WORDS[attached] ?? `xdp[${attached}]`);
  if (x.progId && !doLink) p.fp(`/id:${x.progId}`);
  p.fp(' ');
}

/** xdp_dump(details true): a `prog/xdp id N name ... tag ...` line per program (text only). */
export function printXdpPrograms(p: Printer, x: XdpAttrs | undefined, details: boolean): void {
  const attached = x?.attached;
  if (!x || attached === undefined || attached === 'none' || p.json) return;
  const line = (id: number | undefined, suffix: string): void => {
    if (!id) return;
    p.fp(`${p.sl}    prog/xdp${suffix} `);
    printProgram(p, id, details);
  };
  line(x.progId, '');
  if (attached === 'multi') for (const [key, suffix] of PER_MODE) line(x[key], suffix);
}

/** xdp_dump_json(): the mode as a number, the program, and each mode's program under "attached". */
function xdpJson(p: Printer, x: XdpAttrs, attached: Attached, details: boolean): void {
  p.openObject('xdp');
  p.jsonOnly('mode', modeNumber(attached));
  if (x.progId) printProgram(p, x.progId, details);
  p.openArray('attached');
  const perMode = PER_MODE.flatMap(([key, m]) => (x[key] === undefined ? [] : [{ id: x[key], mode: modeNumber(m) }]));
  // An older kernel tells IFLA_XDP_PROG_ID alone.
  const rows = perMode.length > 0 || x.progId === undefined ? perMode : [{ id: x.progId, mode: modeNumber(attached) }];
  for (const { id, mode } of rows) {
    p.openObject();
    p.jsonOnly('mode', mode);
    printProgram(p, id, details);
    p.closeObject();
  }
  p.closeArray();
  p.closeObject();
}

/** bpf_dump_prog_info(): the id, then what bpf(2) tells of the program, when it can be read. */
function printProgram(p: Printer, id: number, details: boolean): void {
  p.openObject('prog');
  p.any('id', 'id %s ', id);
  const prog = programOrNone(id);
  if (prog) {
    p.any('name', 'name %s ', prog.name);
    p.any('tag', 'tag %s ', prog.tag);
    p.jsonOnly('jited', prog.jited ? 1 : 0);
    if (prog.jited) p.fp('jited ');
    if (details && prog.loadTime) {
      big(p, 'load_time', 'load_time', prog.loadTime);
      p.any('created_by_uid', 'created_by_uid %s ', prog.createdByUid);
    }
    if (details && prog.btfId) p.any('btf_id', 'btf_id %s ', prog.btfId);
  }
  p.closeObject();
}

/** A 64-bit count: a JSON number however big. */
function big(p: Printer, key: string, word: string, v: bigint): void {
  if (p.json) p.jsonOnly(key, new RawJson(String(v)));
  else p.fp(`${word} ${v} `);
}

/** The program, or nothing when it cannot be read (gone since, or not ours to open): ip then prints its id alone. */
function programOrNone(id: number): BpfProgram | undefined {
  try {
    return bpfProgram(id);
  } catch (e) {
    if (e instanceof NetlinkError) return undefined;
    throw e;
  }
}
