// 200 namespaces added and deleted, sockets opened and closed inside each: nothing grows.
// Other test files run at the same time in the same mount namespace, so /run/netns and the
// mount table are counted for this file's namespaces and for /run/netns itself only.
import t from 'tap';
import dgram from 'node:dgram';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { RtNetlink, NetNS } from '../src/index.js';
import { fdCount, kernel, uniqueName } from './helpers/kernel.js';

const prefix = uniqueName('lk');
const mountPoints = (): string[] =>
  readFileSync('/proc/self/mountinfo', 'utf8').trim().split('\n').map((l) => l.split(' ')[4])
    .filter((at) => at === '/run/netns' || at.startsWith(`/run/netns/${prefix}`));
const ourFiles = (): string[] => readdirSync('/run/netns').filter((f) => f.startsWith(prefix));
const threadNs = (): string => readlinkSync('/proc/thread-self/ns/net');

t.test('add, use and delete 200 namespaces: no growth in fds, mounts or /run/netns', kernel, async (t) => {
  const home = threadNs();
  // One round first: /run/netns becomes a mount point once, and libraries load.
  await NetNS.add(`${prefix}w`);
  (await RtNetlink.open({ netns: `${prefix}w` })).close();
  await NetNS.delete(`${prefix}w`);
  const before = { fds: fdCount(), mounts: mountPoints(), files: ourFiles() };
  t.teardown(async () => { for (const f of ourFiles()) await NetNS.delete(f).catch(() => undefined); });
  let links = 0;
  for (let i = 0; i < 200; i++) {
    const name = `${prefix}-${i}`;
    await NetNS.add(name);
    {
      await using rt = await RtNetlink.open({ netns: name });
      links += (await rt.link.list()).length;
    }
    const udp = NetNS.enter(name, () => dgram.createSocket({ type: 'udp4', lookup: NetNS.lookup }).bind(0, '0.0.0.0'));
    udp.close();
    if (threadNs() !== home) t.fail(`thread left home at round ${i}`);
    await NetNS.delete(name);
  }
  t.equal(links, 200, 'each socket saw its fresh namespace (lo only)');
  await new Promise((r) => setImmediate(r)); // let the UDP handles' close callbacks run
  t.same({ fds: fdCount(), mounts: mountPoints(), files: ourFiles() }, before, 'fds, mounts and files as before');
  t.equal(threadNs(), home, 'the thread is home');
});
