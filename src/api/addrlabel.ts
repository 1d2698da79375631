// rt.addrlabel: IPv6's address label policy table (RFC 6724), as `ip addrlabel` reads and
// changes it: a label for the addresses of a prefix, on one link or on all. Source address
// selection prefers a source whose label is the destination's.
import { NLM_F_CREATE, NLM_F_EXCL } from '../../codecs/netlink/constants.js';
import { networkOf } from '../../codecs/netlink/addresses.js';
import { asText } from '../../codecs/netlink/errors.js';
import { AF_INET6 } from '../../codecs/route/constants.js';
import {
  IPV6_ADDR_LABEL_DEFAULT, RTM_DELADDRLABEL, RTM_GETADDRLABEL, RTM_NEWADDRLABEL, addrlabelCodec, type AddrLabelMessage,
} from '../../codecs/route/addrlabel.js';
import type { Request } from '../client.js';
import { checkObject, invalid, optionKeys } from '../errors.js';
import { listNames, naming, parsePrefix, type ListNaming } from './inet.js';
import type { LinkRef, Session } from './session.js';

/** A label of the table: its prefix, the label, and its link when it is one link's. */
export interface AddrLabel {
  /** `2001:db8::/32`: always with its length, masked to it. */
  prefix: string;
  label: number;
  /** The link it is for; absent: every link. */
  index?: number;
  /** Its name, when asked for (`names`). */
  dev?: string;
}

/** What add() and delete() take: `{ prefix: '2001:db8::/32', label: 100, dev: 'mv1' }` (delete() takes a listed AddrLabel too). */
export interface AddrLabelSpec {
  /** An IPv6 prefix; a bare address is a /128. */
  prefix: string;
  /** 0 to 4294967294 (the kernel keeps 4294967295 for "none"); the kernel wants it for a delete too. */
  label: number;
  /** Only for addresses on this link. */
  dev?: LinkRef;
}

const SPEC_KEYS = optionKeys<AddrLabelSpec>()('prefix', 'label', 'dev');
const DELETE_KEYS = optionKeys<AddrLabelSpec | AddrLabel>()('prefix', 'label', 'dev', 'index');
const FILTER_KEYS = optionKeys<Pick<ListNaming, 'names'>>()('names');

/** The public form of a decoded label. */
function toAddrLabel(m: AddrLabelMessage, names?: Map<number, string>): AddrLabel {
  const out: AddrLabel = { prefix: `${m.attrs.address ?? '::'}/${m.prefixlen}`, label: m.attrs.label ?? IPV6_ADDR_LABEL_DEFAULT };
  if (m.index !== 0) out.index = m.index;
  const dev = m.index === 0 ? undefined : names?.get(m.index);
  if (dev !== undefined) out.dev = dev;
  return out;
}

/** The message `ip addrlabel add|del` sends for a spec, its link already an index. */
function labelMessage(s: { prefix: unknown; label: unknown }, index: number, subject: string): AddrLabelMessage {
  if (typeof s.prefix !== 'string') throw invalid(subject, `prefix is an IPv6 prefix such as "2001:db8::/32", not ${asText(s.prefix)}`);
  const p = parsePrefix(s.prefix, subject);
  if (p.family !== AF_INET6) throw invalid(subject, 'address labels are for IPv6 prefixes');
  if (!Number.isInteger(s.label) || (s.label as number) < 0 || (s.label as number) >= IPV6_ADDR_LABEL_DEFAULT) {
    throw invalid(subject, `label must be an integer from 0 to 4294967294, not ${asText(s.label)}`);
  }
  return { family: AF_INET6, prefixlen: p.prefixlen, flags: 0, index, seq: 0, attrs: { label: s.label as number, address: p.address } };
}

export class AddrLabelApi {
  constructor(private readonly rt: Session) {}

  /** The table, as `ip -j addrlabel list` (the kernel's defaults too: `::1/128` label 0, `::/0` label 1...). */
  async list(filter: Pick<ListNaming, 'names'> = {}): Promise<AddrLabel[]> {
    checkObject('address label filter', filter, FILTER_KEYS);
    const names = await listNames(this.rt, filter, 'address label filter');
    const request: Request = {
      type: RTM_GETADDRLABEL, name: 'RTM_GETADDRLABEL',
      body: (w) => addrlabelCodec.header.encode(w, { family: AF_INET6, prefixlen: 0, flags: 0, index: 0, seq: 0 }),
    };
    return this.rt.client.dump(request, (m) => toAddrLabel(addrlabelCodec.decode(m.payload), names)).catch(naming('address labels'));
  }

  /** Adds a label (one for the same prefix and link: ExistsError); resolves with it as the kernel keeps it (the prefix masked). */
  async add(spec: AddrLabelSpec): Promise<AddrLabel> {
    const m = await this.change(RTM_NEWADDRLABEL, NLM_F_CREATE | NLM_F_EXCL, spec, SPEC_KEYS);
    // The kernel neither echoes a label nor tells of one: it is as asked, the prefix masked to its length.
    const names = typeof spec.dev === 'string' ? new Map([[m.index, spec.dev]]) : undefined;
    return toAddrLabel({ ...m, attrs: { ...m.attrs, address: networkOf({ bits: 128, address: m.attrs.address!, prefixlen: m.prefixlen }) } }, names);
  }

  /** Deletes the label of a prefix and link (a listed AddrLabel as it is); none: NotFoundError. */
  async delete(spec: AddrLabelSpec | AddrLabel): Promise<void> {
    await this.change(RTM_DELADDRLABEL, 0, spec, DELETE_KEYS);
  }

  private async change(type: number, flags: number, spec: AddrLabelSpec | AddrLabel, keys: ReadonlySet<string>): Promise<AddrLabelMessage> {
    checkObject('address label', spec, keys);
    const subject = `address label ${asText(spec.prefix)}`;
    const dev = 'index' in spec ? spec.index : spec.dev;
    const index = dev === undefined ? 0 : await this.rt.linkIndex(dev).catch(naming(`${subject}: dev ${asText(dev)}`));
    const m = labelMessage(spec, index, subject);
    const name = type === RTM_NEWADDRLABEL ? 'RTM_NEWADDRLABEL' : 'RTM_DELADDRLABEL';
    await this.rt.client.request({ type, flags, name, body: (w) => addrlabelCodec.encode(w, m) }).catch(naming(subject));
    return m;
  }
}
