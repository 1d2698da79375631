// rt.neighbour: the ARP and NDP caches, as `ip neigh` shows and changes them.
import { constants } from 'node:os';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../codecs/netlink/constants.js';
import type { NlMessage } from '../../codecs/netlink/message.js';
import { parseLladdr } from '../../codecs/netlink/addresses.js';
import { AF_INET, AF_INET6, RTM_DELNEIGH, RTM_GETNEIGH, RTM_NEWNEIGH } from '../../codecs/route/constants.js';
import type { FamilyName } from '../../codecs/route/common.js';
import {
  NEIGHBOUR_FLAGS, NEIGHBOUR_STATES, NTF_EXT_LEARNED, NTF_PROXY, NTF_ROUTER, NUD_NOARP, NUD_PERMANENT, neighbourCodec,
  type NeighbourFlag, type NeighbourMessage, type NeighbourState,
} from '../../codecs/route/neighbour.js';
import { PROTOCOLS, type ProtocolName } from '../../codecs/route/route.js';
import { NotFoundError, checkBoolean, checkObject, decoding, invalid, optionKeys, typedPartial } from '../errors.js';
import type { Request } from '../client.js';
import type { Session } from './session.js';
import {
  familyName, familyNumber, listNames, lookup, naming, parseAddress, present, type LinkRef, type ListNaming,
} from './inet.js';
import { flagNamer, namer } from '../../codecs/netlink/names.js';
import { asText } from '../../codecs/netlink/errors.js';

/** A neighbour entry as the kernel reports it. */
export interface Neighbour {
  family: FamilyName | number;
  index: number;
  dev?: string;
  /** The IP address (NDA_DST). */
  address?: string;
  /** Its link-layer address; absent while unresolved. */
  lladdr?: string;
  /** 'permanent', 'reachable', 'stale', 'delay', 'probe', 'failed', 'incomplete', 'noarp', 'none'; a number for combinations. */
  state: NeighbourState | number;
  /** 'router', 'proxy', 'extern_learn'... */
  flags: Array<NeighbourFlag | number>;
  probes?: number;
  /** Who made it (NDA_PROTOCOL), when someone said: 'static', 'zebra', a number... (`ip neigh add ... protocol P`). */
  protocol?: ProtocolName | number;
  /** Hundredths of a second since the entry was last confirmed, used and updated. */
  confirmed?: number;
  used?: number;
  updated?: number;
}

/** Which entry: what `delete` takes, and the start of what `add` and `replace` take. */
export interface NeighbourRef {
  /** The link, by name or index. */
  dev: LinkRef;
  /** The neighbour's IP address. */
  address: string;
  /** A proxy entry (NTF_PROXY): this host answers for `address` on `dev` (`ip neigh add proxy ADDR dev DEV`). */
  proxy?: boolean;
}

/** What `add` and `replace` take: `{ dev: 'mv1', address: '192.0.2.1', lladdr: '02:00:00:00:00:01' }`. */
export interface NeighbourSpec extends NeighbourRef, NeighbourOptions {
  /** Its link-layer address; without it the kernel records the link's broadcast address, as with ip. */
  lladdr?: string;
}

export interface NeighbourOptions {
  /** Default 'permanent'. */
  state?: NeighbourState;
  /** The neighbour is a router (IPv6). */
  router?: boolean;
  /** Learned by a control plane outside the kernel (NTF_EXT_LEARNED): the kernel's aging leaves it alone. */
  externLearn?: boolean;
  /** Who makes it (NDA_PROTOCOL): a name of /etc/iproute2/rt_protos or 0 to 255. */
  protocol?: ProtocolName | number;
}

export interface NeighbourFilter extends ListNaming {
  family?: FamilyName;
  /** The proxy entries instead of the cache (`ip neigh show proxy`). */
  proxy?: boolean;
}

const stateName = namer(NEIGHBOUR_STATES);
const protocolName = namer(PROTOCOLS);
const neighbourFlags = flagNamer(NEIGHBOUR_FLAGS);

export function toNeighbour(m: NeighbourMessage, names?: Map<number, string>): Neighbour {
  const a = m.attrs;
  const n: Neighbour = {
    family: familyName(m.family), index: m.ifindex, state: stateName(m.state), flags: neighbourFlags(m.flags),
  };
  const dev = names?.get(m.ifindex);
  if (dev !== undefined) n.dev = dev;
  if (a.dst !== undefined) n.address = a.dst;
  if (a.lladdr !== undefined) n.lladdr = a.lladdr;
  if (a.probes !== undefined) n.probes = a.probes;
  if (a.protocol) n.protocol = protocolName(a.protocol);
  if (a.cacheinfo) {
    n.confirmed = a.cacheinfo.confirmed;
    n.used = a.cacheinfo.used;
    n.updated = a.cacheinfo.updated;
  }
  return n;
}

/** The message `ip neigh add|replace|del` would send. */
export function neighbourMessage(index: number, address: string, lladdr?: string, opts: NeighbourOptions & { proxy?: boolean } = {}): NeighbourMessage {
  const dst = parseAddress(address, 'neighbour');
  const subject = `neighbour ${address}`;
  const m: NeighbourMessage = {
    family: dst.family, pad1: 0, pad2: 0, ifindex: index,
    state: lookup(NEIGHBOUR_STATES, opts.state, 'neighbour state', 0xffff, subject) ?? NUD_PERMANENT,
    flags: (opts.router ? NTF_ROUTER : 0) | (opts.proxy ? NTF_PROXY : 0) | (opts.externLearn ? NTF_EXT_LEARNED : 0), type: 0, attrs: { dst: dst.address },
  };
  const protocol = lookup(PROTOCOLS, opts.protocol, 'protocol', 255, subject);
  if (protocol !== undefined) m.attrs.protocol = protocol;
  if (lladdr !== undefined) {
    try {
      parseLladdr(lladdr);
    } catch {
      throw invalid(`${subject} lladdr "${asText(lladdr)}"`, 'not a link-layer address like "02:00:00:00:00:01"');
    }
    m.attrs.lladdr = lladdr;
  }
  return m;
}

/** What a dump asks the kernel for: `master`, the index of the entries' links' master, or -1 for links without one. */
interface DumpFilter { family?: number; index?: number; proxy?: boolean; master?: number }

/** The RTM_GETNEIGH dump request: the kernel filters by family, link and master (strict checking). */
function dumpRequest(filter: DumpFilter): Request {
  const head: NeighbourMessage = { family: filter.family ?? 0, pad1: 0, pad2: 0, ifindex: 0, state: 0, flags: filter.proxy ? NTF_PROXY : 0, type: 0, attrs: {} };
  if (filter.index !== undefined) head.attrs.ifindex = filter.index;
  if (filter.master !== undefined) head.attrs.master = filter.master >>> 0;
  return { type: RTM_GETNEIGH, name: 'RTM_GETNEIGH', body: (w) => neighbourCodec.encode(w, head) };
}

/** An ARP or NDP entry; undefined for the bridge FDB's, which a dump of every family holds too. */
export function decodeNeighbour(m: NlMessage): NeighbourMessage | undefined {
  const family = m.payload[0];
  return family === AF_INET || family === AF_INET6 ? neighbourCodec.decode(m.payload) : undefined;
}

const FILTER_KEYS = optionKeys<NeighbourFilter>()('dev', 'names', 'family', 'proxy');
const DUMP_KEYS = optionKeys<DumpFilter>()('family', 'index', 'proxy', 'master');
const REF = ['dev', 'address', 'proxy'] as const;
const REF_KEYS = optionKeys<NeighbourRef>()(...REF);
const FLUSH_KEYS = optionKeys<{ dev: LinkRef; family?: FamilyName; permanent?: boolean }>()('dev', 'family', 'permanent');
const SPEC_KEYS = optionKeys<NeighbourSpec>()(...REF, 'lladdr', 'state', 'router', 'externLearn', 'protocol');

export class NeighbourApi {
  constructor(protected readonly rt: Session) {}

  /**
   * ARP (IPv4) and NDP (IPv6) entries, like `ip -j neigh show`, filtered by the kernel.
   * Unlike `ip neigh show` it includes 'noarp' entries (multicast, loopback) too.
   */
  async list(filter: NeighbourFilter = {}): Promise<Neighbour[]> {
    const { request, names } = await this.listRequest(filter);
    const typed = (m: NlMessage): Neighbour | undefined => {
      const entry = decodeNeighbour(m);
      return entry && toNeighbour(entry, names);
    };
    return present(await this.rt.client.dump(dumpRequest(request), typed).catch(typedPartial(present)));
  }

  /** list() for tables too big to hold: `for await (const n of rt.neighbour.iterate())`. */
  async *iterate(filter: NeighbourFilter = {}): AsyncGenerator<Neighbour, void, undefined> {
    const { request, names } = await this.listRequest(filter);
    for await (const batch of this.rt.client.stream(dumpRequest(request), decodeNeighbour)) {
      for (const m of batch) if (m) yield toNeighbour(m, names);
    }
  }

  /** What list() asks the kernel for, and the names it puts on links (see ListNaming). */
  private async listRequest(filter: NeighbourFilter): Promise<{ request: { family: number; index?: number; proxy: boolean }; names?: Map<number, string> }> {
    checkObject('neighbour filter', filter, FILTER_KEYS);
    checkBoolean('neighbour filter', 'proxy', filter.proxy);
    const index = filter.dev === undefined ? undefined : await this.rt.linkIndex(filter.dev);
    const request = { family: familyNumber(filter.family), index, proxy: filter.proxy === true };
    return { request, names: await listNames(this.rt, filter, 'neighbour filter', index) };
  }

  /**
   * The kernel's ARP and NDP entries as the codec decodes them (what `ip neigh` prints from);
   * `family` (AF_*), `index` and `master` filter in the kernel. Unfiltered by family the kernel also
   * dumps the bridge FDB: those entries belong to another API and are left out. list() types them.
   */
  async dump(filter: DumpFilter = {}): Promise<NeighbourMessage[]> {
    checkObject('neighbour dump filter', filter, DUMP_KEYS);
    return present(await this.rt.client.dump(dumpRequest(filter), decodeNeighbour).catch(typedPartial(present)));
  }

  /** The kernel's entry for `address` on `index`, as the codec decodes it; undefined when there is none. */
  async lookup(index: number, address: string, proxy = false): Promise<NeighbourMessage | undefined> {
    const m = neighbourMessage(index, address, undefined, { proxy });
    const head: NeighbourMessage = { ...m, state: 0, attrs: { dst: m.attrs.dst } };
    const replies = await this.rt.client.request({ type: RTM_GETNEIGH, name: 'RTM_GETNEIGH', idempotent: true, body: (w) => neighbourCodec.encode(w, head) });
    return decoding(() => replies.filter((r) => r.header.type === RTM_NEWNEIGH).map((r) => neighbourCodec.decode(r.payload)), 'neighbour message')[0];
  }

  /**
   * Adds an entry (permanent unless `state` says), like `ip neigh add 192.0.2.1 lladdr 02:... dev mv1`,
   * and resolves with it as list() would show it.
   * @example await rt.neighbour.add({ dev: 'mv1', address: '192.0.2.1', lladdr: '02:00:00:00:00:01' })
   */
  add(spec: NeighbourSpec): Promise<Neighbour> {
    return this.send(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL, spec);
  }

  /** Adds or overwrites an entry, like `ip neigh replace`; resolves with it. */
  replace(spec: NeighbourSpec): Promise<Neighbour> {
    return this.send(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, spec);
  }

  /**
   * Overwrites an entry that is there, like `ip neigh change`: a NotFoundError when there is
   * none, where replace() would add it. Resolves with the entry.
   */
  change(spec: NeighbourSpec): Promise<Neighbour> {
    return this.send(RTM_NEWNEIGH, NLM_F_REPLACE, spec);
  }

  /** Removes an entry, like `ip neigh del 192.0.2.1 dev mv1`. */
  async delete(ref: NeighbourRef): Promise<void> {
    checkObject('neighbour', ref, REF_KEYS);
    await this.send(RTM_DELNEIGH, 0, { dev: ref.dev, address: ref.address, proxy: ref.proxy });
  }

  /** One entry, like `ip neigh get 192.0.2.1 dev mv1`; a NotFoundError when there is none. */
  async get(ref: NeighbourRef): Promise<Neighbour> {
    checkObject('neighbour', ref, REF_KEYS);
    const subject = describe(ref);
    const index = await this.rt.linkIndex(ref.dev);
    const found = await this.lookup(index, ref.address, ref.proxy === true).catch(naming(subject));
    if (!found) throw new NotFoundError({ errno: constants.errno.ENOENT, subject, text: 'no such entry' });
    return toNeighbour(found, typeof ref.dev === 'string' ? new Map([[index, ref.dev]]) : undefined);
  }

  /**
   * Removes a link's entries, like `ip neigh flush dev mv1`: all but permanent and noarp
   * ones, unless `permanent: true`. Resolves with how many went.
   */
  async flush(filter: { dev: LinkRef; family?: FamilyName; permanent?: boolean }): Promise<number> {
    checkObject('neighbour flush', filter, FLUSH_KEYS);
    if (filter.dev === undefined) throw invalid('neighbour flush', 'dev (the link whose entries go) is required');
    const keep = NUD_NOARP | (filter.permanent ? 0 : NUD_PERMANENT);
    const all = await this.list({ dev: filter.dev, family: filter.family });
    let n = 0;
    for (const e of all) {
      const state = typeof e.state === 'number' ? e.state : NEIGHBOUR_STATES[e.state];
      if (state & keep || e.address === undefined || e.flags.includes('proxy')) continue;
      try {
        await this.delete({ dev: e.index, address: e.address });
        n++;
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err as Error;
      }
    }
    return n;
  }

  /** Sends the request; a new or changed entry is then read back (the kernel echoes no neighbour). */
  private async send(type: number, flags: number, spec: NeighbourSpec): Promise<Neighbour> {
    checkObject('neighbour', spec, SPEC_KEYS);
    const { dev, address, lladdr, ...opts } = spec;
    const subject = describe(spec);
    if (dev === undefined) throw invalid(subject, 'dev (the link, by name or index) is required');
    const m = neighbourMessage(0, address, lladdr, opts); // bad input fails here, before any round trip
    m.ifindex = await this.rt.linkIndex(dev);
    await this.rt.client
      .request({ type, flags, name: type === RTM_DELNEIGH ? 'RTM_DELNEIGH' : 'RTM_NEWNEIGH', body: (w) => neighbourCodec.encode(w, m) })
      .catch(naming(subject));
    const names = typeof dev === 'string' ? new Map([[m.ifindex, dev]]) : undefined;
    if (type === RTM_DELNEIGH) return toNeighbour(m, names);
    // The kernel echoes no neighbour: read it back.
    const found = await this.lookup(m.ifindex, address, opts.proxy === true).catch(naming(subject));
    if (!found) throw new NotFoundError({ errno: constants.errno.ENOENT, subject, text: 'set, but not found afterwards' });
    return toNeighbour(found, names);
  }
}

function describe(ref: NeighbourRef): string {
  return `neighbour ${asText(ref.address)} on ${typeof ref.dev === 'number' ? `link ${ref.dev}` : `"${asText(ref.dev)}"`}`;
}
