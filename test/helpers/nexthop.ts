// Nexthop tests' shared parts: typed nexthops in the shape `ip -j nexthop show` prints, and a set
// of nexthops of every kind, as test/vectors/nexthop/capture.sh makes them.
import type { NexthopBucket, NexthopObject, NexthopObjectSpec } from '../../src/index.js';

export type IpNexthop = Record<string, unknown>;

/** A nexthop as `ip -j nexthop show` prints it (iproute2 6.1: print_nexthop()). */
export function asIp(n: NexthopObject): IpNexthop {
  const out: IpNexthop = { id: n.id };
  if (n.group) {
    out.group = n.group.map((g) => (g.weight === 1 ? { id: g.id } : { id: g.id, weight: g.weight }));
    if (n.groupType !== 'mpath') out.type = n.groupType;
    if (n.resilient) {
      const r = n.resilient;
      out.resilient_args = { buckets: r.buckets, idle_timer: r.idleTimer, unbalanced_timer: r.unbalancedTimer, unbalanced_time: r.unbalancedTime };
    }
  }
  // ip's JSON of an encapsulated nexthop has two "id" keys, the tunnel's last: JSON.parse keeps that one.
  if (n.encap?.type === 'ip') Object.assign(out, { encap: 'ip', id: n.encap.id, src: n.encap.src, dst: n.encap.dst, ttl: n.encap.ttl, tos: n.encap.tos });
  if (n.blackhole) out.blackhole = null;
  if (n.gateway !== undefined) out.gateway = n.gateway;
  if (n.dev !== undefined) out.dev = n.dev;
  if (n.scope !== 'global') out.scope = n.scope;
  if (n.protocol !== 'unspec') out.protocol = n.protocol;
  out.flags = n.flags;
  if (n.fdb) out.fdb = null;
  return out;
}

/** A bucket as `ip -j nexthop bucket show` prints it (print_nexthop_bucket()). */
export function asIpBucket(b: NexthopBucket): IpNexthop {
  return { id: b.id, bucket: { index: b.index, idle_time: b.idleTime, nhid: b.nhId }, flags: b.flags };
}

/** Every kind ip makes, in its words: `ip nexthop add id 1 dev v0`, `... via`, groups, fdb, encap. */
export const SPECS: NexthopObjectSpec[] = [
  { id: 1, dev: 'v0' },
  { id: 2, gateway: '192.0.2.2', dev: 'v0' },
  { id: 3, gateway: '2001:db8::2', dev: 'v0' },
  { id: 4, gateway: '198.51.100.1', dev: 'v0', onlink: true, protocol: 'static' },
  { id: 5, blackhole: true },
  { id: 6, blackhole: true, family: 'inet6' },
  { id: 10, group: [1, { id: 2, weight: 3 }] },
  { id: 11, group: [{ id: 2, weight: 7 }, { id: 4, weight: 5 }] },
  { id: 12, group: [1, 2], groupType: 'resilient', resilient: { buckets: 8, idleTimer: 60, unbalancedTimer: 120 } },
  { id: 20, gateway: '192.0.2.5', fdb: true },
  { id: 21, group: [20], fdb: true },
  { id: 30, gateway: '192.0.2.3', dev: 'v0', encap: { type: 'ip', id: 5, dst: '203.0.113.9' } },
];
