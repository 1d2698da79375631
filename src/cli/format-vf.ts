// An SR-IOV device's virtual functions as ip prints them under its link (ip/ipaddress.c
// print_vfinfo, print_vf_stats64): a `vf N` line each, in JSON "vfinfo_list".
import { formatLladdr } from '../../codecs/netlink/addresses.js';
import type { Link } from '../../codecs/route/link.js';
import { VF_SETTING_UNKNOWN, type VfInfo } from '../../codecs/route/link-vf.js';
import { llProtoName } from './ll-names.js';
import { RawJson, printNum, type Printer } from './print.js';

const ARPHRD_ETHER = 1;
const ETH_ALEN = 6;
const INFINIBAND_ALEN = 20;
const LINK_STATES = ['auto', 'enable'];
const u64 = (v: bigint): RawJson => new RawJson(String(v));

/** The VFs, `typeWord` the link's ll_type_n2a() word; `stats`: -s given (their counters too). */
export function printVfs(p: Printer, l: Link, typeWord: string, stats: boolean): void {
  if (!l.vfInfoList || l.numVf === undefined) return;
  p.openArray('vfinfo_list');
  for (const vf of l.vfInfoList) {
    p.openObject();
    printVf(p, l, vf, typeWord, stats);
    p.closeObject();
  }
  p.closeArray();
}

/** ip's warning after a link whose VFs did not all fit in the kernel's message. */
export const truncatedVfs = (l: Link): string | undefined =>
  (l.vfInfoList && l.numVf !== undefined && l.vfInfoList.length !== l.numVf ? `Truncated VF list: ${l.name}\n` : undefined);

function printVf(p: Printer, l: Link, vf: VfInfo, typeWord: string, stats: boolean): void {
  const addressLength = l.type === ARPHRD_ETHER ? ETH_ALEN : INFINIBAND_ALEN;
  p.fp(`${p.sl}    `);
  p.any('vf', 'vf %s ', vf.mac?.vf ?? 0);
  p.any('link_type', '    link/%s ', typeWord);
  p.colored('mac', 'address', '%s', formatLladdr((vf.mac?.address ?? new Uint8Array(32)).subarray(0, addressLength)));
  if (vf.broadcast) {
    if (l.flags.includes('pointopoint')) {
      p.fp(' peer ');
      p.jsonOnly('link_pointtopoint', true);
    } else {
      p.fp(' brd ');
    }
    p.colored('mac', 'broadcast', '%s', formatLladdr(vf.broadcast.subarray(0, addressLength)));
  }
  printVlans(p, vf);
  if (vf.txRate?.rate) p.any('tx_rate', ', tx rate %s (Mbps)', vf.txRate.rate);
  if (vf.rate) {
    p.openObject('rate');
    p.jsonOnly('max_tx', vf.rate.maxTxRate);
    p.jsonOnly('min_tx', vf.rate.minTxRate);
    p.closeObject();
    if (vf.rate.maxTxRate) p.fp(`, max_tx_rate ${vf.rate.maxTxRate}Mbps`);
    if (vf.rate.minTxRate) p.fp(`, min_tx_rate ${vf.rate.minTxRate}Mbps`);
  }
  onOff(p, 'spoofchk', ', spoof checking', vf.spoofchk?.setting);
  if (vf.ibNodeGuid) p.any('node guid', ', NODE_GUID %s', guid(vf.ibNodeGuid.guid));
  if (vf.ibPortGuid) p.any('port guid', ', PORT_GUID %s', guid(vf.ibPortGuid.guid));
  if (vf.linkState) p.any('link_state', ', link-state %s', LINK_STATES[vf.linkState.linkState] ?? 'disable');
  onOff(p, 'trust', ', trust', vf.trust?.setting);
  onOff(p, 'query_rss_en', ', query_rss', vf.rssQueryEn?.setting);
  if (vf.stats && stats) printVfStats(p, vf.stats);
}

/** The VLANs: IFLA_VF_VLAN_LIST where the driver tells one (each with its protocol), else IFLA_VF_VLAN. */
function printVlans(p: Printer, vf: VfInfo): void {
  const vlanQos = (v: { vlan: number; qos: number }): void => {
    if (v.vlan) p.any('vlan', ', vlan %s', v.vlan);
    if (v.qos) p.any('qos', ', qos %s', v.qos);
  };
  if (!vf.vlanList) {
    if (vf.vlan) vlanQos(vf.vlan);
    return;
  }
  p.openArray('vlan_list');
  for (const v of vf.vlanList) {
    p.openObject();
    vlanQos(v);
    if (v.protocol !== 0 && v.protocol !== '802.1Q') p.any('protocol', ', vlan protocol %s', llProtoName(v.protocol, p.numeric));
    p.closeObject();
  }
  p.closeArray();
}

/** print_bool() of a setting: `, WORDS on|off` (a JSON boolean), nothing where the driver does not tell it. */
function onOff(p: Printer, key: string, words: string, setting: number | undefined): void {
  if (setting === undefined || setting === VF_SETTING_UNKNOWN) return;
  p.jsonOnly(key, setting !== 0);
  p.fp(`${words} ${setting ? 'on' : 'off'}`);
}

/** An InfiniBand GUID as ip prints it: its eight bytes, most significant first. */
function guid(g: bigint): string {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, g);
  return formatLladdr(b);
}

/** print_vf_stats64(). */
function printVfStats(p: Printer, s: NonNullable<VfInfo['stats']>): void {
  const c = (v: bigint | undefined): bigint => v ?? 0n;
  if (p.json) {
    p.openObject('stats');
    p.openObject('rx');
    for (const [key, v] of [['bytes', s.rxBytes], ['packets', s.rxPackets], ['multicast', s.multicast], ['broadcast', s.broadcast]] as const) p.jsonOnly(key, u64(c(v)));
    if (s.rxDropped !== undefined) p.jsonOnly('dropped', u64(s.rxDropped));
    p.closeObject();
    p.openObject('tx');
    p.jsonOnly('tx_bytes', u64(c(s.txBytes)));
    p.jsonOnly('tx_packets', u64(c(s.txPackets)));
    if (s.txDropped !== undefined) p.jsonOnly('dropped', u64(s.txDropped));
    p.closeObject();
    p.closeObject();
    return;
  }
  const num = printNum(p.human);
  p.fp(`${p.sl}    RX: bytes  packets  mcast   bcast ${s.rxDropped !== undefined ? '  dropped ' : ''}${p.sl}    `);
  p.fp(`${num(10, c(s.rxBytes))}${num(8, c(s.rxPackets))}${num(7, c(s.multicast))}${num(7, c(s.broadcast))}${s.rxDropped !== undefined ? num(8, s.rxDropped) : ''}`);
  p.fp(`${p.sl}    TX: bytes  packets ${s.txDropped !== undefined ? '  dropped ' : ''}${p.sl}    `);
  p.fp(`${num(10, c(s.txBytes))}${num(8, c(s.txPackets))}${s.txDropped !== undefined ? num(8, s.txDropped) : ''}`);
}
