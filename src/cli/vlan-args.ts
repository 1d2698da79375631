// The words after `type vlan` and `type ipvlan|ipvtap` in `rtnl link add|set`, as iproute2 6.1's
// iplink_vlan.c and iplink_ipvlan.c read them, mapped onto the library's VlanData and IpvlanData.
// This kernel has neither driver: test/vectors/args holds the requests ip built from the same words.
import { IPVLAN_MODES, type IpvlanData, type IpvlanMode } from '../../codecs/route/link-kinds/ipvlan.js';
import {
  VLAN_FLAG_BRIDGE_BINDING, VLAN_FLAG_GVRP, VLAN_FLAG_LOOSE_BINDING, VLAN_FLAG_MVRP, VLAN_FLAG_REORDER_HDR, type VlanData,
} from '../../codecs/route/link-kinds/vlan.js';
import { CliError, cNumber, fail, invarg, matches, type Args } from './args.js';
import { unknown } from './link-kind-args.js';
import { llProtoNumber, vlanProtocolName } from './ll-names.js';

export const VLAN_USAGE = `Usage: ... vlan id VLANID
\t\t[ protocol VLANPROTO ]
\t\t[ reorder_hdr { on | off } ]
\t\t[ gvrp { on | off } ]
\t\t[ mvrp { on | off } ]
\t\t[ loose_binding { on | off } ]
\t\t[ bridge_binding { on | off } ]
\t\t[ ingress-qos-map QOS-MAP ]
\t\t[ egress-qos-map QOS-MAP ]

VLANID := 0-4095
VLANPROTO: [ 802.1Q | 802.1ad ]
QOS-MAP := [ QOS-MAP ] QOS-MAPPING
QOS-MAPPING := FROM:TO`;

/** vlan_parse_opt()'s switches, in its order after protocol and id: each a VLAN_FLAG_* bit. */
const VLAN_SWITCHES: ReadonlyArray<readonly [string, number]> = [
  ['reorder_hdr', VLAN_FLAG_REORDER_HDR], ['gvrp', VLAN_FLAG_GVRP], ['mvrp', VLAN_FLAG_MVRP],
  ['loose_binding', VLAN_FLAG_LOOSE_BINDING], ['bridge_binding', VLAN_FLAG_BRIDGE_BINDING],
];

/** vlan_parse_opt(): `type vlan id 5 protocol 802.1ad reorder_hdr off egress-qos-map 1:2 ...`. */
export function vlanOptions(args: Args): VlanData {
  const o: VlanData = {};
  const flags = { flags: 0, mask: 0 };
  while (!args.done) {
    const w = args.next();
    const sw = VLAN_SWITCHES.find(([word]) => matches(w, word));
    if (matches(w, 'protocol')) o.protocol = protocol(args.next());
    else if (matches(w, 'id')) {
      const v = args.next();
      o.id = u32(v, 0xffff) ?? fail(invarg('id is invalid', v, false));
    } else if (sw) {
      const [word, bit] = sw;
      const v = args.next();
      if (v !== 'on' && v !== 'off') throw new CliError(`Error: argument of "${word}" must be "on" or "off", not "${v}"`);
      flags.mask |= bit;
      flags.flags = v === 'on' ? flags.flags | bit : flags.flags & ~bit;
    } else if (matches(w, 'ingress-qos-map')) o.ingressQos = qosMap(args, 'invalid ingress-qos-map');
    else if (matches(w, 'egress-qos-map')) o.egressQos = qosMap(args, 'invalid egress-qos-map');
    else throw unknown('vlan', w, VLAN_USAGE);
  }
  if (flags.mask) o.flags = flags;
  return o;
}

/** get_u32() and kin: a number up to `max` in C's forms, else undefined. */
function u32(s: string, max = 0xffffffff): number | undefined {
  const n = cNumber(s);
  return Number.isInteger(n) && n <= max ? n : undefined;
}

/** ll_proto_a2n(): any protocol ip names or numbers (the kernel takes 802.1Q and 802.1ad only). */
function protocol(v: string): Required<VlanData>['protocol'] {
  const n = llProtoNumber(v) ?? fail(invarg('protocol is invalid', v, false));
  return vlanProtocolName(n) ?? n;
}

/**
 * parse_mapping(): the FROM:TO words that follow (at least one word must); the first without a
 * colon ends the map and is read as the next keyword. ip cuts a word at its colon as it reads
 * it, so a bad mapping is named by what comes before the colon.
 */
function qosMap(args: Args, refusal: string): Array<{ from: number; to: number }> {
  if (args.done) args.next(); // ip's NEXT_ARG(): `Command line is not complete`
  const map: Array<{ from: number; to: number }> = [];
  for (let w = args.peek(); w?.includes(':'); w = args.peek()) {
    args.next();
    const at = w.indexOf(':');
    const [from, to] = [u32(w.slice(0, at)), u32(w.slice(at + 1))];
    if (from === undefined || to === undefined) throw invarg(refusal, w.slice(0, at), false);
    map.push({ from, to });
  }
  return map;
}

export const IPVLAN_USAGE = (kind: string): string => `Usage: ... ${kind} [ mode MODE ] [ FLAGS ]

MODE: l3 | l3s | l2
FLAGS: bridge | private | vepa
(first values are the defaults if nothing is specified).`;

/** ipvlan_parse_opt(): `type ipvlan|ipvtap mode l2|l3|l3s [ bridge | private | vepa ]`, the flags always. */
export function ipvlanOptions(kind: 'ipvlan' | 'ipvtap', args: Args): IpvlanData {
  const o: IpvlanData = {};
  let flagGiven = false;
  const flags: Required<IpvlanData>['flags'] = [];
  while (!args.done) {
    const w = args.next();
    const flag = flagGiven ? undefined : (['private', 'vepa', 'bridge'] as const).find((f) => matches(w, f));
    if (matches(w, 'mode')) {
      const m = args.next();
      if (!Object.hasOwn(IPVLAN_MODES, m)) throw new CliError('Error: argument of "mode" must be either "l2", "l3" or "l3s"');
      o.mode = m as IpvlanMode;
    } else if (flag) {
      flagGiven = true;
      if (flag !== 'bridge') flags.push(flag);
    } else throw unknown(kind, w, IPVLAN_USAGE(kind), 'option');
  }
  o.flags = flags;
  return o;
}
