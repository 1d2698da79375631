// A route's lightweight tunnel encapsulation: RTA_ENCAP_TYPE says how to read the nest in
// RTA_ENCAP (<linux/lwtunnel.h>). The route codec keeps RTA_ENCAP as bytes, so a message
// round-trips exactly whatever its type; this file gives the typed form of the kinds modelled.
import { DecodeError, EncodeError, asText } from '../netlink/errors.js';
import { LE, view } from '../netlink/endian.js';
import { bytes, flagsOf, ip, u16be, u8 } from '../netlink/codecs.js';
import { formatIp, parseIp } from '../netlink/addresses.js';
import { jsonable } from '../netlink/json.js';
import { namer, valueOf } from '../netlink/names.js';
import { decodeAttrs, encodeAttrs, field, type Attrs, type Codec, type Table } from '../netlink/schema.js';
import { Writer } from '../netlink/writer.js';

export const LWTUNNEL_ENCAP_MPLS = 1;
export const LWTUNNEL_ENCAP_IP = 2;
export const LWTUNNEL_ENCAP_ILA = 3;
export const LWTUNNEL_ENCAP_IP6 = 4;
export const LWTUNNEL_ENCAP_SEG6 = 5;
export const LWTUNNEL_ENCAP_BPF = 6;
export const LWTUNNEL_ENCAP_SEG6_LOCAL = 7;
export const LWTUNNEL_ENCAP_RPL = 8;
export const LWTUNNEL_ENCAP_IOAM6 = 9;
export const LWTUNNEL_ENCAP_XFRM = 10;

/** The names iproute2 gives the types (format_encap_type()). */
export const ENCAP_TYPES = {
  mpls: LWTUNNEL_ENCAP_MPLS, ip: LWTUNNEL_ENCAP_IP, ila: LWTUNNEL_ENCAP_ILA, ip6: LWTUNNEL_ENCAP_IP6,
  seg6: LWTUNNEL_ENCAP_SEG6, bpf: LWTUNNEL_ENCAP_BPF, seg6local: LWTUNNEL_ENCAP_SEG6_LOCAL, rpl: LWTUNNEL_ENCAP_RPL,
  ioam6: LWTUNNEL_ENCAP_IOAM6, xfrm: LWTUNNEL_ENCAP_XFRM,
} as const;
export type EncapTypeName = keyof typeof ENCAP_TYPES;

export const LWTUNNEL_IP_ID = 1;
export const LWTUNNEL_IP_DST = 2;
export const LWTUNNEL_IP_SRC = 3;
export const LWTUNNEL_IP_TTL = 4;
export const LWTUNNEL_IP_TOS = 5;
export const LWTUNNEL_IP_FLAGS = 6;
export const LWTUNNEL_IP_OPTS = 8;

export const LWTUNNEL_IP6_ID = 1;
export const LWTUNNEL_IP6_DST = 2;
export const LWTUNNEL_IP6_SRC = 3;
export const LWTUNNEL_IP6_HOPLIMIT = 4;
export const LWTUNNEL_IP6_TC = 5;
export const LWTUNNEL_IP6_FLAGS = 6;
export const LWTUNNEL_IP6_OPTS = 8;

/** TUNNEL_* of <linux/if_tunnel.h>: the GRE header's bits, big-endian on the wire. */
export const TUNNEL_FLAGS = {
  csum: 0x01, routing: 0x02, key: 0x04, seq: 0x08, strict: 0x10, rec: 0x20, version: 0x40, noKey: 0x80,
  dontFragment: 0x100, oam: 0x200, critOpt: 0x400, geneveOpt: 0x800, vxlanOpt: 0x1000, nocache: 0x2000,
  erspanOpt: 0x4000, gtpOpt: 0x8000,
} as const;
export type TunnelFlag = keyof typeof TUNNEL_FLAGS;

const MAX_U64 = (1n << 64n) - 1n;

/**
 * The tunnel id, a be64: a number while it is exact as one (every VXLAN, Geneve and GRE key
 * is), a bigint beyond 2^53.
 */
export const tunnelId: Codec<number | bigint> = {
  decode: (v) => {
    if (v.length !== 8) throw new DecodeError(`tunnel id is ${v.length} bytes, expected 8`);
    const n = view(v).getBigUint64(0, false);
    return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  },
  encode: (w, v) => {
    const exact = typeof v === 'bigint' || (typeof v === 'number' && Number.isSafeInteger(v));
    if (!exact || v < 0 || BigInt(v) > MAX_U64) throw new EncodeError(`${asText(v)} is not an integer from 0 to 2^64-1`);
    w.u64be(BigInt(v));
  },
};

const tunnelFlags = flagsOf(u16be, TUNNEL_FLAGS);

/** An address of one family only: the kernel reads LWTUNNEL_IP_DST as its first 4 bytes, whatever its length. */
function addressOf(length: 4 | 16, family: string): Codec<string> {
  return {
    decode: ip.decode,
    decodeAt: ip.decodeAt,
    encode: (w, v) => {
      const b = parseIp(v);
      if (b.length !== length) throw new EncodeError(`${v} is not an ${family} address`);
      w.bytes(b);
    },
  };
}
const ipv4 = addressOf(4, 'IPv4');
const ipv6 = addressOf(16, 'IPv6');

export const ipEncapTable = {
  id: field(LWTUNNEL_IP_ID, tunnelId),
  dst: field(LWTUNNEL_IP_DST, ipv4),
  src: field(LWTUNNEL_IP_SRC, ipv4),
  ttl: field(LWTUNNEL_IP_TTL, u8),
  tos: field(LWTUNNEL_IP_TOS, u8),
  flags: field(LWTUNNEL_IP_FLAGS, tunnelFlags),
  /** LWTUNNEL_IP_OPTS: Geneve, VXLAN or ERSPAN options, kept as bytes. */
  opts: field(LWTUNNEL_IP_OPTS, bytes),
};

export const ip6EncapTable = {
  id: field(LWTUNNEL_IP6_ID, tunnelId),
  dst: field(LWTUNNEL_IP6_DST, ipv6),
  src: field(LWTUNNEL_IP6_SRC, ipv6),
  hoplimit: field(LWTUNNEL_IP6_HOPLIMIT, u8),
  /** Traffic class. */
  tc: field(LWTUNNEL_IP6_TC, u8),
  flags: field(LWTUNNEL_IP6_FLAGS, tunnelFlags),
  opts: field(LWTUNNEL_IP6_OPTS, bytes),
};

export const SEG6_IPTUNNEL_SRH = 1;
/** SEG6_IPTUN_MODE_*, named as iproute2 names them. */
export const SEG6_MODES = { inline: 0, encap: 1, l2encap: 2, 'encap.red': 3, 'l2encap.red': 4 } as const;
export type Seg6Mode = keyof typeof SEG6_MODES;
const SEG6_IPTUN_MODE_INLINE = 0;
const SR6_FLAG1_HMAC = 1 << 3;
const SR6_TLV_HMAC = 5;
/** struct sr6_tlv_hmac: type, len, reserved u16, key id be32, 32 bytes of HMAC. */
const HMAC_TLV_LEN = 40;
/** IPV6_SRCRT_TYPE_4: the segment routing header. */
const SRH_TYPE = 4;
const SRH_HDRLEN = 8;
const MODE_LEN = 4;

/** Segment routing over IPv6: the routing header pushed (inline) or put on an outer header (encap...). */
export interface Seg6Route {
  mode: Seg6Mode | number;
  /** The segments in the order packets visit them. In inline mode the kernel adds the slot for the destination. */
  segments: string[];
  /** The HMAC key id, when the header carries an HMAC TLV. */
  hmac?: number;
}
const seg6ModeName = namer(SEG6_MODES);

/**
 * SEG6_IPTUNNEL_SRH: struct seg6_iptunnel_encap, an int mode then struct ipv6_sr_hdr whose
 * segments are stored last first. Made as iproute2's parse_srh() makes it; the header's tag and
 * TLVs other than the HMAC are not modelled.
 */
export const seg6Srh: Codec<Seg6Route> = {
  decode(v) {
    const srhLen = v.length >= MODE_LEN + SRH_HDRLEN ? (v[MODE_LEN + 1] + 1) * 8 : 0;
    if (srhLen === 0 || MODE_LEN + srhLen > v.length) throw new DecodeError(`segment routing header of ${v.length} bytes is cut short`);
    const dv = view(v);
    const mode = dv.getInt32(0, LE);
    const first = v[MODE_LEN + 4];
    const at = (i: number): number => MODE_LEN + SRH_HDRLEN + 16 * i;
    if (at(first + 1) > MODE_LEN + srhLen) throw new DecodeError(`segment routing header claims ${first + 1} segments in ${srhLen} bytes`);
    const segments: string[] = [];
    for (let i = first; i >= (mode === SEG6_IPTUN_MODE_INLINE ? 1 : 0); i--) segments.push(formatIp(v.subarray(at(i), at(i) + 16)));
    const out: Seg6Route = { mode: seg6ModeName(mode), segments };
    if (v[MODE_LEN + 5] & SR6_FLAG1_HMAC) {
      if (srhLen < SRH_HDRLEN + HMAC_TLV_LEN) throw new DecodeError('segment routing header has no room for its HMAC');
      out.hmac = dv.getUint32(MODE_LEN + srhLen - HMAC_TLV_LEN + 4, false);
    }
    return out;
  },
  encode(w, s) {
    const mode = valueOf(SEG6_MODES, s.mode, 'seg6 mode', 0x7fffffff);
    if (!Array.isArray(s.segments) || s.segments.length === 0) throw new EncodeError('segments must be a list of IPv6 addresses, at least one');
    const segs = s.segments.map((a) => {
      const b = parseIp(a);
      if (b.length !== 16) throw new EncodeError(`segment ${a} is not an IPv6 address`);
      return b;
    });
    if (mode === SEG6_IPTUN_MODE_INLINE) segs.push(new Uint8Array(16));
    const hmac = s.hmac === undefined || s.hmac === 0 ? undefined : s.hmac;
    if (hmac !== undefined && (!Number.isInteger(hmac) || hmac < 0 || hmac > 0xffffffff)) throw new EncodeError(`hmac ${asText(hmac)} is not an integer from 0 to 4294967295`);
    const srhLen = SRH_HDRLEN + 16 * segs.length + (hmac === undefined ? 0 : HMAC_TLV_LEN);
    if (srhLen / 8 - 1 > 0xff) throw new EncodeError(`${segs.length} segments do not fit a segment routing header`);
    w.s32(mode).u8(0).u8(srhLen / 8 - 1).u8(SRH_TYPE).u8(segs.length - 1).u8(segs.length - 1)
      .u8(hmac === undefined ? 0 : SR6_FLAG1_HMAC).u16(0);
    for (let i = segs.length - 1; i >= 0; i--) w.bytes(segs[i]);
    if (hmac !== undefined) w.u8(SR6_TLV_HMAC).u8(HMAC_TLV_LEN - 2).u16(0).u32be(hmac).zeros(32);
  },
};
const seg6Table = { srh: field(SEG6_IPTUNNEL_SRH, seg6Srh) };

/** Metadata for a collect_md tunnel device (ip, gre, vxlan, geneve... in external mode) over IPv4. */
export type IpEncap = { type: 'ip' } & Attrs<typeof ipEncapTable>;
/** The same over IPv6. */
export type Ip6Encap = { type: 'ip6' } & Attrs<typeof ip6EncapTable>;
/** SRv6: `ip route ... encap seg6 mode encap segs 2001:db8::1,2001:db8::2`. */
export type Seg6Encap = { type: 'seg6' } & Seg6Route;
/** A type not modelled here (or not known at all, as a number): its nest as bytes. */
export interface OtherEncap {
  type: Exclude<EncapTypeName, 'ip' | 'ip6' | 'seg6'> | number;
  data: Uint8Array;
}
/** Narrows by `type`. JSON gives a bigint id as a decimal string and bytes as hex. */
export type Encap = IpEncap | Ip6Encap | Seg6Encap | OtherEncap;

/** How the modelled types read and write their nest: by a table, seg6's flattened from its one attribute. */
interface Model { decode(v: Uint8Array): object; encode(w: Writer, fields: object): void }
const byTable = (t: Table): Model => ({ decode: (v) => decodeAttrs(t, v), encode: (w, f) => encodeAttrs(t, f, w) });
const seg6: Model = {
  decode: (v) => {
    const { srh } = decodeAttrs(seg6Table, v);
    if (!srh) throw new DecodeError('seg6 encapsulation without SEG6_IPTUNNEL_SRH');
    return srh;
  },
  encode: (w, f) => encodeAttrs(seg6Table, { srh: f as Seg6Route }, w),
};
const models: Partial<Record<EncapTypeName | number, Model>> = { ip: byTable(ipEncapTable), ip6: byTable(ip6EncapTable), seg6 };
const typeName = namer(ENCAP_TYPES);

/** RTA_ENCAP read by its RTA_ENCAP_TYPE. */
export function decodeEncap(type: number, v: Uint8Array): Encap {
  const name = typeName(type);
  const model = models[name];
  return Object.assign(Object.create(jsonable) as object, { type: name }, model ? model.decode(v) : { data: v.slice() }) as Encap;
}

/** RTA_ENCAP_TYPE and RTA_ENCAP's value for an encapsulation; an EncodeError for what cannot be one. */
export function encodeEncap(e: Encap): { type: number; value: Uint8Array } {
  if (typeof e !== 'object' || e === null) throw new EncodeError(`${asText(e)} is not an encapsulation: give { type: 'ip', ... }`);
  const type = valueOf(ENCAP_TYPES, e.type, 'encap type', 0xffff);
  const model = models[typeName(type)];
  const { type: _, ...fields } = e;
  const w = new Writer(64);
  if (model) model.encode(w, fields);
  else if ('data' in e && e.data instanceof Uint8Array) w.bytes(e.data);
  else throw new EncodeError(`encap type ${asText(e.type)} is taken only as bytes: give { type, data: Uint8Array }`);
  return { type, value: w.finish() };
}
