// `link set DEV vf N ...`: ip's iplink_parse_vf(), its words, prefixes, order and refusals.
import type { VfChange } from '../api/link-options.js';
import { CliError, fail, int32, invarg, matches, parseOnOff, uint, usageError, type Args } from './args.js';
import { lladdr } from './prefix.js';
import { llProtoNumber, vlanProtocolName } from './ll-names.js';

const VLAN_ID_MAX = 4095;

/**
 * The settings of VF `vfWord` from the words that follow, up to the first that is not one of
 * them. ip first looks through every word after `vf`: a `max_tx_rate` or `min_tx_rate` anywhere
 * on the line makes `rate` the new API's maximum (IFLA_VF_RATE).
 */
export function vfArgs(args: Args, vfWord: string): VfChange {
  const vf = int32(vfWord, 'vf');
  const ahead = args.ahead();
  const overrideRate = ahead.some((w) => matches(w, 'max_tx_rate'));
  const rateApi = overrideRate || ahead.some((w) => matches(w, 'min_tx_rate'));
  const c: VfChange = { vf };
  const rate: { minTxRate?: number; maxTxRate?: number } = {};
  const before = args.left;
  while (!args.done) {
    const w = args.peek()!;
    if (matches(w, 'mac')) c.mac = lladdr(next(args, 2));
    else if (matches(w, 'vlan')) c.vlan = vlan(args);
    else if (matches(w, 'rate')) {
      const n = uint(next(args, 2), 'rate');
      if (!rateApi) c.txRate = n;
      else if (!overrideRate) rate.maxTxRate = n;
    } else if (matches(w, 'max_tx_rate')) rate.maxTxRate = uint(next(args, 2), 'max tx rate');
    else if (matches(w, 'min_tx_rate')) rate.minTxRate = uint(next(args, 2), 'min tx rate');
    else if (matches(w, 'spoofchk')) c.spoofchk = onOff(next(args, 2), 'spoofchk');
    else if (matches(w, 'query_rss')) c.rssQueryEn = onOff(next(args, 2), 'query_rss');
    else if (matches(w, 'trust')) c.trust = onOff(next(args, 2), 'trust');
    else if (matches(w, 'state')) c.linkState = linkState(next(args, 2));
    else if (matches(w, 'node_guid')) c.ibNodeGuid = guid(next(args, 2));
    else if (matches(w, 'port_guid')) c.ibPortGuid = guid(next(args, 2));
    else break;
  }
  if (args.left === before) throw usageError('Command line is not complete. Try option "help"');
  // A rate word of a later `vf` turns the new API on for this one too; ip then sends this VF's rates as they are.
  if (rateApi && Object.keys(rate).length > 0) {
    const { minTxRate, maxTxRate } = rate;
    if (minTxRate !== undefined && maxTxRate && minTxRate > maxTxRate) {
      throw new CliError(`Invalid min_tx_rate ${minTxRate} - must be <= max_tx_rate ${maxTxRate}`);
    }
    c.rate = rate;
  }
  return c;
}

/** parse_on_off(), whose failure iplink_parse_vf() passes up as -1: exit status 1. */
function onOff(word: string, key: string): boolean {
  try {
    return parseOnOff(word, key);
  } catch (e) {
    throw e instanceof CliError ? new CliError(e.message) : e;
  }
}

/** The word `n` words on (the setting's value), the words before it read. */
function next(args: Args, n: number): string {
  for (let i = 1; i < n; i++) args.next();
  return args.next();
}

/** iplink_parse_vf_vlan_info(): `vlan ID [qos QOS] [proto 802.1Q|802.1ad]`; an 802.1ad VLAN goes in a list, which the kernel holds one of. */
function vlan(args: Args): Required<VfChange>['vlan'] {
  const v = vlanInfo(args);
  if (v.protocol === '802.1ad' && !args.done && matches(args.peek()!, 'vlan')) {
    throw usageError('rtnl: one VLAN a VF: the kernel takes one 802.1ad VLAN in the list (MAX_VLAN_LIST_LEN)');
  }
  return v;
}

function vlanInfo(args: Args): Required<VfChange>['vlan'] {
  const id = next(args, 2);
  const out: Required<VfChange>['vlan'] = { id: uint(id, 'vlan', VLAN_ID_MAX) };
  if (!args.done && matches(args.peek()!, 'qos')) out.qos = uint(next(args, 2), 'qos');
  if (!args.done && matches(args.peek()!, 'proto')) {
    const word = next(args, 2);
    const proto = llProtoNumber(word);
    if (proto === undefined) throw invarg('protocol is invalid', word);
    out.protocol = vlanProtocolName(proto) ?? fail(invarg('Invalid "vlan protocol" value - supported 802.1Q, 802.1ad', word));
  }
  return out;
}

function linkState(word: string): Required<VfChange>['linkState'] {
  const state = (['auto', 'enable', 'disable'] as const).find((s) => matches(word, s));
  if (state === undefined) throw invarg('Invalid "state" value', word);
  return state;
}

/**
 * get_guid(): `xx:xx:xx:xx:xx:xx:xx:xx`, each two characters strtoul(16) reads whole and finds
 * at most 255: two hex digits, or one after a blank or a plus (`-0` too: 0).
 */
function guid(word: string): bigint {
  const parts = word.split(':');
  if (word.length !== 23 || parts.length !== 8 || !parts.every((p) => GUID_PART.test(p))) throw invarg('Invalid GUID format', word);
  return parts.reduce((g, p) => (g << 8n) | BigInt(parseInt(p.replace(/^[-+\t\n\v\f\r ]/, ''), 16)), 0n);
}
const GUID_PART = /^(?:[0-9a-f]{2}|[+\t\n\v\f\r ][0-9a-f]|-0)$/i;
