// The seeds' topology, built with the library only (the demo and the seed tests share it; it runs no
// command): a switch (a bridge in its own namespace), an outside host, another outside host,
// and a second host whose eth0 is the macvlan parent, each on a port of the switch by a veth
// pair; macvlan children on that parent, each in a namespace of its own. Reachability is
// measured by UDP echo between sockets made inside the namespaces (NetNS.enter).
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { Macvlan, type MacvlanCreateOptions } from '../src/macvlan.js';
import { NetNS } from '../src/netns/netns.js';
import { RtNetlink } from '../src/rtnetlink.js';
import type { MacvlanMode } from '../codecs/route/link-kinds/macvlan.js';

/** Documentation addresses only. */
export const ADDR = {
  outside: '192.0.2.1',
  host: '192.0.2.2',
  other: '192.0.2.3',
  shim: '192.0.2.4',
  child: (i: number): string => `192.0.2.${101 + i}`,
  /** The far side of the router (the outside host), for the default-route seed. */
  router: '198.51.100.1',
  far: '198.51.100.2',
} as const;

export interface Seed {
  /** Namespace names. */
  ns: { switch: string; outside: string; other: string; host: string };
  /** The macvlan parent, in ns.host. */
  parent: 'eth0';
  /** The host's port on the switch, in ns.switch: where hairpin is set. */
  hostPort: 'p-host';
  /** Namespaces made for children (and the far subnet), removed by destroy(). */
  extra: string[];
  /** A fresh uniquely named namespace, removed by destroy(). */
  namespace(role: string): Promise<string>;
  /** A macvlan child of the host's eth0 in a namespace of its own, address 192.0.2.(101+i)/24. */
  child(i: number, mode: MacvlanMode, more?: Partial<MacvlanCreateOptions>): Promise<Macvlan>;
  setHairpin(on: boolean): Promise<void>;
  /** The MAC of eth0 in a namespace. */
  macOf(netns: string): Promise<string>;
  /** Removes every namespace it made (and so every link in them). */
  destroy(): Promise<void>;
}

const run = `${process.pid.toString(36)}${randomBytes(2).toString('hex')}`;
let serial = 0;
/** Every namespace made here and not yet removed, whichever seed it belongs to. */
const live = new Set<string>();

/** Removes every namespace any seed made and still holds: for signal handlers, which cannot know which build was under way. */
export async function destroyAll(): Promise<void> {
  for (const name of [...live].reverse()) {
    live.delete(name);
    await NetNS.delete(name).catch(() => undefined);
  }
}

async function inNetns<T>(netns: string, fn: (rt: RtNetlink) => Promise<T>): Promise<T> {
  const rt = await RtNetlink.open({ netns });
  try {
    return await fn(rt);
  } finally {
    rt.close();
  }
}

/** A station on the switch: a veth pair with `port` in the switch namespace and eth0 in `netns`, addressed and up. */
async function plug(sw: string, port: string, netns: string, cidr: string): Promise<void> {
  await inNetns(sw, async (rt) => {
    await rt.link.add({ name: port, kind: 'veth', veth: { peer: { name: 'eth0', netns } } });
    await rt.link.set(port, { master: 'br0', up: true });
  });
  await inNetns(netns, async (rt) => {
    await rt.link.set('lo', { up: true });
    await rt.address.add({ dev: 'eth0', address: cidr });
    await rt.link.set('eth0', { up: true });
  });
}

/** Builds the switch and its three stations. `tag` goes into every namespace name. */
export async function buildSeed(tag: string): Promise<Seed> {
  const made: string[] = [];
  const namespace = async (role: string): Promise<string> => {
    const name = `rtnl-${tag}-${role}-${run}-${(serial++).toString(36)}`;
    await NetNS.add(name);
    made.push(name);
    live.add(name);
    return name;
  };
  const destroy = async (): Promise<void> => {
    for (const name of made.splice(0).reverse()) {
      live.delete(name);
      await NetNS.delete(name).catch(() => undefined);
    }
  };
  try {
    const ns = { switch: await namespace('sw'), outside: await namespace('out'), other: await namespace('oth'), host: await namespace('host') };
    await inNetns(ns.switch, async (rt) => {
      await rt.link.set('lo', { up: true });
      await rt.link.add({ name: 'br0', kind: 'bridge', up: true });
    });
    await plug(ns.switch, 'p-out', ns.outside, `${ADDR.outside}/24`);
    await plug(ns.switch, 'p-oth', ns.other, `${ADDR.other}/24`);
    await plug(ns.switch, 'p-host', ns.host, `${ADDR.host}/24`);
    const extra: string[] = [];
    const seed: Seed = {
      ns, parent: 'eth0', hostPort: 'p-host', extra,
      namespace: async (role) => {
        const name = await namespace(role);
        extra.push(name);
        await inNetns(name, (rt) => rt.link.set('lo', { up: true }));
        return name;
      },
      async child(i, mode, more = {}) {
        const netns = await seed.namespace(`c${i}`);
        return Macvlan.create({
          parent: 'eth0', parentNetns: ns.host, name: `mv${i}`, mode, netns, addresses: [`${ADDR.child(i)}/24`], ...more,
        });
      },
      setHairpin: (on) => inNetns(ns.switch, (rt) => rt.link.set('p-host', { bridgePort: { hairpin: on } })),
      macOf: (netns) => inNetns(netns, async (rt) => (await rt.link.get('eth0', { stats: false })).address ?? ''),
      destroy,
    };
    return seed;
  } catch (e) {
    await destroy();
    throw e;
  }
}

/**
 * The default-route seed's far subnet: a namespace at 198.51.100.2/24 behind the outside host,
 * which routes between 192.0.2.0/24 and 198.51.100.0/24 (forwarding on both its links).
 */
export async function addFarSubnet(seed: Seed): Promise<string> {
  const far = await seed.namespace('far');
  await inNetns(seed.ns.outside, async (rt) => {
    await rt.link.add({ name: 'to-far', kind: 'veth', veth: { peer: { name: 'eth0', netns: far } } });
    await rt.address.add({ dev: 'to-far', address: `${ADDR.router}/24` });
    await rt.link.set('to-far', { up: true, inet: { forwarding: 1 } });
    await rt.link.set('eth0', { inet: { forwarding: 1 } });
  });
  await inNetns(far, async (rt) => {
    await rt.address.add({ dev: 'eth0', address: `${ADDR.far}/24` });
    await rt.link.set('eth0', { up: true });
    await rt.route.add({ dst: 'default', gateway: ADDR.router });
  });
  return far;
}

/**
 * A UDP socket bound inside a namespace (the fd is made there and stays there). With a
 * synchronous lookup, bind() makes the fd and binds it before returning; a failure throws.
 */
function socketIn(netns: string): dgram.Socket {
  return NetNS.enter(netns, () => {
    const s = dgram.createSocket({ type: 'udp4', lookup: NetNS.lookup });
    s.bind({ port: 0, address: '0.0.0.0' });
    s.address(); // throws unless bound
    return s;
  });
}

/**
 * Whether a UDP datagram sent from namespace `from` to `address` (a host in namespace `to`)
 * comes back from an echo socket there: both ways work, as for ping. Tries a few times
 * (the first datagram may wait for ARP) within `timeoutMs`.
 */
export async function udpReach(from: string, to: string, address: string, timeoutMs = 1200): Promise<boolean> {
  const server = socketIn(to);
  let client: dgram.Socket;
  try {
    client = socketIn(from);
  } catch (e) {
    server.close();
    throw e;
  }
  try {
    server.on('message', (msg, r) => server.send(msg, r.port, r.address));
    const token = randomBytes(8);
    const port = server.address().port;
    return await new Promise<boolean>((resolve) => {
      const done = (ok: boolean): void => {
        clearInterval(resend);
        clearTimeout(timer);
        resolve(ok);
      };
      client.on('message', (msg) => { if (msg.equals(token)) done(true); });
      const send = (): void => client.send(token, port, address, () => undefined);
      const resend = setInterval(send, timeoutMs / 4);
      const timer = setTimeout(() => done(false), timeoutMs);
      send();
    });
  } finally {
    server.close();
    client.close();
  }
}
