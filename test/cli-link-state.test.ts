// `rtnl link set` with protodown and its reasons, the carrier, the GSO/GRO limits, the link mode
// and the operstate, against `ip link set`: each line run by ip in one namespace and by rtnl in
// its twin, one after the other, must print the same, exit the same and leave the links the same
// (ip -d -j shows them); the listings print what ip prints. Where rtnl differs on purpose (these
// words at creation, where the kernel passes over protodown and the carrier), that is shown too.
import t, { type Test } from 'tap';
import { batchFile, IP, RTNL, sameLines, split } from './helpers/cli.js';
import { ip, kernel, scratchNetns } from './helpers/kernel.js';

/** The links as ip -d -j lists them (their counters left out). */
const state = (ns: string): string => JSON.stringify(JSON.parse(ip(['-d', '-j', 'link', 'show'], { netns: ns })), (k, v: unknown) => (k === 'stats64' ? undefined : v));

/** A veth pair and a macvlan on it, every address fixed, so that the twins print alike. */
function twin(t: Test): string {
  const ns = scratchNetns(t, 'cls');
  ip(['link', 'add', 'p0', 'address', '02:00:00:00:00:01', 'type', 'veth', 'peer', 'name', 'p1', 'address', '02:00:00:00:00:02'], { netns: ns });
  ip(['link', 'add', 'link', 'p0', 'name', 'mv0', 'address', '02:00:00:00:00:10', 'type', 'macvlan', 'mode', 'bridge'], { netns: ns });
  return ns;
}

t.test('protodown, its reasons, the carrier, the GSO/GRO limits, mode and state: what ip does and says', kernel, async (t) => {
  // A bad `protodown` fails its command, not the program: with -force a batch goes on (EINVAL, as ip's parse_on_off() returns it).
  const batch = batchFile(t, ['link set mv0 protodown maybe', 'link set mv0 protodown on', 'link set mv0 carrier x', 'link set mv0 protodown off']);
  await sameLines(t, [['-force', '-batch', batch], ...split(`
    link set mv0 protodown on
    link set mv0 protodown_reason 3 on
    -d link show mv0
    -j -d link show mv0
    link show
    link set mv0 protodown off
    link set mv0 protodown_reason 0x1 o protodown_reason 7 on
    -d link show mv0
    -N -d link show mv0
    link set mv0 protodown_reason 3 of
    link set mv0 protodown_reason 7 off
    link set mv0 protodown_reason 5 o
    -d link show mv0
    link set mv0 protodown_reason 5 off
    link set mv0 protodown off
    -d link show mv0
    link set mv0 gso_max_size 32000 gso_max_segs 100 gro_max_size 40000
    link set mv0 mode dormant state dormant
    link set dev mv0 mode DEFAULT state UP
    -d link show mv0
    link set p0 protodown on
    link set p0 carrier off
    link set mv0 protodown
    link set mv0 protodown maybe
    link set mv0 protodown_reason 32 on
    link set mv0 protodown_reason -1 on
    link set mv0 protodown_reason frr on
    link set mv0 protodown_reason 1 maybe
    link set mv0 mode testing
    link set mv0 state bogus
    link set mv0 gso_max_segs 65536
    link set mv0 gso_max_size 0x10000
    link set mv0 gro_max_size x
  `)], twin, state, RTNL);
});

t.test('at creation: the limits and the mode as ip sends them; protodown and the carrier refused, where the kernel would pass over them', kernel, async (t) => {
  await sameLines(t, split(`
    link add link p0 name mv1 address 02:00:00:00:00:11 gso_max_size 30000 gro_max_size 50000 mode dormant type macvlan
    -d link show mv1
  `), twin, state, RTNL);
  const ns = twin(t);
  for (const words of [['protodown', 'on'], ['protodown_reason', '1', 'on'], ['carrier', 'off']]) {
    const r = await RTNL.run(['-n', ns, 'link', 'add', 'link', 'p0', 'name', 'mv2', ...words, 'type', 'macvlan']);
    t.same(r, { status: 255, stdout: '', stderr: 'rtnl: protodown, protodown_reason, carrier, vf and xdp are taken by "link set" only (the kernel passes over them at creation)\n' }, words.join(' '));
  }
  const peer = await RTNL.run(['-n', ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1', 'protodown', 'on']);
  t.equal(peer.status, 255, 'nor for a veth peer');
  t.notMatch(ip(['link', 'show'], { netns: ns }), /: (mv2|v0|v1)@/, 'nothing made');
});

t.test('index N as ip reads it (atoi): at creation, for a veth peer beside the link\'s own; refused for a link that stays', kernel, async (t) => {
  await sameLines(t, split(`
    link add v0 address 02:00:00:00:00:20 index 100 type veth peer name v1 address 02:00:00:00:00:21 index 101
    link add link p0 name m1 address 02:00:00:00:00:22 index 2147483647 type macvlan
    link add link p0 name m2 address 02:00:00:00:00:23 index 7x type macvlan
    link add link p0 name m3 address 02:00:00:00:00:24 index 4294967301 type macvlan
    link add link p0 name m4 index 0 type macvlan
    link add link p0 name m4 index -5 type macvlan
    link add link p0 name m4 index 2147483648 type macvlan
    link add link p0 name m4 index 9 index 8 type macvlan
    link add link p0 name m4 index type macvlan
    link set m1 index 9
    link del m1 index 3
    link set group 0 index 3
    link set nosuch index 3
    -d link show
  `), twin, state, RTNL);
  const ns = twin(t);
  const taken = await RTNL.run(['-n', ns, 'link', 'add', 'link', 'p0', 'name', 'm5', 'index', '4', 'type', 'macvlan']);
  t.same(taken, { status: 2, stdout: '', stderr: 'RTNETLINK answers: File exists (index 4 is link "mv0"\'s)\n' }, 'ip says File exists; rtnl says which link has it');
  const peerAlone = await RTNL.run(['-n', ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1', 'index', '100']);
  t.same(peerAlone, { status: 2, stdout: '', stderr: "veth.peer.index needs index too: the kernel takes the peer's only beside the link's own\n" }, 'a peer\'s index alone: refused, where ip sends it and the kernel passes over it');
  t.notMatch(ip(['link', 'show'], { netns: ns }), /: (m5|v0|v1)[@:]/, 'nothing made');
});

t.test('link add ... link-netns NAME: a macvlan on a parent in another namespace, as ip makes it', kernel, async (t) => {
  const hosts = [scratchNetns(t, 'cln'), scratchNetns(t, 'cln')];
  for (const h of hosts) ip(['link', 'add', 'p1', 'address', '02:00:00:00:00:01', 'type', 'veth', 'peer', 'name', 'p0', 'address', '02:00:00:00:00:02'], { netns: h });
  const containers = hosts.map(() => {
    const ns = scratchNetns(t, 'clc');
    ip(['link', 'add', 'q0', 'address', '02:00:00:00:00:03', 'type', 'veth', 'peer', 'name', 'q1', 'address', '02:00:00:00:00:04'], { netns: ns });
    return ns;
  });
  // The twins' host namespaces have names of their own: HOST stands for each one's.
  const lines = split(`
    link add mv0 address 02:00:00:00:00:05 link if3 link-netns HOST type macvlan mode bridge
    link add mv1 address 02:00:00:00:00:06 link if3 link-netns HOST type macvtap mode vepa
    link add mv2 link if3 link-netns rtnl-no-such-ns type macvlan
    link add mv2 link if3 link-netns HOST link-netns HOST type macvlan
    link add mv3 link if9 link-netns HOST type macvlan
    link add mv4 address 02:00:00:00:00:07 link if3 link-netnsid 0 type macvlan mode private
    link add mv7 link if3 link-netnsid 9 type macvlan
    link add mv7 link if3 link-netnsid x type macvlan
    link add mv7 link if3 link-netns HOST link-netnsid 0 type macvlan
  `);
  const [theirs, ours] = [0, 1].map((i) => lines.map((words) => words.map((w) => (w === 'HOST' ? hosts[i] : w))));
  for (let i = 0; i < lines.length; i++) {
    const [a, b] = [await IP.run(['-n', containers[0], ...theirs[i]]), await RTNL.run(['-n', containers[1], ...ours[i]])];
    t.same([b.status, b.stdout, b.stderr.replace(hosts[1], 'HOST')], [a.status, a.stdout, a.stderr.replace(hosts[0], 'HOST')], lines[i].join(' '));
  }
  t.equal(state(containers[1]), state(containers[0]), 'the same links, their parents\' namespace by the same id');
  // On purpose: the parent's name is looked up where it is (ip looks it up here, where there is no p0);
  // link-netns without a parent, or with link set, which the kernel passes over, is refused.
  const byName = await RTNL.run(['-n', containers[1], 'link', 'add', 'mv5', 'link', 'p0', 'link-netns', hosts[1], 'type', 'macvlan']);
  t.same([byName.status, (await IP.run(['-n', containers[0], 'link', 'add', 'mv5', 'link', 'p0', 'link-netns', hosts[0], 'type', 'macvlan'])).stderr], [0, 'Cannot find device "p0"\n']);
  t.match(ip(['-d', 'link', 'show', 'mv5'], { netns: containers[1] }), new RegExp(`mv5@if2: [^]* link-netns ${hosts[1]} `), 'on p0 (the peer made first: index 2) there');
  t.equal((await RTNL.run(['-n', containers[1], 'link', 'add', 'mv8', 'link', 'p0', 'link-netnsid', '0', 'type', 'macvlan'])).status, 0, 'by name with link-netnsid: found through the id');
  t.match(ip(['-d', 'link', 'show', 'mv8'], { netns: containers[1] }), new RegExp(`mv8@if2: [^]* link-netns ${hosts[1]} `));
  for (const [words, message] of [
    [['link', 'add', 'mv6', 'link-netns', hosts[1], 'type', 'macvlan'], 'rtnl: link-netns is where the parent ("link DEV") is: it takes one\n'],
    [['link', 'set', 'q0', 'link-netns', hosts[1]], 'rtnl: link-netns is taken by "link add" only (the kernel reads it when it makes a link)\n'],
  ] as const) {
    const r = await RTNL.run(['-n', containers[1], ...words]);
    t.same([r.status, r.stderr], [255, message], words.join(' '));
  }
});
