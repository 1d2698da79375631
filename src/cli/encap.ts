// `encap TYPE ...` in `rtnl route add` and in its nexthops: lwt_parse_encap() of
// ip/iproute_lwtunnel.c, for the types rtnl models (ip, ip6, seg6). ip's other types are
// refused by name, never sent half-read.
import { SEG6_MODES, type Encap, type Seg6Mode, type TunnelFlag } from '../../codecs/route/encap.js';
import { Args, CliError, cInteger, cNumber, dsfield, duparg2, invarg, usageError } from './args.js';
import { addressArg, addressText, noBytes } from './prefix.js';

const TYPES = ['mpls', 'ip', 'ip6', 'ila', 'bpf', 'seg6', 'seg6local', 'rpl', 'ioam6', 'xfrm'];
const FLAGS: readonly TunnelFlag[] = ['key', 'csum', 'seq'];
const OPTS = ['geneve_opts', 'vxlan_opts', 'erspan_opts'];

/**
 * The words after `encap`, up to the first that is not the type's: the rest is the route's.
 * `empty`: told of a `dst` or `src` of no bytes (`any`), which ip sends empty and the kernel refuses.
 */
export function encapArg(args: Args, empty: (word: string, family: number) => void): Encap {
  const type = args.next();
  if (!TYPES.includes(type)) throw invarg('"encap type" value is invalid', type);
  if (args.done) args.next(); // NEXT_ARG(): "Command line is not complete"
  // ip wants two words after the type, even where one would do (`encap ip key`).
  if (args.left < 2) throw usageError('Error: unexpected end of line after "encap"');
  if (type === 'ip' || type === 'ip6') return tunnelKey(args, type, empty);
  if (type === 'seg6') return seg6(args);
  throw new CliError(`rtnl: "encap ${type}" is not supported (ip, ip6 and seg6 are)`, 255);
}

/** parse_encap_ip() and parse_encap_ip6(): each word once. */
function tunnelKey(args: Args, type: 'ip' | 'ip6', empty: (word: string, family: number) => void): Encap {
  const family = type === 'ip' ? 2 : 10;
  const [hop, tclass] = type === 'ip' ? ['ttl', 'tos'] : ['hoplimit', 'tc'];
  const fields: Record<string, number | bigint | string | TunnelFlag[]> = {};
  const flags: TunnelFlag[] = [];
  for (let w = args.peek(); w !== undefined; w = args.peek()) {
    const flag = FLAGS.find((f) => f === w);
    if (flag) {
      args.next();
      if (flags.includes(flag)) throw duparg2(flag, flag);
      flags.push(flag);
      continue;
    }
    if (![`id`, 'dst', 'src', hop, tclass, ...OPTS].includes(w)) break;
    args.next();
    if (OPTS.includes(w)) throw new CliError(`rtnl: "encap ${type} ${w}" is not supported`, 255);
    const v = args.next();
    if (w in fields) throw duparg2(w, v);
    fields[w] = w === 'id' ? tunnelId(v) : w === 'dst' || w === 'src' ? address(v, family, empty) : w === hop ? unsigned(v, w, 0xff) : dscp(v, w);
  }
  if (flags.length > 0) fields.flags = flags;
  return { type, ...fields } as Encap;
}

/** parse_encap_seg6(): `mode MODE segs ADDR[,ADDR...] [ hmac KEYID ]`, mode first. */
function seg6(args: Args): Encap {
  let mode: Seg6Mode | undefined;
  let segments: string[] | undefined;
  let hmac: number | undefined;
  for (let w = args.peek(); w === 'mode' || w === 'segs' || w === 'hmac'; w = args.peek()) {
    args.next();
    const v = args.next();
    if (w === 'mode') {
      if (mode !== undefined) throw duparg2('mode', v);
      if (!Object.hasOwn(SEG6_MODES, v)) throw invarg('"mode" value is invalid', v);
      mode = v as Seg6Mode;
    } else if (w === 'segs') {
      if (segments !== undefined) throw duparg2('segs', v);
      if (mode === undefined) throw invarg('"segs" provided before "mode"', v);
      segments = v.split(',').map((s) => address(s, 10));
    } else {
      if (hmac !== undefined) throw duparg2('hmac', v);
      hmac = unsigned(v, 'hmac', 0xffffffff); // ip ignores a malformed key id (no HMAC): refused here
    }
  }
  if (mode === undefined || segments === undefined) throw usageError('Error: "encap seg6" needs "mode" and "segs"');
  return hmac ? { type: 'seg6', mode, segments, hmac } : { type: 'seg6', mode, segments };
}

/** get_be64(): up to 2^64-1; a number while exact as one. */
function tunnelId(v: string): number | bigint {
  const n = cInteger(v);
  if (n === undefined || n >= 1n << 64n) throw invarg('"id" value is invalid', v);
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/** get_addr() of one family (`default` is its zero address); `empty` is told of `any` and `all` (no bytes). */
function address(v: string, family: number, empty: (word: string, family: number) => void = () => undefined): string {
  const a = addressArg(v, family);
  if (noBytes(a, v)) empty(v, family);
  return addressText(a);
}

/** get_u8() and get_u32(), refused with parse_encap_*()'s words. */
function unsigned(v: string, what: string, max: number): number {
  const n = cNumber(v);
  if (!Number.isInteger(n) || n > max) throw invarg(`"${what}" value is invalid`, v);
  return n;
}

function dscp(v: string, what: string): number {
  const n = dsfield(v);
  if (n === undefined) throw invarg(`"${what}" value is invalid`, v);
  return n;
}
