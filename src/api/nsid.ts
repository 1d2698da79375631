// Namespace ids (`ip netns set`, `ip netns list-id`): how the socket's namespace numbers its
// peers. Links report their peer's namespace by such an id (IFLA_LINK_NETNSID), and
// requests can reach into a peer through one (IFLA_TARGET_NETNSID).
import { constants } from 'node:os';
import { AF_UNSPEC, RTM_GETNSID, RTM_NEWNSID } from '../../codecs/route/constants.js';
import { NETNSA_NSID_NOT_ASSIGNED, nsidMessage, type NsidMessage } from '../../codecs/route/nsid.js';
import type { NlMessage } from '../../codecs/netlink/message.js';
import { NetlinkError, ProtocolError, checkObject, decoding, invalid, optionKeys } from '../errors.js';
import { NetNS } from '../netns/netns.js';
import { describeNetns, openNetns, withNetnsFd, type NetnsRef } from '../netns/resolve.js';
import { sys } from '../socket/libc.js';
import type { Session } from './session.js';

/** One line of `ip netns list-id`. */
export interface NsidEntry {
  nsid: number;
  /** With `targetNsid`: the same namespace's id as seen from the socket's own namespace, when it has one. */
  currentNsid?: number;
  /** Its name under /run/netns, when it has one. */
  name?: string;
}

/** How a request names the peer: an fd we hold open while it is in flight, or a process. */
type Peer = { fd: number } | { pid: number };

const LIST_KEYS = optionKeys<{ targetNsid?: number }>()('targetNsid');

export class NsidApi {
  constructor(protected readonly rt: Session) {}

  /**
   * `ip netns set NAME NSID`: numbers a namespace. Without `nsid` the kernel picks the
   * lowest free one. Resolves with the id it now has. ExistsError when it already has one.
   */
  async set(ref: NetnsRef, nsid?: number): Promise<number> {
    if (nsid !== undefined && (!Number.isInteger(nsid) || nsid < 0 || nsid > 0x7fffffff)) {
      throw invalid(describeNetns(ref), `an nsid is an integer from 0 to 2147483647, not ${nsid}`);
    }
    return this.withPeer(ref, async (peer) => {
      await this.send(RTM_NEWNSID, { ...peer, nsid: nsid ?? NETNSA_NSID_NOT_ASSIGNED }, ref);
      const id = nsidOf((await this.send(RTM_GETNSID, peer, ref))[0]);
      if (id === undefined) throw invalid(describeNetns(ref), 'the kernel assigned no nsid');
      return id;
    });
  }

  /** The id the socket's namespace gives `ref`, or undefined when it has none. */
  async get(ref: NetnsRef): Promise<number | undefined> {
    return this.withPeer(ref, async (peer) => nsidOf((await this.send(RTM_GETNSID, peer, ref))[0]));
  }

  /**
   * `ip netns list-id [target-nsid N]`: every id the socket's namespace (or, with
   * `targetNsid`, the namespace it numbers so) has given, with the name when one has one.
   */
  async list(opts: { targetNsid?: number } = {}): Promise<NsidEntry[]> {
    checkObject('nsid options', opts, LIST_KEYS);
    const { targetNsid } = opts;
    if (targetNsid !== undefined && (!Number.isInteger(targetNsid) || targetNsid < 0)) {
      throw invalid('nsid list', `targetNsid is a non-negative integer, not ${targetNsid}`);
    }
    const replies = await this.rt.client.dump({
      type: RTM_GETNSID,
      name: 'RTM_GETNSID',
      body: (w) => nsidMessage.encode(w, { family: AF_UNSPEC, attrs: targetNsid === undefined ? {} : { targetNsid } }),
    });
    const names = await this.names();
    return replies.map((m) => {
      const { nsid, currentNsid: current } = decode(m).attrs;
      if (nsid === undefined) throw new ProtocolError({ errno: constants.errno.EPROTO, text: 'RTM_NEWNSID without NETNSA_NSID' });
      // A peer with no id here (the socket's own namespace among them) has no current id, and no name we can tell.
      const currentNsid = current === NETNSA_NSID_NOT_ASSIGNED ? undefined : current;
      const name = targetNsid !== undefined && currentNsid === undefined ? undefined : names.get(currentNsid ?? nsid);
      return { nsid, ...(currentNsid === undefined ? {} : { currentNsid }), ...(name === undefined ? {} : { name }) };
    });
  }

  /** The name under /run/netns of the namespace the socket's one numbers `nsid` (IFLA_LINK_NETNSID). */
  async nameOf(nsid: number): Promise<string | undefined> {
    return (await this.names()).get(nsid);
  }

  /** nsid -> name, for every named namespace that has an id here (as `ip netns list` finds them). */
  private async names(): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (const name of await NetNS.list()) {
      let fd: number;
      try {
        fd = openNetns(name);
      } catch {
        continue; // a leftover file, or deleted meanwhile: it has no id to match
      }
      try {
        const id = nsidOf((await this.send(RTM_GETNSID, { fd }, name))[0]);
        if (id !== undefined && !out.has(id)) out.set(id, name);
      } finally {
        sys.close(fd);
      }
    }
    return out;
  }

  /** Opens `ref` (unless it is an fd or a pid) for as long as `fn`'s requests are in flight. */
  private async withPeer<T>(ref: NetnsRef, fn: (peer: Peer) => Promise<T>): Promise<T> {
    if (typeof ref === 'object' && ref !== null) {
      if (!Number.isInteger(ref.pid) || ref.pid <= 0) throw invalid(describeNetns(ref), 'a process id is a positive integer');
      return fn({ pid: ref.pid });
    }
    if (typeof ref === 'number') return withNetnsFd(ref, (fd) => fn({ fd }));
    const fd = openNetns(ref);
    try {
      return await fn({ fd });
    } finally {
      sys.close(fd);
    }
  }

  private async send(type: number, attrs: NsidMessage['attrs'], ref: NetnsRef): Promise<NlMessage[]> {
    const name = type === RTM_NEWNSID ? 'RTM_NEWNSID' : 'RTM_GETNSID';
    try {
      return await this.rt.client.request({ type, name, idempotent: type === RTM_GETNSID, body: (w) => nsidMessage.encode(w, { family: AF_UNSPEC, attrs }) });
    } catch (e) {
      throw e instanceof NetlinkError ? e.about(describeNetns(ref)) : e;
    }
  }
}

function decode(m: NlMessage): NsidMessage {
  return decoding(() => nsidMessage.decode(m.payload), 'RTM_NEWNSID');
}

/** NETNSA_NSID of a reply, with "not assigned" as undefined. */
export function nsidOf(m: NlMessage | undefined): number | undefined {
  const nsid = m && decode(m).attrs.nsid;
  return nsid === undefined || nsid === NETNSA_NSID_NOT_ASSIGNED ? undefined : nsid;
}
