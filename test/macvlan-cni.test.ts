// examples/cni-like.ts against the real kernel: ADD makes the interface in the container with
// its final name, address and default route; a failing ADD leaves nothing; DEL is idempotent.
import t from 'tap';
import { cmdAdd, cmdDel } from '../examples/cni-like.js';
import { ip, ipJson, kernel, scratchNetns, vethPair } from './helpers/kernel.js';

const names = (netns: string): string[] => ipJson<Array<{ ifname: string }>>(['link', 'show'], { netns }).map((l) => l.ifname).sort();

t.test('CNI-like ADD, failed ADD rolled back, DEL twice', kernel, async (t) => {
  const host = scratchNetns(t, 'cnih');
  const ctr = scratchNetns(t, 'cnic');
  vethPair(host, 'eth0', 'uplink');
  const hostBefore = names(host);

  const res = await cmdAdd({ master: 'eth0', masterNetns: host, containerNetns: ctr, ifName: 'eth0', address: '192.0.2.10/24', gateway: '192.0.2.1' });
  const l = ipJson<Array<{ ifname: string; address: string; linkinfo: { info_data: { mode: string } } }>>(['-d', 'link', 'show', 'eth0'], { netns: ctr })[0];
  t.equal(l.linkinfo.info_data.mode, 'bridge');
  t.same(res.interfaces, [{ name: 'eth0', mac: l.address, sandbox: ctr }]);
  t.match(ip(['-4', 'addr', 'show', 'eth0'], { netns: ctr }), 'inet 192.0.2.10/24');
  t.match(ip(['route', 'show', 'default'], { netns: ctr }), 'default via 192.0.2.1 dev eth0');

  await t.rejects(
    cmdAdd({ master: 'eth0', masterNetns: host, containerNetns: ctr, ifName: 'net1', address: '192.0.2.11/24', gateway: '203.0.113.1' }),
    { message: /^CNI ADD net1: .*invalid gateway/ },
  );
  t.same(names(ctr), ['eth0', 'lo'], 'the failed ADD left nothing, not even its temporary name');
  t.same(names(host), hostBefore, 'nothing on the host side either');

  await cmdDel(ctr, 'eth0');
  t.same(names(ctr), ['lo']);
  await cmdDel(ctr, 'eth0');
  t.pass('a second DEL succeeds');
});
