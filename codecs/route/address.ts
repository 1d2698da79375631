// RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR: struct ifaddrmsg, then IFA_* attributes (<linux/if_addr.h>).
import { getAt } from '../netlink/attrs.js';
import { ip, string, u32, u8 } from '../netlink/codecs.js';
import { familyCodec, type FamilyMessage, type Struct } from '../netlink/family.js';
import { field } from '../netlink/schema.js';
import { u32Struct } from './common.js';

export const IFA_UNSPEC = 0;
export const IFA_ADDRESS = 1;
export const IFA_LOCAL = 2;
export const IFA_LABEL = 3;
export const IFA_BROADCAST = 4;
export const IFA_ANYCAST = 5;
export const IFA_CACHEINFO = 6;
export const IFA_MULTICAST = 7;
export const IFA_FLAGS = 8;
export const IFA_RT_PRIORITY = 9;
export const IFA_TARGET_NETNSID = 10;
export const IFA_PROTO = 11;

export const IFA_F_SECONDARY = 0x01;
export const IFA_F_TEMPORARY = IFA_F_SECONDARY;
export const IFA_F_NODAD = 0x02;
export const IFA_F_OPTIMISTIC = 0x04;
export const IFA_F_DADFAILED = 0x08;
export const IFA_F_HOMEADDRESS = 0x10;
export const IFA_F_DEPRECATED = 0x20;
export const IFA_F_TENTATIVE = 0x40;
export const IFA_F_PERMANENT = 0x80;
export const IFA_F_MANAGETEMPADDR = 0x100;
export const IFA_F_NOPREFIXROUTE = 0x200;
export const IFA_F_MCAUTOJOIN = 0x400;
export const IFA_F_STABLE_PRIVACY = 0x800;

/** Address flag names as iproute2 spells them (IFA_F_SECONDARY is "temporary" on IPv6). */
export const ADDRESS_FLAGS = {
  secondary: IFA_F_SECONDARY, nodad: IFA_F_NODAD, optimistic: IFA_F_OPTIMISTIC, dadfailed: IFA_F_DADFAILED,
  home: IFA_F_HOMEADDRESS, deprecated: IFA_F_DEPRECATED, tentative: IFA_F_TENTATIVE, permanent: IFA_F_PERMANENT,
  mngtmpaddr: IFA_F_MANAGETEMPADDR, noprefixroute: IFA_F_NOPREFIXROUTE, autojoin: IFA_F_MCAUTOJOIN,
  'stable-privacy': IFA_F_STABLE_PRIVACY,
} as const;
export type AddressFlag = keyof typeof ADDRESS_FLAGS;

/** ifa_cacheinfo lifetimes are seconds, with this value meaning forever. */
export const INFINITY_LIFE_TIME = 0xffffffff;

/** struct ifaddrmsg: 8 bytes. */
export interface IfAddrMsg {
  family: number;
  prefixlen: number;
  /** The low 8 flag bits; IFA_FLAGS, when present, carries all 32. */
  flags: number;
  scope: number;
  index: number;
}

export const ifaddrmsg: Struct<IfAddrMsg> = {
  size: 8,
  decode(b) {
    return { family: b[0], prefixlen: b[1], flags: b[2], scope: b[3], index: getAt.u32(b, 4, 8) };
  },
  encode(w, m) {
    w.u8(m.family).u8(m.prefixlen).u8(m.flags).u8(m.scope).u32(m.index);
  },
};

export const addressTable = {
  address: field(IFA_ADDRESS, ip),
  local: field(IFA_LOCAL, ip),
  label: field(IFA_LABEL, string),
  broadcast: field(IFA_BROADCAST, ip),
  anycast: field(IFA_ANYCAST, ip),
  cacheinfo: field(IFA_CACHEINFO, u32Struct('ifa_cacheinfo', ['preferred', 'valid', 'cstamp', 'tstamp'] as const)),
  multicast: field(IFA_MULTICAST, ip),
  flags: field(IFA_FLAGS, u32),
  rtPriority: field(IFA_RT_PRIORITY, u32),
  targetNsid: field(IFA_TARGET_NETNSID, u32),
  proto: field(IFA_PROTO, u8),
};

export const addressCodec = familyCodec('ifaddrmsg', ifaddrmsg, addressTable);
export type AddressMessage = FamilyMessage<IfAddrMsg, typeof addressTable>;

/** Every flag bit: IFA_FLAGS when the kernel sent it (it has them all), else the 8 in the header. */
export function addressFlagBits(m: AddressMessage): number {
  return m.attrs.flags ?? m.flags;
}

