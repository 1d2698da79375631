// What the CNI macvlan plugin does on ADD and DEL, written with rtnl: create the macvlan
// straight into the container's namespace under a temporary name, rename it there, give it its
// address and a default route, bring it up, and roll everything back if any step fails.
//
// Macvlan.create() does all of this in one call; this example spells the steps out with the
// lower-level API, for orchestrators that want to control each one.
//
// Run it (as root; it makes and removes its own namespaces, nothing else is touched):
//   npm run build && node dist/examples/cni-like.js
import { randomBytes } from 'node:crypto';
import { Macvlan, NetNS, NetlinkError, RtNetlink, type MacvlanMode, type NetnsRef } from '../src/index.js';

export interface AddRequest {
  /** The host's interface the macvlan sits on (CNI: "master"). */
  master: string;
  /** Where the master is; default: this process's namespace. */
  masterNetns?: NetnsRef;
  /** The container's namespace (CNI_NETNS): a name, a path like /proc/PID/ns/net, or an fd. */
  containerNetns: NetnsRef;
  /** The name inside the container (CNI_IFNAME). */
  ifName: string;
  mode?: MacvlanMode;
  mtu?: number;
  /** What IPAM handed out. */
  address: string;
  gateway?: string;
}

/** The part of a CNI result that matters here. */
export interface AddResult {
  interfaces: Array<{ name: string; mac: string; sandbox: string }>;
  ips: Array<{ address: string; gateway?: string; interface: number }>;
}

async function inside<T>(netns: NetnsRef | undefined, fn: (rt: RtNetlink) => Promise<T>): Promise<T> {
  const rt = await RtNetlink.open(netns === undefined ? {} : { netns });
  try {
    return await fn(rt);
  } finally {
    rt.close();
  }
}

/** CNI ADD. */
export async function cmdAdd(req: AddRequest): Promise<AddResult> {
  // A name that cannot clash with anything in the master's namespace, where the kernel checks it.
  const temp = `cni${randomBytes(4).toString('hex')}`;
  await inside(req.masterNetns, (rt) => rt.link.add({
    name: temp, kind: 'macvlan', parent: req.master, mtu: req.mtu, macvlan: { mode: req.mode ?? 'bridge' },
    netns: req.containerNetns, renameInside: false, // made in the container under the temporary name
  }));
  return inside(req.containerNetns, async (rt) => {
    let name = temp;
    try {
      await rt.link.set(temp, { name: req.ifName });
      name = req.ifName;
      await rt.link.set(name, { inet: { arpNotify: 1 } }); // announce the MAC: upstream ARP caches
      await rt.address.add({ dev: name, address: req.address });
      await rt.link.set(name, { up: true });
      // Carrier before the result, watched rather than polled (the parent must be up for it).
      await (await Macvlan.get(name, { netns: req.containerNetns })).waitFor((l) => l.operstate === 'up', { timeout: 5000 });
      if (req.gateway !== undefined) await rt.route.add({ dst: 'default', gateway: req.gateway, dev: name });
      const link = await rt.link.get(name, { stats: false });
      return {
        interfaces: [{ name, mac: link.address ?? '', sandbox: String(req.containerNetns) }],
        ips: [{ address: req.address, gateway: req.gateway, interface: 0 }],
      };
    } catch (e) {
      await rt.link.delete(name).catch(() => undefined); // roll back: nothing half-made stays
      throw e instanceof NetlinkError ? e.about(`CNI ADD ${req.ifName}`) : e;
    }
  });
}

/** CNI DEL: idempotent, as the spec wants (a link already gone is success). */
export async function cmdDel(containerNetns: NetnsRef, ifName: string): Promise<void> {
  try {
    await inside(containerNetns, (rt) => rt.link.delete(ifName));
  } catch (e) {
    if (!(e instanceof NetlinkError && e.name === 'NotFoundError')) throw e;
  }
}

/** A self-contained run: a "host" namespace with a veth as master, a "container" namespace. */
async function main(): Promise<void> {
  const tag = randomBytes(3).toString('hex');
  const host = `cni-host-${tag}`;
  const container = `cni-ctr-${tag}`;
  await NetNS.add(host);
  await NetNS.add(container);
  try {
    await inside(host, (rt) => rt.link.add({ name: 'eth0', kind: 'veth', veth: { peer: { name: 'uplink' } }, up: true }));
    const result = await cmdAdd({
      master: 'eth0', masterNetns: host, containerNetns: container, ifName: 'eth0', address: '192.0.2.10/24', gateway: '192.0.2.1',
    });
    console.log('ADD ->', JSON.stringify(result));
    console.log('inside the container:', JSON.stringify(await Macvlan.get('eth0', { netns: container })));

    const failed = await cmdAdd({
      master: 'eth0', masterNetns: host, containerNetns: container, ifName: 'net1', address: '192.0.2.11/24', gateway: '203.0.113.1',
    }).catch((e: Error) => e);
    console.log('ADD with an unreachable gateway ->', (failed as Error).message);
    const left = (await inside(container, (rt) => rt.link.list({ stats: false }))).map((l) => l.name);
    console.log('links left in the container:', left.join(', '), '(rolled back: no net1, no temporary link)');

    await cmdDel(container, 'eth0');
    await cmdDel(container, 'eth0'); // again: still fine
    console.log('DEL twice -> ok');
  } finally {
    await NetNS.delete(container);
    await NetNS.delete(host);
  }
}

if (process.argv[1]?.endsWith('cni-like.js')) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
