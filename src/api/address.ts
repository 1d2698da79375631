// rt.address: IPv4 and IPv6 addresses of links, as `ip address` shows and changes them.
import { constants } from 'node:os';
import { NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL, NLM_F_REPLACE } from '../../codecs/netlink/constants.js';
import { EncodeError, asJson, asText } from '../../codecs/netlink/errors.js';
import {
  ADDRESS_FLAGS, addressCodec, type AddressFlag, type AddressMessage,
} from '../../codecs/route/address.js';
import { makerFor } from '../../codecs/netlink/shape.js';
import { SCOPES, type FamilyName, type ScopeName } from '../../codecs/route/common.js';
import { AF_INET, RTM_DELADDR, RTM_GETADDR, RTM_NEWADDR } from '../../codecs/route/constants.js';
import { NotFoundError, checkObject, decoding, invalid, optionKeys } from '../errors.js';
import type { Request } from '../client.js';
import type { Session } from './session.js';
import {
  familyName, familyNumber, fromLifetime, lifetime, listNames, lookup, naming, parsePrefix, type LinkRef,
  type Lifetime, type ListNaming,
} from './inet.js';
import { bitsOf, flagNamer, namer } from '../../codecs/netlink/names.js';
import { ADDRESS_DUMP_MAGIC, writeSaved } from '../../codecs/netlink/saved.js';
import { restoreEach, savedEntries, type Restored } from './restore.js';

/** An address as the kernel reports it. */
export interface Address {
  family: FamilyName | number;
  /** Index of the link the address is on. */
  index: number;
  /** Name of that link, when known. */
  dev?: string;
  prefixlen: number;
  /** `local/prefixlen` (or `address/prefixlen`): what `add` and `delete` take. */
  cidr: string;
  scope: ScopeName | number;
  /** All flag bits (IFA_FLAGS merged with ifa_flags): 'permanent', 'tentative', 'dadfailed', 'noprefixroute'... Unknown bits stay numbers. */
  flags: Array<AddressFlag | number>;
  /** IFA_LOCAL: the address itself (IPv4, and IPv6 when set). */
  local?: string;
  /** IFA_ADDRESS: the address, or the peer on point-to-point links. */
  address?: string;
  broadcast?: string;
  anycast?: string;
  multicast?: string;
  /** IPv4 label (`eth0:1`). */
  label?: string;
  /** Seconds left, or 'forever'. */
  validLft?: Lifetime;
  /** Seconds left before the address is deprecated, or 'forever'. */
  preferredLft?: Lifetime;
  /** When the address was created and last updated, in hundredths of a second since boot. */
  created?: number;
  updated?: number;
  /** IFA_RT_PRIORITY: the metric of the prefix route. */
  metric?: number;
  /** IFA_PROTO: who added it. */
  protocol?: number;
}

/**
 * Which address: what `delete` takes (a listed Address too), and the start of what `add` and
 * `replace` take.
 */
export interface AddressRef {
  /** The link, by name or index. */
  dev: LinkRef;
  /** `192.0.2.5/24`, `2001:db8::5/64`, or the address alone with `prefixlen` (a host prefix without either). */
  address: string;
  prefixlen?: number;
}

/** What `delete` takes besides a listed Address: with `label`, an IPv4 address goes only if it bears it; `peer` as add() took it. */
export interface AddressDeleteRef extends AddressRef, Pick<AddressOptions, 'label' | 'peer'> {}

/** What `add` and `replace` take: `{ dev: 'mv1', address: '192.0.2.5/24', flags: ['nodad'] }`. */
export interface AddressSpec extends AddressRef, AddressOptions {}

export interface AddressOptions {
  /** IPv4 broadcast address. */
  broadcast?: string;
  /** IPv4 label, up to 15 bytes; by convention the device name, a colon, and a suffix. */
  label?: string;
  scope?: ScopeName | number;
  /** e.g. ['nodad', 'noprefixroute']. */
  flags?: Array<AddressFlag | number>;
  /** Seconds, or 'forever' (the default). */
  validLft?: Lifetime;
  /** Seconds, or 'forever' (the default); at most validLft. */
  preferredLft?: Lifetime;
  /** Metric of the prefix route the kernel adds. */
  metric?: number;
  /**
   * Point-to-point: the other end's address (`192.0.2.41` or a prefix, `192.0.2.40/30`), sent as
   * IFA_ADDRESS; its length, not the address's own, is the address's prefix length (`ip address add
   * 192.0.2.40 peer 192.0.2.41 dev X`).
   */
  peer?: string;
}

export interface AddressFilter extends ListNaming {
  family?: FamilyName;
}

const scopeName = namer(SCOPES);
const addressFlags = flagNamer(ADDRESS_FLAGS);

/** The message `ip address add|replace|del` would send (it is also what the tests compare with iproute2's). */
export function addressMessage(index: number, cidr: string, opts: AddressOptions = {}): AddressMessage {
  const p = parsePrefix(cidr, 'address');
  const subject = `address ${cidr}`;
  let flags: number;
  try {
    flags = bitsOf(ADDRESS_FLAGS, opts.flags ?? [], 'address flag');
  } catch (e) {
    throw invalid(subject, (e as EncodeError).message);
  }
  if (opts.label !== undefined && typeof opts.label !== 'string') throw invalid(subject, `a label is a string, not ${asJson(opts.label)}`);
  if (opts.label !== undefined && (p.family !== AF_INET || Buffer.byteLength(opts.label) > 15)) {
    throw invalid(`${subject} label "${opts.label}"`, 'labels are for IPv4 only, up to 15 bytes');
  }
  const m: AddressMessage = {
    family: p.family, prefixlen: p.prefixlen, flags: flags <= 0xff ? flags : 0,
    scope: lookup(SCOPES, opts.scope, 'scope', 255, subject) ?? 0, index,
    attrs: { local: p.address, address: p.address },
  };
  if (opts.peer !== undefined) {
    const q = parsePrefix(opts.peer, `${subject}: peer`);
    if (q.family !== p.family) throw invalid(subject, `peer ${opts.peer} is not of the address's family`);
    m.prefixlen = q.prefixlen;
    m.attrs.address = q.address;
  }
  if (opts.broadcast !== undefined) m.attrs.broadcast = parsePrefix(opts.broadcast, `${subject}: broadcast`).address;
  if (opts.label !== undefined) m.attrs.label = opts.label;
  if (opts.validLft !== undefined || opts.preferredLft !== undefined) {
    const valid = lifetime(opts.validLft, 'validLft');
    const preferred = lifetime(opts.preferredLft, 'preferredLft');
    if (preferred > valid) throw invalid(subject, `preferredLft (${opts.preferredLft ?? 'forever, the default'}) is longer than validLft (${opts.validLft})`);
    m.attrs.cacheinfo = { preferred, valid, cstamp: 0, tstamp: 0 };
  }
  if (flags > 0xff) m.attrs.flags = flags;
  if (opts.metric !== undefined) m.attrs.rtPriority = lookup({}, opts.metric, 'metric', 0xffffffff, subject);
  return m;
}

/** Addresses are made with room for every key they may get: a dump makes thousands. */
const AddressObject = makerFor([
  'family', 'index', 'prefixlen', 'cidr', 'scope', 'flags', 'dev', 'local', 'address', 'broadcast', 'anycast', 'multicast',
  'label', 'validLft', 'preferredLft', 'created', 'updated', 'metric', 'protocol',
] satisfies Array<keyof Address>);

/** The public form of a decoded address message. */
export function toAddress(m: AddressMessage, names?: Map<number, string>): Address {
  const a = m.attrs;
  const ip = a.local ?? a.address ?? '';
  const out = new AddressObject() as unknown as Address;
  out.family = familyName(m.family);
  out.index = m.index;
  out.prefixlen = m.prefixlen;
  out.cidr = `${ip}/${m.prefixlen}`;
  out.scope = scopeName(m.scope);
  out.flags = addressFlags(a.flags ?? m.flags);
  const dev = names?.get(m.index);
  if (dev !== undefined) out.dev = dev;
  if (a.local !== undefined) out.local = a.local;
  if (a.address !== undefined) out.address = a.address;
  if (a.broadcast !== undefined) out.broadcast = a.broadcast;
  if (a.anycast !== undefined) out.anycast = a.anycast;
  if (a.multicast !== undefined) out.multicast = a.multicast;
  if (a.label !== undefined) out.label = a.label;
  if (a.cacheinfo) {
    out.validLft = fromLifetime(a.cacheinfo.valid);
    out.preferredLft = fromLifetime(a.cacheinfo.preferred);
    out.created = a.cacheinfo.cstamp;
    out.updated = a.cacheinfo.tstamp;
  }
  if (a.rtPriority !== undefined) out.metric = a.rtPriority;
  if (a.proto !== undefined) out.protocol = a.proto;
  return out;
}

/** The RTM_GETADDR dump request: the kernel filters by family and link (strict checking). */
function dumpRequest({ family = 0, index = 0 }: { family?: number; index?: number }): Request {
  return { type: RTM_GETADDR, name: 'RTM_GETADDR', body: (w) => addressCodec.header.encode(w, { family, prefixlen: 0, flags: 0, scope: 0, index }) };
}

/** `address` with `prefixlen` put on, when it has none of its own; checked. */
function withLength(address: unknown, prefixlen: unknown): string {
  if (prefixlen === undefined) return address as string;
  if (typeof prefixlen !== 'number' || !Number.isInteger(prefixlen) || prefixlen < 0 || prefixlen > 128) {
    throw invalid(`address ${asText(address)}`, `prefixlen must be an integer from 0 to 128, not ${asText(prefixlen)}`);
  }
  if (typeof address === 'string' && address.includes('/') && !address.endsWith(`/${prefixlen}`)) {
    throw invalid(`address ${address}`, `prefixlen ${prefixlen} and the address's own length differ`);
  }
  return typeof address === 'string' && !address.includes('/') ? `${address}/${prefixlen}` : (address as string);
}

const FILTER_KEYS = optionKeys<AddressFilter>()('dev', 'names', 'family');
const DUMP_KEYS = optionKeys<{ family?: number; index?: number }>()('family', 'index');
const FLUSH_KEYS = optionKeys<{ dev: LinkRef; family?: FamilyName }>()('dev', 'family');
const SPEC = ['dev', 'address', 'prefixlen', 'broadcast', 'label', 'scope', 'flags', 'validLft', 'preferredLft', 'metric', 'peer'] as const;
const SPEC_KEYS = optionKeys<AddressSpec>()(...SPEC);
/** delete() takes a listed address as it is. */
const DELETE_KEYS = optionKeys<AddressDeleteRef | Address>()(...SPEC, 'family', 'index', 'cidr', 'local', 'anycast', 'multicast', 'created', 'updated', 'protocol');

export class AddressApi {
  constructor(protected readonly rt: Session) {}

  /**
   * Addresses, like `ip -j address show`. The kernel does the filtering by link and family.
   * @example await rt.address.list({ dev: 'mv1', family: 'inet' })
   */
  async list(filter: AddressFilter = {}): Promise<Address[]> {
    const { request, names } = await this.listRequest(filter);
    return this.rt.client.dump(dumpRequest(request), (m) => toAddress(addressCodec.decode(m.payload), names));
  }

  /** list() for tables too big to hold: `for await (const a of rt.address.iterate())`. */
  async *iterate(filter: AddressFilter = {}): AsyncGenerator<Address, void, undefined> {
    const { request, names } = await this.listRequest(filter);
    for await (const batch of this.rt.client.stream(dumpRequest(request), (m) => addressCodec.decode(m.payload))) {
      for (const m of batch) yield toAddress(m, names);
    }
  }

  /** What list() asks the kernel for, and the names it puts on links (see ListNaming). */
  private async listRequest(filter: AddressFilter): Promise<{ request: { family: number; index: number }; names?: Map<number, string> }> {
    checkObject('address filter', filter, FILTER_KEYS);
    const family = familyNumber(filter.family);
    const index = filter.dev === undefined ? 0 : await this.rt.linkIndex(filter.dev);
    return { request: { family, index }, names: await listNames(this.rt, filter, 'address filter', index) };
  }

  /**
   * The kernel's address messages as the codec decodes them, in its order (what `ip address`
   * prints from); `family` (AF_*) and `index` (0: every link) filter in the kernel. list() types them.
   */
  async dump(filter: { family?: number; index?: number } = {}): Promise<AddressMessage[]> {
    checkObject('address dump filter', filter, DUMP_KEYS);
    return this.rt.client.dump(dumpRequest(filter), (m) => addressCodec.decode(m.payload));
  }

  /**
   * The addresses list() gives for `filter`, saved as `ip address save` saves them: the bytes
   * `ip address restore` reads, and restore().
   */
  async save(filter: AddressFilter = {}): Promise<Uint8Array> {
    const { request } = await this.listRequest({ ...filter, names: false });
    return writeSaved(ADDRESS_DUMP_MAGIC, RTM_NEWADDR, addressCodec, await this.dump(request));
  }

  /**
   * Puts back the addresses of a saved dump (save()'s, or `ip address save`'s) in its order, as
   * `ip address restore` does: on the links of the same indexes, with the lifetimes they had
   * left, one there already passed over (`exists`). The first other refusal rejects, naming the
   * address, with those before it restored; a dump that does not read as one is refused before
   * anything is sent.
   */
  async restore(saved: Uint8Array): Promise<Array<Restored<Address>>> {
    const entries = savedEntries(saved, ADDRESS_DUMP_MAGIC, RTM_NEWADDR, addressCodec, 'address',
      (m) => `${m.attrs.local ?? m.attrs.address ?? '(none)'}/${m.prefixlen} on link ${m.index}`);
    const names = await this.rt.linkNames();
    return restoreEach(this.rt, entries, 'RTM_NEWADDR', (m) => toAddress(m, names));
  }

  /**
   * Adds an address, like `ip address add 192.0.2.5/24 dev mv1`, and resolves with it as
   * list() would show it. An address already there is an ExistsError.
   * @example await rt.address.add({ dev: 'mv1', address: '192.0.2.5/24' })
   */
  add(spec: AddressSpec): Promise<Address> {
    return this.change(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, spec);
  }

  /** Adds an address or updates the one there (flags, lifetimes...), like `ip address replace`; resolves with it. */
  replace(spec: AddressSpec): Promise<Address> {
    return this.change(RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, spec);
  }

  /**
   * Removes an address, like `ip address del 192.0.2.5/24 dev mv1`; a listed Address is taken as it
   * is (a point-to-point one with its peer). An IPv4 address alone (no length, no `prefixlen`) goes
   * whatever its length, as ip's "wildcard deletion" does; with `label`, only if it bears that label.
   */
  async delete(ref: AddressDeleteRef | Address): Promise<void> {
    checkObject('address', ref, DELETE_KEYS);
    if ('index' in ref) {
      // A listed Address: its link by index (its name may be unknown), its own address and its peer's
      // (IPv4 lists a peer of 0.0.0.0 without IFA_ADDRESS, which the kernel matches on a delete).
      const address = ref.address ?? (ref.family === 'inet' ? '0.0.0.0' : undefined);
      const peer = ref.local !== undefined && address !== ref.local ? `${address}/${ref.prefixlen}` : undefined;
      await this.change(RTM_DELADDR, 0, { dev: ref.index, address: ref.local ?? ref.address ?? '', prefixlen: ref.prefixlen, peer });
      return;
    }
    const { dev, address, prefixlen, label, peer } = ref;
    const anyLength = typeof address === 'string' && !address.includes('/') && prefixlen === undefined && peer === undefined;
    await this.change(RTM_DELADDR, 0, { dev, address, prefixlen, label, peer }, anyLength);
  }

  /**
   * Removes every address of a link (of one family if given), like `ip address flush dev mv1`.
   * Resolves with how many went.
   */
  async flush(filter: { dev: LinkRef; family?: FamilyName }): Promise<number> {
    checkObject('address flush', filter, FLUSH_KEYS);
    if (filter.dev === undefined) throw invalid('address flush', 'dev (the link whose addresses go) is required');
    const all = await this.list(filter);
    // IPv4 secondaries first: deleting a primary takes its secondaries with it.
    const order = [...all.filter((a) => a.flags.includes('secondary')), ...all.filter((a) => !a.flags.includes('secondary'))];
    let n = 0;
    for (const a of order) {
      try {
        await this.delete(a);
        n++;
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw (e as Error);
      }
    }
    return n;
  }

  /** `anyLength`: the IPv4 address is matched alone, without IFA_ADDRESS (a delete). */
  private async change(type: number, flags: number, spec: AddressSpec, anyLength = false): Promise<Address> {
    checkObject('address', spec, SPEC_KEYS);
    const { dev, address, prefixlen, ...opts } = spec;
    const cidr = withLength(address, prefixlen);
    const subject = `address ${asText(cidr)} on ${typeof dev === 'number' ? `link ${dev}` : `"${asText(dev)}"`}`;
    if (dev === undefined) throw invalid(subject, 'dev (the link, by name or index) is required');
    const m = addressMessage(0, cidr, opts); // bad input fails here, before any round trip
    // The kernel acknowledges 0.0.0.0 and keeps nothing (__inet_insert_ifa()): refused, rather than "not found afterwards".
    if (type !== RTM_DELADDR && m.family === AF_INET && m.attrs.local === '0.0.0.0') throw invalid(subject, 'IPv4 0.0.0.0 is no address: the kernel would acknowledge it and add nothing');
    if (anyLength && m.family === AF_INET) delete m.attrs.address;
    m.index = await this.rt.linkIndex(dev);
    const echo = type === RTM_DELADDR ? 0 : NLM_F_ECHO;
    const replies = await this.rt.client
      .request({ type, flags: flags | echo, name: type === RTM_DELADDR ? 'RTM_DELADDR' : 'RTM_NEWADDR', body: (w) => addressCodec.encode(w, m) })
      .catch(naming(subject));
    const made = decoding(() => replies.filter((r) => r.header.type === RTM_NEWADDR).map((r) => addressCodec.decode(r.payload)));
    const names = typeof dev === 'string' ? new Map([[m.index, dev]]) : undefined;
    if (made[0]) return toAddress(made[0], names);
    if (type === RTM_DELADDR) return toAddress(m, names);
    // IPv6 does not echo a change of an address (nor does a kernel that never echoes): read it back. An IPv6
    // address is one per link whatever its length (the kernel changes the one there, /64 for a
    // /128 asked); an IPv4 one is its local address and length.
    const found = (await this.list({ dev: m.index }))
      .find((a) => (a.local ?? a.address) === m.attrs.local && (a.prefixlen === m.prefixlen || m.family !== AF_INET));
    if (!found) throw new NotFoundError({ errno: constants.errno.EADDRNOTAVAIL, subject, text: 'added, but not found afterwards' });
    return names ? { ...found, dev: dev as string } : found;
  }
}
