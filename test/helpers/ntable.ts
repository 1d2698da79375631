// Neighbour table tests' shared part: a typed table in the shape `ip -j ntable show` prints it.
import type { NeighbourTable } from '../../src/index.js';

export type IpTable = Record<string, unknown>;

/** The keys ip -j prints (print_ntable(), without -s), by the API's names. */
const IP_KEYS: Array<[keyof NeighbourTable, string]> = [
  ['thresh1', 'thresh1'], ['thresh2', 'thresh2'], ['thresh3', 'thresh3'], ['gcInterval', 'gc_interval'], ['refcnt', 'refcnt'],
  ['reachable', 'reachable'], ['baseReachable', 'base_reachable'], ['retrans', 'retrans'], ['gcStale', 'gc_stale'],
  ['delayProbe', 'delay_probe'], ['queue', 'queue'], ['appProbes', 'app_probes'], ['ucastProbes', 'ucast_probes'],
  ['mcastProbes', 'mcast_probes'], ['anycastDelay', 'anycast_delay'], ['proxyDelay', 'proxy_delay'], ['proxyQueue', 'proxy_queue'],
  ['locktime', 'locktime'],
];

export function asIp(n: NeighbourTable): IpTable {
  const out: IpTable = { family: n.family, name: n.name };
  if (n.dev !== undefined) out.dev = n.dev;
  for (const [k, ip] of IP_KEYS) if (n[k] !== undefined) out[ip] = n[k];
  return out;
}
