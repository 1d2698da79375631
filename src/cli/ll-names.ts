// iproute2's built-in names of link types and link-layer protocols (lib/ll_types.c, lib/ll_proto.c),
// numbers in brackets where it has none, and always under -N.
import { formatIp, parseLladdr } from '../../codecs/netlink/addresses.js';
import { VLAN_PROTOCOLS } from '../../codecs/route/link-kinds/vlan.js';
import { cNumber } from './args.js';

/** ll_type_n2a()'s table: ARPHRD_* by value (<linux/if_arp.h>). */
const LINK_TYPES: Readonly<Record<number, string>> = {
  0: 'netrom', 1: 'ether', 2: 'eether', 3: 'ax25', 4: 'pronet', 5: 'chaos', 6: 'ieee802', 7: 'arcnet', 8: 'atalk', 15: 'dlci',
  19: 'atm', 23: 'metricom', 24: 'ieee1394', 32: 'infiniband', 0x100: 'slip', 0x101: 'cslip', 0x102: 'slip6', 0x103: 'cslip6',
  0x104: 'rsrvd', 0x108: 'adapt', 0x10e: 'rose', 0x10f: 'x25', 0x110: 'hwx25', 0x118: 'can', 0x200: 'ppp', 0x201: 'hdlc',
  0x204: 'lapb', 0x205: 'ddcmp', 0x206: 'rawhdlc', 0x300: 'ipip', 0x301: 'tunnel6', 0x302: 'frad', 0x303: 'skip',
  0x304: 'loopback', 0x305: 'ltalk', 0x306: 'fddi', 0x307: 'bif', 0x308: 'sit', 0x309: 'ip/ddp', 0x30a: 'gre', 0x30b: 'pimreg',
  0x30c: 'hippi', 0x30d: 'ash', 0x30e: 'econet', 0x30f: 'irda', 0x310: 'fcpp', 0x311: 'fcal', 0x312: 'fcpl', 0x313: 'fcfb0',
  0x320: 'tr', 0x321: 'ieee802.11', 0x322: 'ieee802.11/prism', 0x323: 'ieee802.11/radiotap', 0x324: 'ieee802.15.4',
  0x325: 'ieee802.15.4/monitor', 0x334: 'phonet', 0x335: 'phonet_pipe', 0x336: 'caif', 0x337: 'gre6', 0x338: 'netlink',
  0x339: '6lowpan', 0xfffe: 'none', 0xffff: 'void',
};

/** ll_proto_n2a()'s table: ETH_P_* by value (<linux/if_ether.h>), the first name of each. */
const LL_PROTOS: Readonly<Record<number, string>> = {
  0x60: 'loop', 0x200: 'pup', 0x201: 'pupat', 0x800: 'ip', 0x805: 'x25', 0x806: 'arp', 0x8ff: 'bpq', 0xa00: 'ieeepup',
  0xa01: 'ieeepupat', 0x6000: 'dec', 0x6001: 'dna_dl', 0x6002: 'dna_rc', 0x6003: 'dna_rt', 0x6004: 'lat', 0x6005: 'diag',
  0x6006: 'cust', 0x6007: 'sca', 0x8035: 'rarp', 0x809b: 'atalk', 0x80f3: 'aarp', 0x8137: 'ipx', 0x86dd: 'ipv6',
  0x8863: 'ppp_disc', 0x8864: 'ppp_ses', 0x884c: 'atmmpoa', 0x8884: 'atmfate', 1: '802_3', 2: 'ax25', 3: 'all', 4: '802_2',
  5: 'snap', 6: 'ddcmp', 7: 'wan_ppp', 8: 'ppp_mp', 9: 'localtalk', 12: 'can', 16: 'ppptalk', 17: 'tr_802_2', 21: 'mobitex',
  22: 'control', 23: 'irda', 24: 'econet', 0x88ca: 'tipc', 0x8892: 'profinet', 0x88a2: 'aoe', 0x88a4: 'ethercat',
  0x8100: '802.1Q', 0x88a8: '802.1ad', 0x8847: 'mpls_uc', 0x8848: 'mpls_mc', 0x6558: 'teb', 0x88cc: 'LLDP',
};

const named = (table: Readonly<Record<number, string>>, v: number, numeric: boolean): string => (numeric ? undefined : table[v]) ?? `[${v}]`;

/** ll_type_n2a(): a link's type (ifi_type). */
export const llTypeName = (type: number, numeric: boolean): string => named(LINK_TYPES, type, numeric);

/** ll_proto_n2a(): a protocol the codecs give as a name (802.1Q, 802.1ad) or a number. */
export const llProtoName = (proto: keyof typeof VLAN_PROTOCOLS | number, numeric: boolean): string =>
  named(LL_PROTOS, typeof proto === 'number' ? proto : VLAN_PROTOCOLS[proto], numeric);

/** ARPHRD_TUNNEL, ARPHRD_SIT, ARPHRD_IPGRE: a 4-byte address is the tunnel's IPv4 end. */
const IPV4_TUNNELS = new Set([0x300, 0x308, 0x30a]);
/** ARPHRD_TUNNEL6, ARPHRD_IP6GRE: a 16-byte address is the tunnel's IPv6 end. */
const IPV6_TUNNELS = new Set([0x301, 0x337]);

/** ll_addr_n2a(): a link-layer address (as the codecs give it, `aa:bb:...`), or a tunnel's end as an IP address. */
export function llAddrText(address: string, type: number): string {
  const ipLength = IPV4_TUNNELS.has(type) ? 4 : IPV6_TUNNELS.has(type) ? 16 : 0;
  if (ipLength === 0) return address;
  const bytes = parseLladdr(address);
  return bytes.length === ipLength ? formatIp(bytes) : address;
}

/** The codecs' name of a VLAN protocol's number (802.1Q, 802.1ad); undefined for another protocol. */
export const vlanProtocolName = (proto: number): keyof typeof VLAN_PROTOCOLS | undefined =>
  (Object.keys(VLAN_PROTOCOLS) as Array<keyof typeof VLAN_PROTOCOLS>).find((k) => VLAN_PROTOCOLS[k] === proto);

/** ll_proto_a2n(): a protocol's name in any case, or its number (get_be16: 0 to 65535); undefined for neither. */
export function llProtoNumber(word: string): number | undefined {
  const lower = word.toLowerCase();
  const byName = Object.entries(LL_PROTOS).find(([, name]) => name.toLowerCase() === lower);
  if (byName) return Number(byName[0]);
  const n = cNumber(word);
  return Number.isInteger(n) && n <= 0xffff ? n : undefined;
}
