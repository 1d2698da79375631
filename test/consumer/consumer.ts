// A consumer of the published package, type-checked by test/package.test.ts in an empty
// project whose only dev dependency is typescript (no @types/node), under --strict. Correct
// uses compile; every line under `@ts-expect-error` must fail to (tsc reports an unused one).
import {
  RtNetlink, NetlinkError, type Link, type MacvlanMode, type BridgePortData, type VethData, type Address, type Route,
  type Neighbour, type AddLinkOptions,
} from 'rtnl';

export async function narrowing(link: Link): Promise<string | undefined> {
  if (link.info?.kind === 'macvlan') {
    const mode: MacvlanMode | number | undefined = link.info.data?.mode;
    return String(mode);
  }
  if (link.info?.kind === 'macvtap') return String(link.info.data?.flags);
  if (link.info?.kind === 'veth') {
    const peer: VethData['peer'] = link.info.data?.peer;
    return peer?.name;
  }
  if (link.info?.kind === 'bridge') return String(link.info.data?.stpState);
  if (link.info?.kind === 'vxlan') return String(link.info.data?.id);
  if (link.info?.kind === 'vlan') return String(link.info.data?.id);
  if (link.info?.kind === 'ipvlan') return String(link.info.data?.mode);
  if (link.info?.kind === 'dummy') return 'dummy';
  if (link.info?.kind === 'tun') return String(link.info.data?.type);
  if (link.info?.kind === 'wireguard') {
    const raw: Uint8Array | undefined = link.info.data;
    return String(raw?.length);
  }
  if (link.info?.slaveKind === 'bridge') {
    const port: BridgePortData | undefined = link.info.slaveData;
    return String(port?.hairpin);
  }
  // @ts-expect-error: the data of an un-narrowed link is a union: no `mode` on it
  link.info?.data?.mode;
  // @ts-expect-error: a typo in a kind is a compile error
  if (link.info?.kind === 'macvlna') return 'never';
  return undefined;
}

export function vethHasNoMode(link: Link): void {
  if (link.info?.kind === 'veth') {
    // @ts-expect-error: a veth's data has no macvlan mode
    link.info.data?.mode;
  }
}

export async function calls(rt: RtNetlink): Promise<[Link, Address, Route, Neighbour]> {
  const made: Link = await rt.link.add({ name: 'mv1', kind: 'macvlan', parent: 'eth0', macvlan: { mode: 'bridge' } });
  await rt.link.add({ kind: 'veth', veth: { peer: { name: 'v1' } } });
  await rt.link.add({ kind: 'vxlan', vxlan: { id: 42, link: 'eth0' } });
  await rt.link.add({ kind: 'ifb', name: 'ifb9' });
  // @ts-expect-error: kind/options mismatch
  await rt.link.add({ kind: 'veth', macvlan: { mode: 'bridge' } });
  // @ts-expect-error: a macvlan needs its parent
  await rt.link.add({ kind: 'macvlan', macvlan: { mode: 'bridge' } });
  // @ts-expect-error: a typo in a kind
  await rt.link.add({ kind: 'macvlam', parent: 'eth0' });
  // @ts-expect-error: a mode that does not exist
  await rt.link.add({ kind: 'macvlan', parent: 'eth0', macvlan: { mode: 'vepa2' } });
  await rt.link.set('mv1', { bridgePort: { hairpin: true } });
  const address: Address = await rt.address.add({ dev: 'mv1', address: '192.0.2.5/24', validLft: 'forever' });
  // @ts-expect-error: one object per call
  await rt.address.add('mv1', '192.0.2.5/24');
  const route: Route = await rt.route.add({ dst: 'default', gateway: '192.0.2.1' });
  const neighbour: Neighbour = await rt.neighbour.add({ dev: 'mv1', address: '192.0.2.1', lladdr: '02:00:00:00:00:01' });
  await rt.neighbour.delete({ dev: 'mv1', address: '192.0.2.1' });
  return [made, address, route, neighbour];
}

export function options(kind: 'bridge'): AddLinkOptions {
  return { kind, name: 'br0', bridge: { stpState: 1 } };
}

export async function errors(): Promise<string> {
  try {
    const rt = await RtNetlink.open({ netns: 'ns01' });
    rt.close();
    return 'ok';
  } catch (e) {
    return e instanceof NetlinkError ? `${e.code} ${e.kernelMessage ?? ''}` : 'other';
  }
}
