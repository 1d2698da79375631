// Reachability between namespaces, measured two ways at once: ping (iproute2's `ip netns
// exec`, the oracle) and UDP echo through sockets the library makes inside (udpReach).
import { execFile } from 'node:child_process';
import { udpReach } from '../../demo/topology.js';

/** One question: does `from` reach `address` (a host in namespace `to`) and get the answer back? */
export interface Probe {
  from: string;
  to: string;
  address: string;
}

/**
 * `ip netns exec FROM ping -c1 -w2 -i0.2 ADDRESS` succeeded: a request every 0.2 s until one is
 * answered, for 2 s. A single request with a 1 s wait (`-c1 -W1`, as before) failed now and then
 * when test files ran in parallel: the first packet to a fresh address waits for ARP at each hop,
 * and on a loaded machine that took longer than the one second, so a reachable host read as
 * unreachable. The UDP probe already sent again; now both do.
 */
export function ping(from: string, address: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('ip', ['netns', 'exec', from, 'ping', '-n', '-q', '-c1', '-w2', '-i0.2', address], (err) => resolve(!err));
  });
}

export interface Measured {
  ping: Record<string, boolean>;
  udp: Record<string, boolean>;
}

/** Every probe by ping and by UDP, all at once (an unreachable one costs about a second). */
export async function measure(probes: Record<string, Probe>): Promise<Measured> {
  const entries = Object.entries(probes);
  const [pings, udps] = await Promise.all([
    Promise.all(entries.map(([, p]) => ping(p.from, p.address))),
    Promise.all(entries.map(([, p]) => udpReach(p.from, p.to, p.address))),
  ]);
  return {
    ping: Object.fromEntries(entries.map(([k], i) => [k, pings[i]])),
    udp: Object.fromEntries(entries.map(([k], i) => [k, udps[i]])),
  };
}
