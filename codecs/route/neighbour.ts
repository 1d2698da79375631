// RTM_NEWNEIGH / RTM_DELNEIGH / RTM_GETNEIGH: struct ndmsg, then NDA_* attributes (<linux/neighbour.h>).
import { getAt } from '../netlink/attrs.js';
import { bytes, ip, lladdr, s32, u16, u16be, u32, u8 } from '../netlink/codecs.js';
import { familyCodec, type FamilyMessage, type Struct } from '../netlink/family.js';
import { field } from '../netlink/schema.js';
import { u32Struct } from './common.js';

export const NDA_DST = 1;
export const NDA_LLADDR = 2;
export const NDA_CACHEINFO = 3;
export const NDA_PROBES = 4;
export const NDA_VLAN = 5;
export const NDA_PORT = 6;
export const NDA_VNI = 7;
export const NDA_IFINDEX = 8;
export const NDA_MASTER = 9;
export const NDA_LINK_NETNSID = 10;
export const NDA_SRC_VNI = 11;
export const NDA_PROTOCOL = 12;
export const NDA_NH_ID = 13;
export const NDA_FDB_EXT_ATTRS = 14;
export const NDA_FLAGS_EXT = 15;
export const NDA_NDM_STATE_MASK = 16;
export const NDA_NDM_FLAGS_MASK = 17;

export const NUD_NONE = 0x00;
export const NUD_INCOMPLETE = 0x01;
export const NUD_REACHABLE = 0x02;
export const NUD_STALE = 0x04;
export const NUD_DELAY = 0x08;
export const NUD_PROBE = 0x10;
export const NUD_FAILED = 0x20;
export const NUD_NOARP = 0x40;
export const NUD_PERMANENT = 0x80;
export const NEIGHBOUR_STATES = {
  none: NUD_NONE, incomplete: NUD_INCOMPLETE, reachable: NUD_REACHABLE, stale: NUD_STALE, delay: NUD_DELAY,
  probe: NUD_PROBE, failed: NUD_FAILED, noarp: NUD_NOARP, permanent: NUD_PERMANENT,
} as const;
export type NeighbourState = keyof typeof NEIGHBOUR_STATES;
/**
 * The forwarding database's names for ndm_state (bridge/fdb.c), each as `bridge fdb add` sends
 * it; the kernel reports a bridge's with the one bit (NUD_PERMANENT for `permanent`...).
 */
export const FDB_STATES = {
  permanent: NUD_NOARP | NUD_PERMANENT, static: NUD_NOARP | NUD_REACHABLE, dynamic: NUD_REACHABLE, stale: NUD_STALE,
} as const;
export type FdbState = keyof typeof FDB_STATES;

export const NTF_USE = 0x01;
export const NTF_SELF = 0x02;
export const NTF_MASTER = 0x04;
export const NTF_PROXY = 0x08;
export const NTF_EXT_LEARNED = 0x10;
export const NTF_OFFLOADED = 0x20;
export const NTF_STICKY = 0x40;
export const NTF_ROUTER = 0x80;
/** NDA_FLAGS_EXT bit: the kernel keeps the entry resolved (`ip neigh add ... managed`). */
export const NTF_EXT_MANAGED = 0x01;
export const NEIGHBOUR_FLAGS = {
  use: NTF_USE, self: NTF_SELF, master: NTF_MASTER, proxy: NTF_PROXY, extern_learn: NTF_EXT_LEARNED,
  offload: NTF_OFFLOADED, sticky: NTF_STICKY, router: NTF_ROUTER,
} as const;
export type NeighbourFlag = keyof typeof NEIGHBOUR_FLAGS;

/** struct ndmsg: 12 bytes (two pad fields kept so that odd senders round-trip). */
export interface NdMsg {
  family: number;
  pad1: number;
  pad2: number;
  ifindex: number;
  state: number;
  flags: number;
  type: number;
}

export const ndmsg: Struct<NdMsg> = {
  size: 12,
  decode(b) {
    return {
      family: b[0], pad1: b[1], pad2: getAt.u16(b, 2, 4), ifindex: getAt.s32(b, 4, 8),
      state: getAt.u16(b, 8, 10), flags: b[10], type: b[11],
    };
  },
  encode(w, m) {
    w.u8(m.family).u8(m.pad1).u16(m.pad2).s32(m.ifindex).u16(m.state).u8(m.flags).u8(m.type);
  },
};

export const neighbourTable = {
  dst: field(NDA_DST, ip),
  lladdr: field(NDA_LLADDR, lladdr),
  /** confirmed, used, updated: clock ticks (USER_HZ, 1/100 s) ago. */
  cacheinfo: field(NDA_CACHEINFO, u32Struct('nda_cacheinfo', ['confirmed', 'used', 'updated', 'refcnt'] as const)),
  probes: field(NDA_PROBES, u32),
  vlan: field(NDA_VLAN, u16),
  port: field(NDA_PORT, u16be),
  vni: field(NDA_VNI, u32),
  ifindex: field(NDA_IFINDEX, u32),
  master: field(NDA_MASTER, u32),
  linkNsid: field(NDA_LINK_NETNSID, s32),
  srcVni: field(NDA_SRC_VNI, u32),
  protocol: field(NDA_PROTOCOL, u8),
  nhId: field(NDA_NH_ID, u32),
  fdbExtAttrs: field(NDA_FDB_EXT_ATTRS, bytes),
  flagsExt: field(NDA_FLAGS_EXT, u32),
  stateMask: field(NDA_NDM_STATE_MASK, u16),
  flagsMask: field(NDA_NDM_FLAGS_MASK, u32),
};

export const neighbourCodec = familyCodec('ndmsg', ndmsg, neighbourTable);
export type NeighbourMessage = FamilyMessage<NdMsg, typeof neighbourTable>;
