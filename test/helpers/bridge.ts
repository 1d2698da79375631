// `bridge fdb` (iproute2) as the oracle of rt.fdb: what it prints of an entry, from an FdbEntry.
import type { FdbEntry } from '../../src/index.js';

export type BridgeEntry = Record<string, unknown>;

/**
 * bridge/fdb.c's print_fdb() in JSON of an entry list() gave, links named from `names`: `ifname`
 * unless the listing was for one link.
 */
export function asBridge(e: FdbEntry, names: Map<number, string>, forDev = false): BridgeEntry {
  const o: BridgeEntry = { mac: e.lladdr };
  if (!forDev) o.ifname = names.get(e.index);
  if (e.dst !== undefined) o.dst = e.dst;
  if (e.vlan !== undefined) o.vlan = e.vlan;
  if (e.port !== undefined) o.port = e.port;
  if (e.vni !== undefined) o.vni = e.vni;
  if (e.srcVni !== undefined) o.src_vni = e.srcVni;
  if (e.via !== undefined) o[e.linkNetnsid === undefined ? 'viaIf' : 'viaIfIndex'] = e.linkNetnsid === undefined ? names.get(e.via) : e.via;
  if (e.nhId !== undefined) o.nhid = e.nhId;
  if (e.linkNetnsid !== undefined) o.linkNetNsId = e.linkNetnsid;
  o.flags = ['self', 'router', 'extern_learn', 'offload', 'master', 'sticky'].filter((f) => e.flags.includes(f as never));
  if (e.master !== undefined) o.master = names.get(e.master);
  o.state = e.state === 'dynamic' ? '' : typeof e.state === 'number' ? `0x${e.state.toString(16)}` : e.state;
  return o;
}
