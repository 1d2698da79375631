// `vfs` of rt.link.set(): each VfChange checked and made the IFLA_VF_INFO ip sends for
// `vf N ...`, every struct carrying the VF's number.
import { parseLladdr } from '../../codecs/netlink/addresses.js';
import { asJson } from '../../codecs/netlink/errors.js';
import { VF_LINK_STATES, type VfInfo } from '../../codecs/route/link-vf.js';
import { VLAN_PROTOCOLS } from '../../codecs/route/link-kinds/vlan.js';
import { NotFoundError, checkBoolean, checkObject, invalid } from '../errors.js';
import { checkName, checkUint, VF_KEYS, VF_RATE_KEYS, VF_VLAN_KEYS, type VfChange } from './link-options.js';
import { constants } from 'node:os';

/** The device's VFs as the kernel lists them (IFLA_VFINFO_LIST), read only when a rate is half given. */
export type CurrentVfs = () => Promise<VfInfo[]>;

/** The kernel takes a VF number below INT_MAX; a VLAN id below 4096 and a priority up to 7. */
const VF_MAX = 0x7ffffffe;
const VLAN_MAX = 4095;
const QOS_MAX = 7;
/** struct ifla_vf_mac's room. */
const MAC_MAX = 32;

export async function vfsMessage(vfs: unknown, subject: string, current: CurrentVfs): Promise<VfInfo[]> {
  if (!Array.isArray(vfs)) throw invalid(subject, `vfs is an array of VF settings, not ${asJson(vfs)}`);
  const out: VfInfo[] = [];
  for (const [i, v] of (vfs as unknown[]).entries()) out.push(await vfInfo(v as VfChange, `${subject}: vfs[${i}]`, current));
  return out;
}

async function vfInfo(c: VfChange, subject: string, current: CurrentVfs): Promise<VfInfo> {
  checkObject(subject, c, VF_KEYS);
  const { vf } = c;
  if (!Number.isInteger(vf) || vf < 0 || vf > VF_MAX) throw invalid(subject, `vf is the VF's number, an integer from 0 to ${VF_MAX}, not ${asJson(vf)}`);
  const info: VfInfo = {};
  if (c.mac !== undefined) info.mac = { vf, address: mac(c.mac, subject) };
  if (c.vlan !== undefined) Object.assign(info, vlan(c.vlan, vf, subject));
  if (c.txRate !== undefined) {
    checkUint(subject, 'txRate', c.txRate);
    info.txRate = { vf, rate: c.txRate };
  }
  for (const key of ['spoofchk', 'rssQueryEn', 'trust'] as const) {
    const on = checkBoolean(subject, key, c[key]);
    if (on !== undefined) info[key] = { vf, setting: on ? 1 : 0 };
  }
  if (c.linkState !== undefined) {
    checkName(subject, 'linkState', VF_LINK_STATES, c.linkState);
    info.linkState = { vf, linkState: VF_LINK_STATES[c.linkState] };
  }
  for (const key of ['ibNodeGuid', 'ibPortGuid'] as const) {
    const guid = c[key];
    if (guid === undefined) continue;
    if (typeof guid !== 'bigint' || BigInt.asUintN(64, guid) !== guid) throw invalid(subject, `${key} is a bigint from 0 to 2^64-1, not ${asJson(guid)}`);
    info[key] = { vf, guid };
  }
  if (c.rate !== undefined) info.rate = await rate(c.rate, vf, subject, current);
  return info;
}

/** The address in struct ifla_vf_mac's 32 bytes (the rest zero). */
function mac(v: string, subject: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = parseLladdr(v);
  } catch {
    throw invalid(subject, `mac ${asJson(v)} is not a link-layer address (hex bytes like 02:00:00:00:00:01)`);
  }
  if (bytes.length > MAC_MAX) throw invalid(subject, `mac "${v}" is ${bytes.length} bytes, more than the kernel's ${MAC_MAX}`);
  const out = new Uint8Array(MAC_MAX);
  out.set(bytes);
  return out;
}

/** An 802.1Q VLAN as IFLA_VF_VLAN, which every driver takes; an 802.1ad one in IFLA_VF_VLAN_LIST (ip's choice too). */
function vlan(v: Required<VfChange>['vlan'], vf: number, subject: string): Pick<VfInfo, 'vlan' | 'vlanList'> {
  checkObject(`${subject}: vlan`, v, VF_VLAN_KEYS);
  const { id, qos = 0, protocol = '802.1Q' } = v;
  if (!Number.isInteger(id) || id < 0 || id > VLAN_MAX) throw invalid(subject, `vlan.id must be an integer from 0 to ${VLAN_MAX}, not ${asJson(id)}`);
  if (!Number.isInteger(qos) || qos < 0 || qos > QOS_MAX) throw invalid(subject, `vlan.qos must be an integer from 0 to ${QOS_MAX}, not ${asJson(qos)}`);
  checkName(subject, 'vlan.protocol', VLAN_PROTOCOLS, protocol);
  return protocol === '802.1Q' ? { vlan: { vf, vlan: id, qos } } : { vlanList: [{ vf, vlan: id, qos, protocol }] };
}

/** IFLA_VF_RATE sets both: one left out is read from the VF as the device lists it. */
async function rate(r: Required<VfChange>['rate'], vf: number, subject: string, current: CurrentVfs): Promise<Required<VfInfo>['rate']> {
  checkObject(`${subject}: rate`, r, VF_RATE_KEYS);
  for (const key of ['minTxRate', 'maxTxRate'] as const) checkUint(subject, `rate.${key}`, r[key]);
  let { minTxRate, maxTxRate } = r;
  if (minTxRate === undefined && maxTxRate === undefined) throw invalid(subject, 'rate takes minTxRate, maxTxRate or both');
  if (minTxRate === undefined || maxTxRate === undefined) {
    const now = (await current()).find((i) => i.rate?.vf === vf)?.rate;
    if (!now) {
      const kept = minTxRate === undefined ? 'minTxRate' : 'maxTxRate';
      throw new NotFoundError({ errno: constants.errno.ENOENT, subject, text: `Cannot find VF ${vf}: its ${kept}, not given, is kept as the device lists it` });
    }
    minTxRate ??= now.minTxRate;
    maxTxRate ??= now.maxTxRate;
  }
  if (maxTxRate !== 0 && minTxRate > maxTxRate) throw invalid(subject, `rate.minTxRate ${minTxRate} is above maxTxRate ${maxTxRate}`);
  return { vf, minTxRate, maxTxRate };
}
