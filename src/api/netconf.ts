// rt.netconf: the per-link settings routing depends on (forwarding, rp_filter...), as `ip netconf`
// shows them: each link's, and `all` and `default`, for IPv4 and IPv6. The kernel reports them
// here; they are changed through sysctl (net.ipv4.conf.DEV.forwarding), not rtnetlink.
import type { NlMessage } from '../../codecs/netlink/message.js';
import { namer } from '../../codecs/netlink/names.js';
import { AF_INET, RTM_GETNETCONF, RTM_NEWNETCONF } from '../../codecs/route/constants.js';
import type { FamilyName } from '../../codecs/route/common.js';
import { NETCONF_INDEXES, RP_FILTERS, netconfCodec, type NetconfMessage, type RpFilter } from '../../codecs/route/netconf.js';
import { NetlinkError, NotFoundError, ProtocolError, checkObject, decoding, invalid, optionKeys, typedPartial } from '../errors.js';
import type { Request } from '../client.js';
import type { LinkRef, Session } from './session.js';
import { familyName, familyNumber, listNames, present, type ListNaming } from './inet.js';
import { constants } from 'node:os';
import { asText } from '../../codecs/netlink/errors.js';

/** One family's settings for one link (or for all, or for new ones), as `ip -j netconf show` lists them. */
export interface Netconf {
  family: FamilyName | number;
  /** The link's index; -1 for `all` (NETCONFA_IFINDEX_ALL), -2 for `default` (NETCONFA_IFINDEX_DEFAULT). */
  index: number;
  /** 'all', 'default', or the link's name when known. */
  dev?: string;
  /** Each present when the kernel says it (a notification says only what changed); a value other than 0 is true. */
  forwarding?: boolean;
  /** Reverse-path filtering (IPv4): 'off', 'strict', 'loose'; a number for another value. */
  rpFilter?: RpFilter | number;
  mcForwarding?: boolean;
  /** Directed broadcasts forwarded (IPv4). */
  bcForwarding?: boolean;
  proxyNeigh?: boolean;
  ignoreRoutesWithLinkdown?: boolean;
  /** MPLS: the link takes labelled packets in. */
  input?: boolean;
}

/** Which settings: a family and a link (by name or index), or 'all' or 'default'. */
export interface NetconfRef {
  family: FamilyName;
  dev: LinkRef;
}

export interface NetconfFilter extends ListNaming {
  family?: FamilyName;
}

const specialName = namer(NETCONF_INDEXES);
const rpFilterName = namer(RP_FILTERS);
/** The on/off settings after forwarding and rp_filter, in the kernel's order. */
const SWITCHES = ['mcForwarding', 'bcForwarding', 'proxyNeigh', 'ignoreRoutesWithLinkdown', 'input'] as const;

/** The typed form; `all` and `default` are always named, links by `names` when given. */
export function toNetconf(m: NetconfMessage, names?: Map<number, string>): Netconf {
  const a = m.attrs;
  const index = a.ifindex ?? 0;
  const n: Netconf = { family: familyName(m.family), index };
  const special = specialName(index);
  const dev = typeof special === 'string' ? special : names?.get(index);
  if (dev !== undefined) n.dev = dev;
  if (a.forwarding !== undefined) n.forwarding = a.forwarding !== 0;
  if (a.rpFilter !== undefined) n.rpFilter = rpFilterName(a.rpFilter);
  for (const k of SWITCHES) if (a[k] !== undefined) n[k] = a[k] !== 0;
  return n;
}

/** Every key of a Netconf, in the order toNetconf() gives them. */
const KEYS: ReadonlyArray<keyof Netconf> = ['family', 'index', 'dev', 'forwarding', 'rpFilter', ...SWITCHES];

/**
 * `before` with what `now` says on top, keys in their usual order: the kernel tells a change of
 * one setting with that setting alone (and the link, and the family).
 */
export function mergeNetconf(before: Netconf, now: Netconf): Netconf {
  const both: Netconf = { ...before, ...now };
  const out: Record<string, unknown> = {};
  for (const k of KEYS) if (both[k] !== undefined) out[k] = both[k];
  return out as unknown as Netconf;
}

/** A netconf message (RTM_NEWNETCONF or RTM_DELNETCONF) as the codec decodes it. */
export function decodeNetconf(m: NlMessage): NetconfMessage {
  return netconfCodec.decode(m.payload);
}

function dumpRequest(family: number): Request {
  return { type: RTM_GETNETCONF, name: 'RTM_GETNETCONF', body: (w) => netconfCodec.encode(w, { family, attrs: {} }) };
}

const FILTER_KEYS = optionKeys<NetconfFilter>()('dev', 'names', 'family');
const REF_KEYS = optionKeys<NetconfRef>()('dev', 'family');

export class NetconfApi {
  constructor(protected readonly rt: Session) {}

  /**
   * Every family's settings (or one family's), like `ip -j netconf show [dev DEV]`: each link's,
   * then `all` and `default`. `dev` ('all' and 'default' too) selects; links are named as
   * ListNaming says, `all` and `default` always.
   */
  async list(filter: NetconfFilter = {}): Promise<Netconf[]> {
    checkObject('netconf filter', filter, FILTER_KEYS);
    const family = familyNumber(filter.family);
    const index = filter.dev === undefined ? undefined : await this.index(filter.dev);
    const names = await listNames(this.rt, filter, 'netconf filter', index);
    const all = await this.dump(family);
    return all.filter((m) => index === undefined || m.attrs.ifindex === index).map((m) => toNetconf(m, names));
  }

  /**
   * The kernel's settings as the codec decodes them (what `ip netconf` prints from): `family` an
   * AF_* number, 0 for all. The kernel dumps every family for one it has no settings of (AF_PACKET):
   * only the family asked for is kept.
   */
  async dump(family = 0): Promise<NetconfMessage[]> {
    const decode = (m: NlMessage): NetconfMessage | undefined =>
      (m.header.type === RTM_NEWNETCONF && (family === 0 || m.payload[0] === family) ? decodeNetconf(m) : undefined);
    return present(await this.rt.client.dump(dumpRequest(family), decode).catch(typedPartial(present)));
  }

  /**
   * One family's settings for one link, or 'all' or 'default', like `ip -4 netconf show dev mv1`.
   * A NotFoundError when there is no such link, or when the link has none for the family (the
   * kernel keeps no IPv6 settings for a link whose MTU is under 1280, no IPv4 ones under 68; ip
   * then prints nothing).
   */
  async get(ref: NetconfRef): Promise<Netconf> {
    checkObject('netconf', ref, REF_KEYS);
    if (ref.family === undefined) throw invalid(`netconf ${asText(ref.dev)}`, 'family ("inet" or "inet6") is required: the kernel answers for one family at a time');
    const family = familyNumber(ref.family);
    const index = await this.index(ref.dev);
    const found = await this.lookup(family, index, `netconf ${ref.family} ${asText(ref.dev)}`);
    return toNetconf(found, typeof ref.dev === 'string' ? new Map([[index, ref.dev]]) : undefined);
  }

  /** get()'s entry as the codec decodes it (what `ip netconf` prints from): `family` an AF_* number, `index` -1 for all, -2 for default. */
  async lookup(family: number, index: number, subject = `netconf ${asText(familyName(family))} ${index}`): Promise<NetconfMessage> {
    const replies = await this.rt.client.request({
      type: RTM_GETNETCONF, name: 'RTM_GETNETCONF', idempotent: true,
      body: (w) => netconfCodec.encode(w, { family, attrs: { ifindex: index } }),
    }).catch(async (e: unknown) => {
      throw await this.refused(e, index, family, subject);
    });
    const found = decoding(() => replies.filter((r) => r.header.type === RTM_NEWNETCONF).map(decodeNetconf), 'netconf message')[0];
    if (!found) throw new ProtocolError({ errno: constants.errno.EPROTO, subject, text: 'the kernel acknowledged the request without the entry' });
    return found;
  }

  /**
   * The kernel's refusal of a get, explained: for a link it says ENODEV (IPv4) or EINVAL (IPv6)
   * whether the link is missing or only its settings for the family are; which, is asked.
   */
  private async refused(e: unknown, index: number, family: number, subject: string): Promise<unknown> {
    const { ENODEV, EINVAL } = constants.errno;
    if (!(e instanceof NetlinkError) || index < 0 || (e.errno !== ENODEV && e.errno !== EINVAL)) return e instanceof NetlinkError ? e.about(subject) : e;
    const exists = (await this.rt.linkNames([index])).has(index);
    return new NotFoundError({
      errno: ENODEV, subject: exists ? subject : `link ${index}`, request: e.request, kernelMessage: e.kernelMessage, cause: e,
      text: exists ? `the link has no ${asText(familyName(family))} settings (the kernel keeps none under an MTU of ${family === AF_INET ? 68 : 1280})` : 'no such link',
    });
  }

  /** A link's index, or -1 and -2 for 'all' and 'default' (names the kernel refuses for a link). */
  private index(dev: LinkRef): Promise<number> {
    return typeof dev === 'string' && Object.hasOwn(NETCONF_INDEXES, dev)
      ? Promise.resolve(NETCONF_INDEXES[dev as keyof typeof NETCONF_INDEXES])
      : this.rt.linkIndex(dev);
  }
}
