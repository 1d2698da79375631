// README's usage example (examples/tour.ts) runs as written, and iproute2 sees what it made.
import t from 'tap';
import { RtNetlink, NetNS } from '../src/index.js';
import { tour } from '../examples/tour.js';
import { ipJson, kernel, scratchNetns, uniqueName, vethPair } from './helpers/kernel.js';

t.test('the seed session of the README, through the library', kernel, async (t) => {
  const host = scratchNetns(t);
  vethPair(host, 'eth0', 'peer0');
  const ns = uniqueName('ns');
  t.teardown(() => NetNS.delete(ns).catch(() => undefined));
  await using rt = await RtNetlink.open({ netns: host });
  t.equal(await tour(rt, 'eth0', ns), 'macvlan1: macvlan mode private');
  const [link] = ipJson<Array<{ linkinfo: { info_kind: string; info_data: { mode: string } }; operstate: string }>>(['-d', 'link', 'show', 'macvlan1'], { netns: ns });
  t.same([link.linkinfo.info_kind, link.linkinfo.info_data.mode], ['macvlan', 'private']);
  const routes = ipJson<Array<{ dst: string; gateway?: string }>>(['route', 'show'], { netns: ns });
  t.same(routes.find((r) => r.dst === 'default')?.gateway, '192.0.2.1');
  const addrs = ipJson<Array<{ addr_info: Array<{ local: string; prefixlen: number }> }>>(['addr', 'show', 'macvlan1'], { netns: ns });
  t.same(addrs[0].addr_info.map((a) => `${a.local}/${a.prefixlen}`).filter((a) => a.startsWith('192.')), ['192.0.2.101/24']);
});
