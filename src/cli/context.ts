// What every command shares: the global options, the socket (opened on first use, in the
// namespace -n names), and links by name and index as ip resolves them (ll_map).
import type { Link } from '../../codecs/route/link.js';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import type { LinkApi } from '../api/link.js';
import type { RtNetlink } from '../rtnetlink.js';
import { CliError, invarg } from './args.js';
import { Printer } from './print.js';

/** N for a name `ifN`: the index ll_name_to_index() gives a name no link has. */
export function ifIndex(name: string): number | undefined {
  const m = /^if(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** Where a command's output goes (a saved dump is bytes). */
export interface Io { out: (s: string | Uint8Array) => void; err: (s: string) => void }

export interface Options {
  netns?: string;
  details: boolean;
  json: boolean;
  pretty: boolean;
  /** 0 for any, else AF_INET (2) or AF_INET6 (10), from -4, -6 or -f. */
  family: number;
  /** How many times -s was given: 1 prints the link counters, 2 the error counters too. */
  stats: number;
  brief: boolean;
  oneline: boolean;
  /** -t (a `Timestamp:` line before each event) or -ts (a short one at the start of its line): monitor only. */
  timestamp?: 'long' | 'short';
  /** -N: protocols, scopes, tables and groups as numbers. */
  numeric?: boolean;
  /** -h: counters with k, M, G... (-iec: powers of 1024, `ki`, `Mi`...). */
  human?: boolean;
  iec?: boolean;
  /** -c: ANSI colours for names, addresses and states (never with -j). */
  color?: boolean;
  /** -a: `netns exec` and `netns delete` act on every named namespace. */
  all?: boolean;
  /** -l: the rounds of an address flush before giving up (0: no end); 10 unless given. */
  loops?: number;
  /** -rc: the socket's receive buffer in bytes (the library's 4 MiB unless given). */
  rcvbuf?: number;
  /** -force: a batch goes on after a failed line; an XDP program replaces one attached. */
  force?: boolean;
}

/** A Printer with the options' output settings (-j, -p, -o, -N, -h, -iec, -c). */
export function printerFor(opts: Options): Printer {
  const p = new Printer(opts.json, opts.pretty, opts.oneline);
  p.numeric = opts.numeric === true;
  p.human = opts.human === true ? (opts.iec ? 1024 : 1000) : 0;
  // set_color_palette(): COLORFGBG's last field 0-6 or 8 is a dark background.
  if (opts.color === true && !opts.json) p.color = /;[0-68]$/.test(process.env.COLORFGBG ?? '') ? 'dark' : 'light';
  return p;
}

/**
 * The socket, opened on first use in the namespace of -n. The lines of a batch share one, as
 * ip shares its rtnl handle.
 */
export class Connection {
  private rtp?: Promise<RtNetlink>;

  /**
   * `strict`: the kernel filters dumps by what they ask (ip's rtnl_set_strict_dump()). ip's batch
   * never asks for it: there a route dump gets every table, ip selects, and a table the kernel has
   * not is empty rather than the kernel's error.
   */
  constructor(private readonly opts: Pick<Options, 'netns' | 'rcvbuf'>, readonly strict = true) {}

  rt(): Promise<RtNetlink> {
    const { netns, rcvbuf } = this.opts;
    this.rtp ??= import('../rtnetlink.js').then(({ RtNetlink }) =>
      this.opening(() => RtNetlink.openSync({ ...(netns === undefined ? {} : { netns }), ...(rcvbuf === undefined ? {} : { receiveBuffer: rcvbuf }) })));
    return this.rtp;
  }

  /** Runs `open`, turning a missing -n namespace into ip's message and exit code. */
  private opening<T>(open: () => T): T {
    try {
      return open();
    } catch (e) {
      if (this.opts.netns !== undefined && e instanceof NotFoundError) {
        throw new CliError(`Cannot open network namespace "${this.opts.netns}": No such file or directory`, 255);
      }
      throw e;
    }
  }

  close(): void {
    void this.rtp?.then((rt) => rt.close(), () => undefined);
  }
}

/** `master -1`, as ip and the kernel's dump filters have it: links with no master (`nomaster`). */
export const NO_MASTER = -1;

/** One command: the global options, its output, the links it has seen; the socket of a Connection. */
export class Context {
  private byIndex?: Map<number, Link>;
  readonly out: Printer;

  /** `io`: where a command that streams (monitor) writes as it goes; the rest print when done. */
  constructor(readonly opts: Options, readonly conn = new Connection(opts), readonly io?: Io) {
    this.out = printerFor(opts);
  }

  rt(): Promise<RtNetlink> {
    return this.conn.rt();
  }

  async linkApi(): Promise<LinkApi> {
    return (await this.conn.rt()).link;
  }

  /** Every link, by index (one dump per command, as ip's ll_init_map); with their counters under -s, and their VFs (as ip lists links). */
  async links(): Promise<Map<number, Link>> {
    const stats = this.opts.stats > 0;
    this.byIndex ??= new Map((await (await this.linkApi()).list({ stats, vfs: true })).map((l) => [l.index, l]));
    return this.byIndex;
  }

  /** One link by name, fresh from the kernel; undefined when there is none (nor could be, by its name). */
  async link(name: string): Promise<Link | undefined> {
    const api = await this.linkApi();
    // A name no link can be known by is refused before anything is sent: none there either.
    return api.get(name, { stats: this.opts.stats > 0, vfs: true }).catch((e: unknown) => {
      if (e instanceof NotFoundError || (e instanceof InvalidArgumentError && e.request === undefined)) return undefined;
      throw e;
    });
  }

  /** ll_name_to_index(): a link's index by its name, else N for a name `ifN`; undefined for neither. */
  async lookup(name: string): Promise<number | undefined> {
    return (await this.link(name))?.index ?? ifIndex(name);
  }

  /** lookup(), with `Cannot find device "x"` (exit 1) when it finds none. */
  async index(name: string): Promise<number> {
    const index = await this.lookup(name);
    if (index === undefined) throw new CliError(`Cannot find device "${name}"`);
    return index;
  }

  /** lookup(), with ip's `Error: argument "x" is wrong: Device does not exist` when it finds none (`dev`, `master`). */
  async existing(name: string): Promise<number> {
    const index = await this.lookup(name);
    if (index === undefined) throw invarg('Device does not exist', name);
    return index;
  }

  /** ll_name_to_index() for `master DEV`, with name_is_vrf() for `vrf NAME` (a link of that name and kind vrf); ip's refusal when either fails. */
  async masterIndex(name: string, vrf: boolean): Promise<number> {
    if (!vrf) return this.existing(name);
    // name_is_vrf() asks for the link by its name, which gives its index too (an `ifN` is no VRF).
    const l = await this.link(name);
    if (l?.info?.kind === 'vrf') return l.index;
    throw invarg('Not a valid VRF name', name);
  }

  /** Adds to `names` the named namespaces this one has an nsid for (`netns list-id`): `link-netns NAME`. */
  async netnsNames(names: Map<number, string | undefined>): Promise<void> {
    for (const e of await (await this.rt()).nsid.list()) if (e.name !== undefined) names.set(e.nsid, e.name);
  }

  /** ll_index_to_name(): the name, or `if7` for an index not in this namespace. */
  async name(index: number): Promise<string> {
    return (await this.namer())(index);
  }

  /** name() without waiting, over the links known now: for formatters that name many. */
  async namer(): Promise<(index: number) => string> {
    const links = await this.links();
    return (index) => links.get(index)?.name ?? `if${index}`;
  }

  /** A link's ARPHRD_* type by index, from the same dump (undefined for a link it does not hold). */
  async linkType(): Promise<(index: number) => number | undefined> {
    const links = await this.links();
    return (index) => links.get(index)?.type;
  }
}

