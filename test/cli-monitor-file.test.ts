// `rtnl monitor file FILE` against `ip monitor file FILE`: a recording made by iproute2's rtmon
// of one change of every kind, printed by both under each option and word set, in a namespace of
// nothing but lo (ip asks the kernel it runs under for the names the file has not told: `ifN`
// there for both); then files that end early, hold what neither reads, or what ip prints and
// rtnl cannot.
import t, { type Test } from 'tap';
import { appendFileSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { IP, RTNL, RTNL_BIN, type Result } from './helpers/cli.js';
import { everyFamilyChanges, ip, kernel, noDad, scratchNetns, uniqueName } from './helpers/kernel.js';
import { rtmonRecording } from './helpers/watch.js';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Writer } from '../codecs/netlink/writer.js';
import { RTM_NEWLINK, RTM_NEWNEIGH } from '../codecs/route/constants.js';
import { encodeLink, type Link } from '../codecs/route/link.js';
import { VF_SETTING_UNKNOWN, type VfInfo } from '../codecs/route/link-vf.js';

/** Changes of every family rtmon hears (not RTNLGRP_STATS: past its 32 groups), in both address families. */
function changes(ns: string, other: string): void {
  ip(['link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1'], { netns: ns });
  ip(['link', 'set', 'p0', 'up'], { netns: ns });
  everyFamilyChanges(ns, other, false);
  for (const line of [
    'link add br0 type bridge', 'link set p1 master br0', 'link set br0 up', 'link set p1 up',
    'address add 2001:db8::10/64 dev p0 nodad', 'route add 2001:db8:5::/64 via 2001:db8::1',
    'neigh add 2001:db8::20 lladdr 02:00:00:00:00:21 dev p0', '-6 rule add pref 100 from 2001:db8::/64 table 5',
    'rule add pref 100 from 192.0.2.0/24 table 5', 'address add 192.0.2.10/24 dev p0',
    'nexthop add id 1 via 192.0.2.1 dev p0', 'nexthop add id 2 via 2001:db8::1 dev p0', 'route add 203.0.113.0/24 nhid 1', 'nexthop flush',
    'link set p0 type veth', 'link del br0',
  ]) ip(line.split(' '), { netns: ns });
  ip(['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.conf.p0.forwarding=1']);
}

let recorded: Promise<{ file: string; ns: string }> | undefined;
/** One recording for every test of the file, and the namespace it recorded (both removed when the file's tests end). */
function recordingIn(): Promise<{ file: string; ns: string }> {
  return recorded ??= (async () => {
    const ns = scratchNetns(t, 'cfr');
    const other = scratchNetns(t, 'cfo');
    noDad(ns);
    return { file: await rtmonRecording(t, ns, () => changes(ns, other)), ns };
  })();
}
const recording = async (): Promise<string> => (await recordingIn()).file;

/**
 * ip names namespaces by asking the kernel the id of each file in /run/netns: one another test
 * file is removing meanwhile is no namespace any more, and ip prints the kernel's refusal.
 */
const raced = (stderr: string): string => stderr.replace(/^Error: Peer netns reference is invalid\.\n/gm, '');

const same = (t: Test, ours: Result, theirs: Result, what: string): void => {
  t.same({ status: ours.status, stdout: ours.stdout, stderr: ours.stderr }, { status: theirs.status, stdout: theirs.stdout, stderr: raced(theirs.stderr) }, what);
};

t.test('rtnl monitor file prints a recording as ip prints it, under every option and word set', kernel, async (t) => {
  const file = await recording();
  const empty = scratchNetns(t, 'cfe');
  const text = (await IP.run(['-n', empty, 'monitor', 'file', file])).stdout;
  for (const seen of [/^Timestamp: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} \d+ us$/m, /mv1@p0: /, /^Deleted 192\.0\.2\.20 dev mv1 /m,
    /^inet if\d+ forwarding/m, /^nsid 7 /m, /^id 2 via 2001:db8::1 dev p0 /m, /from 192\.0\.2\.0\/24 lookup 5/, /master br0/]) {
    t.match(text, seen, `the recording holds ${String(seen)}`);
  }
  for (const opts of [[], ['-d'], ['-s'], ['-4'], ['-6'], ['-0'], ['-br'], ['-o'], ['-N'], ['-c'], ['-d', '-s', '-h']]) {
    for (const words of [[], ['label'], ['all'], ['link', 'address'], ['dev', 'lo'], ['label', 'dev', 'lo']]) {
      const args = ['-n', empty, ...opts, 'monitor', ...words, 'file', file];
      same(t, await RTNL.run(args), await IP.run(args), `rtnl ${args.slice(2).join(' ')}`);
    }
  }
  // The command as installed (one bundled file) too.
  const args = ['-n', empty, '-d', 'monitor', 'file', file];
  same(t, await RTNL_BIN.run(args), await IP.run(args), 'the rtnl program');
  t.match((await IP.run(args)).stdout, /^unicast 203\.0\.113\.0\/24 nhid 1 via 192\.0\.2\.1 dev p0 /m, '-d: a route naming a nexthop object the file told');
});

t.test('in the namespace recorded: the names the file has not told are asked of it, by both', kernel, async (t) => {
  const { file, ns } = await recordingIn();
  for (const opts of [[], ['-d'], ['label']]) {
    const args = ['-n', ns, ...opts.filter((o) => o.startsWith('-')), 'monitor', ...opts.filter((o) => !o.startsWith('-')), 'file', file];
    const theirs = await IP.run(args);
    t.match(theirs.stdout, /^(\[NETCONF\])?inet p0 forwarding/m, 'p0\'s settings, told before p0, named by asking');
    same(t, await RTNL.run(args), theirs, `rtnl ${args.slice(2).join(' ')}`);
  }
});

t.test('-t and -ts monitor file: the printing\'s time before each message (where ip prints its own), the file\'s stamps as they are', kernel, async (t) => {
  const file = await recording();
  const empty = scratchNetns(t, 'cft');
  const now = (s: string): string => s.replace(/^Timestamp: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} \d+ usec$/gm, 'Timestamp: NOW usec')
    .replace(/\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\] /g, '[NOW] ');
  for (const opts of [['-t'], ['-ts'], ['-ts', '-4'], ['-t', 'label', 'dev', 'lo']]) {
    const args = ['-n', empty, ...opts.filter((o) => o.startsWith('-')), 'monitor', ...opts.filter((o) => !o.startsWith('-')), 'file', file];
    const [ours, theirs] = [await RTNL.run(args), await IP.run(args)];
    t.match(now(ours.stdout), opts[0] === '-t' ? /^Timestamp: NOW usec$/m : /^\[NOW\] /m, 'the printing\'s time');
    same(t, { ...ours, stdout: now(ours.stdout) }, { ...theirs, stdout: now(theirs.stdout) }, `rtnl ${args.slice(2).join(' ')}, the times aside`);
  }
});

t.test('-j monitor file: one JSON object a line, rtmon\'s time stamps as objects of their own', kernel, async (t) => {
  const file = await recording();
  const r = await RTNL.run(['-j', 'monitor', 'file', file]);
  t.equal(r.status, 0);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const bytes = readFileSync(file);
  t.match(lines[0], { event: 'stamp', seconds: bytes.readUInt32LE(16), microseconds: bytes.readUInt32LE(20) }, 'the file\'s first message, its seconds and microseconds');
  t.match(lines.find((l) => l.ifname === 'mv1'), { event: 'new', object: 'link', link: 'p0' }, 'a link, told new the first time');
  t.ok(lines.some((l) => l.event === 'del' && l.object === 'neighbour' && l.dst === '192.0.2.20'), 'a neighbour deleted');
  // Under -4 and dev, what is left out is left out whole: no object, no headers.
  const v4 = (await RTNL.run(['-j', '-4', 'monitor', 'file', file])).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.notOk(v4.some((l) => l.object === 'route' && String(l.dst).includes(':')), '-4: no IPv6 route');
  t.ok(v4.some((l) => l.object === 'route'), '-4: IPv4 routes');
  const lo = (await RTNL.run(['-j', 'monitor', 'label', 'dev', 'lo', 'file', file])).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.same([...new Set(lo.map((l) => l.object ?? l.event))].sort(), ['link', 'nexthop', 'nsid', 'rule', 'stamp'], 'dev lo: lo\'s line, the stamps, and the rules, nexthop objects and nsids (on no link), nothing of the rest');
});

t.test('a file that ends in the middle of a message, or claims more than it holds: what came before, then status 255 as ip', kernel, async (t) => {
  const file = await recording();
  const cut = `${file}.cut`;
  const whole = readFileSync(file);
  t.teardown(() => { for (const f of [cut, `${file}.long`]) rmSync(f, { force: true }); });
  writeFileSync(cut, whole.subarray(0, whole.length - 6));
  const ours = await RTNL.run(['monitor', 'file', cut]);
  const theirs = await IP.run(['monitor', 'file', cut]);
  t.equal(ours.status, 255);
  t.equal(ours.stdout, theirs.stdout, 'every message before the cut printed');
  // ip's Unknown message lines (a bridge's multicast database entries: neither reads them), then each one's own last word.
  const last = (e: string): [string[], string] => { const l = e.trimEnd().split('\n'); return [l.slice(0, -1), l.at(-1) ?? '']; };
  t.same(last(ours.stderr)[0], last(theirs.stderr)[0], 'the same lines before');
  t.equal(last(theirs.stderr)[1], 'rtnl-from_file: truncated message');
  t.match(last(ours.stderr)[1], new RegExp(`^rtnl: ${cut}: undecodable recording: message claims \\d+ bytes, \\d+ remain \\(at byte \\d+\\)$`));
  copyFileSync(file, `${file}.long`);
  appendFileSync(`${file}.long`, Buffer.from([8, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
  const long = await RTNL.run(['monitor', 'file', `${file}.long`]);
  t.equal(long.status, 255, 'a length shorter than a header');
  t.equal(long.stdout, (await IP.run(['monitor', 'file', file])).stdout, 'after the whole recording');
  const missing = await RTNL.run(['monitor', 'file', `${file}.none`]);
  same(t, missing, await IP.run(['monitor', 'file', `${file}.none`]), 'a file that is not there: ip\'s words and status');
});

/** A message of `type` with `payload`, padded as rtmon writes it. */
function message(type: number, payload: Buffer, flags = 0): Buffer {
  const head = Buffer.alloc(16);
  head.writeUInt32LE(16 + payload.length, 0);
  head.writeUInt16LE(type, 4);
  head.writeUInt16LE(flags, 6);
  return Buffer.concat([head, payload, Buffer.alloc((4 - (payload.length % 4)) % 4)]);
}

t.test('what neither reads: ip\'s Unknown message line; what ip prints and rtnl cannot: said, status 1; control messages passed over', kernel, async (t) => {
  const file = await recording();
  const more = `${file}.more`;
  t.teardown(() => rmSync(more, { force: true }));
  // An address label (ifaddrlblmsg: 2001:db8::/64 label 7), an unknown type, an ack, a multicast route (rtmsg, family RTNL_FAMILY_IPMR).
  const label = Buffer.concat([Buffer.from([10, 0, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('1400010020010db8000000000000000000000000', 'hex'), Buffer.from('0800020007000000', 'hex')]);
  const mroute = Buffer.from([128, 32, 0, 0, 254, 3, 0, 5, 0, 0, 0, 0]); // RTN_MULTICAST, as ip expects of one
  // What ip prints and rtnl does not read first: a later Unknown message leaves the status 1.
  const solicit = Buffer.from([2, 0, 0, 0, 1, 0, 0, 0, 0x01, 0, 0, 0]); // ndmsg: AF_INET, link 1, NUD_INCOMPLETE
  const bucket = Buffer.from([10, 0, 0, 0, 0, 0, 0, 0]); // nhmsg
  writeFileSync(more, Buffer.concat([readFileSync(file), message(72, label), message(73, label), message(116, bucket), message(117, bucket), message(30, solicit),
    message(24, mroute), message(200, Buffer.from([1, 2, 3, 4]), 5), message(2, Buffer.alloc(20))]));
  const ours = await RTNL.run(['monitor', 'file', more]);
  const theirs = await IP.run(['monitor', 'file', more]);
  t.equal(ours.status, 1, 'rtnl: 1 (ip: 0, having printed them)');
  t.equal(theirs.status, 0);
  // The neighbour solicitation asked of user space: ip's `miss` line, printed by both.
  const miss = theirs.stdout.split('\n').find((l) => l.startsWith('miss '));
  t.equal(miss, 'miss dev lo INCOMPLETE ', 'ip prints the solicitation');
  t.equal(ours.stdout, `${(await IP.run(['monitor', 'file', file])).stdout}${miss}\n`, 'the recording printed, the solicitation as ip prints it, nothing for what rtnl does not read');
  t.match(theirs.stdout, /prefix 2001:db8::\/64 label 7/, 'ip prints the label');
  // ip's Unknown message lines word for word (the bridge's multicast database entries, neither reads them, and type 200), then what rtnl says.
  t.match(theirs.stderr, /Unknown message: type=0x000000c8\(200\) flags=0x00000005\(5\) len=0x00000014\(20\)\n$/);
  const not = (what: string): string => `rtnl: monitor file: ${what} is not printed (rtnl does not read it as ip does)\n`;
  t.equal(ours.stderr, theirs.stderr.replace(/Unknown message: type=0x000000c8.*\n/, `${['an address label', 'an address label', 'a nexthop bucket', 'a nexthop bucket',
    'a multicast route'].map(not).join('')}$&`), 'each said in its place, ip\'s lines around them');
});

/** An RTM_NEWLINK of `link`, as rtmon records one. */
function linkMessage(link: Partial<Link>): Buffer {
  const w = new Writer();
  encodeLink(w, { family: 0, type: 1, flags: ['up', 'lower_up', 'running'], mtu: 1500, address: '02:00:00:00:00:01', broadcast: 'ff:ff:ff:ff:ff:ff', ...link });
  return message(RTM_NEWLINK, Buffer.from(w.finish()));
}

/** An RTM_NEWNEIGH payload: ndmsg (AF_INET, `ifindex`, NUD_REACHABLE), NDA_DST, NDA_LLADDR. */
function neighbour(ifindex: number, dst: number[], lladdr: number[]): Buffer {
  const head = Buffer.alloc(12);
  head[0] = 2;
  head.writeInt32LE(ifindex, 4);
  head.writeUInt16LE(2, 8);
  const attr = (type: number, v: number[]): Buffer => Buffer.concat([Buffer.from([4 + v.length, 0, type, 0]), Buffer.from(v), Buffer.alloc((4 - (v.length % 4)) % 4)]);
  return Buffer.concat([head, attr(1, dst), attr(2, lladdr)]);
}

/** VF 0 with what every driver tells; VF 1 with the rest (a VLAN list, rates, GUIDs, settings on, counters with drops). */
const mac = (vf: number, last: number): { vf: number; address: Uint8Array } => ({ vf, address: Uint8Array.from({ length: 32 }, (_, i) => [2, 0, 0, 0, 0, last][i] ?? 0) });
const vf0: VfInfo = {
  mac: mac(0, 0x10), vlan: { vf: 0, vlan: 0, qos: 0 }, txRate: { vf: 0, rate: 0 }, spoofchk: { vf: 0, setting: 1 }, linkState: { vf: 0, linkState: 0 },
  rate: { vf: 0, minTxRate: 0, maxTxRate: 0 }, rssQueryEn: { vf: 0, setting: 0 }, trust: { vf: 0, setting: VF_SETTING_UNKNOWN },
  stats: { rxPackets: 1n, txPackets: 2n, rxBytes: 300n, txBytes: 4000n, broadcast: 5n, multicast: 6n }, broadcast: Uint8Array.from({ length: 32 }, (_, i) => (i < 6 ? 0xff : 0)),
};
const vf1: VfInfo = {
  mac: mac(1, 0x11), vlan: { vf: 1, vlan: 100, qos: 2 }, vlanList: [{ vf: 1, vlan: 100, qos: 2, protocol: '802.1ad' }, { vf: 1, vlan: 7, qos: 0, protocol: 0x0800 }],
  txRate: { vf: 1, rate: 1000 }, spoofchk: { vf: 1, setting: VF_SETTING_UNKNOWN }, linkState: { vf: 1, linkState: 2 }, rate: { vf: 1, minTxRate: 10, maxTxRate: 1000 },
  rssQueryEn: { vf: 1, setting: 1 }, trust: { vf: 1, setting: 1 }, ibNodeGuid: { vf: 1, guid: 0x0102030405060708n }, ibPortGuid: { vf: 1, guid: 0x1122334455667788n },
  stats: { rxPackets: 10n, txPackets: 20n, rxBytes: 3000000n, txBytes: 40n, broadcast: 50n, multicast: 60n, rxDropped: 7n, txDropped: 8n },
};

t.test('what this kernel\'s drivers never send, in a file: several XDP programs, an XDP mode ip does not know, a switch port\'s ids, SR-IOV VFs, tunnels; printed by both', kernel, async (t) => {
  const file = join(tmpdir(), `${uniqueName('crafted')}.bin`);
  t.teardown(() => rmSync(file, { force: true }));
  // Program ids past INT_MAX, which the kernel never gives: neither finds the program, both print the id alone.
  writeFileSync(file, Buffer.concat([
    linkMessage({ index: 7, name: 'x0', xdp: { attached: 'multi', drvProgId: 0xfffffff0, offloadProgId: 0xfffffff1 } }),
    linkMessage({ index: 8, name: 'x1', xdp: { attached: 9, progId: 0xfffffff2 } }),
    linkMessage({ index: 9, name: 'sw0p1', physPortName: 'p1', physPortId: Uint8Array.from([0xde, 0xad]), physSwitchId: Uint8Array.from({ length: 32 }, (_, i) => i) }),
    linkMessage({ index: 10, name: 'pf0', numVf: 2, vfInfoList: [vf0, vf1] }),
    linkMessage({ index: 11, name: 'pf1', numVf: 3, vfInfoList: [vf0] }), // truncated: ip warns
    linkMessage({ index: 12, name: 'pf2', flags: ['up', 'pointopoint'], numVf: 1, vfInfoList: [vf0] }),
    // Tunnels (no tunnel driver here): their ends as IP addresses; link types by ip's names.
    linkMessage({ index: 14, name: 'g0', type: 0x30a, flags: ['up', 'pointopoint', 'noarp'], address: 'c0:00:02:01', broadcast: 'c6:33:64:01' }),
    linkMessage({ index: 15, name: 'g6', type: 0x337, flags: ['up', 'pointopoint', 'noarp'], address: '20:01:0d:b8:00:00:00:00:00:00:00:00:00:00:00:01', broadcast: '20:01:0d:b8:00:00:00:00:00:00:00:00:00:00:00:02' }),
    linkMessage({ index: 16, name: 'w0', type: 0x321 }),
    linkMessage({ index: 17, name: 't0', type: 0x300, address: '02:00:00:00:00:11' }), // an ipip link's address of another length: bytes
    // Neighbours on them: on the gre link its lladdr (the other end) is an address too, as ip's ll_index_to_type() gives it.
    message(RTM_NEWNEIGH, neighbour(14, [203, 0, 113, 7], [198, 51, 100, 7])),
    message(RTM_NEWNEIGH, neighbour(16, [203, 0, 113, 8], [2, 0, 0, 0, 0, 8])),
    linkMessage({ index: 13, name: 'ib0', type: 32, address: '00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33', numVf: 1, vfInfoList: [{ ...vf0, vlan: { vf: 0, vlan: 5, qos: 0 } }] }),
  ]));
  const empty = scratchNetns(t, 'cfc');
  for (const opts of [[], ['-d'], ['-o'], ['-d', '-s'], ['-d', '-s', '-h'], ['-N', '-d'], ['-d', '-br'], ['-o', '-d', '-s']]) {
    const args = ['-n', empty, ...opts, 'monitor', 'file', file];
    same(t, await RTNL.run(args), await IP.run(args), args.slice(2).join(' '));
  }
  const d = (await IP.run(['-n', empty, '-d', 'monitor', 'file', file])).stdout;
  for (const seen of ['xdpmulti', '    prog/xdpoffload id 4294967281 ', 'xdp[9]/id:4294967282', 'portid dead switchid 000102', 'vlan protocol ip, tx rate 1000 (Mbps)',
    'link/infiniband', 'NODE_GUID 01:02:03:04:05:06:07:08', 'link/gre 192.0.2.1 peer 198.51.100.1', 'link/gre6 2001:db8::1 peer 2001:db8::2', 'link/ieee802.11 ',
    '203.0.113.7 dev g0 lladdr 198.51.100.7 REACHABLE', '203.0.113.8 dev w0 lladdr 02:00:00:00:00:08 REACHABLE']) {
    t.match(d, seen, `ip prints ${seen}`);
  }
  // ip 6.1's monitor prints no JSON; its listings' JSON for VFs (print_vfinfo) is rtnl's here.
  const json = (await RTNL.run(['-n', empty, '-j', '-d', '-s', 'monitor', 'file', file])).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.same(json.find((l) => l.ifname === 'pf0')?.vfinfo_list, [
    { vf: 0, link_type: 'ether', address: '02:00:00:00:00:10', broadcast: 'ff:ff:ff:ff:ff:ff', rate: { max_tx: 0, min_tx: 0 }, spoofchk: true, link_state: 'auto', query_rss_en: false,
      stats: { rx: { bytes: 300, packets: 1, multicast: 6, broadcast: 5 }, tx: { tx_bytes: 4000, tx_packets: 2 } } },
    { vf: 1, link_type: 'ether', address: '02:00:00:00:00:11', vlan_list: [{ vlan: 100, qos: 2, protocol: '802.1ad' }, { vlan: 7, protocol: 'ip' }], tx_rate: 1000,
      rate: { max_tx: 1000, min_tx: 10 }, 'node guid': '01:02:03:04:05:06:07:08', 'port guid': '11:22:33:44:55:66:77:88', link_state: 'disable', trust: true, query_rss_en: true,
      stats: { rx: { bytes: 3000000, packets: 10, multicast: 60, broadcast: 50, dropped: 7 }, tx: { tx_bytes: 40, tx_packets: 20, dropped: 8 } } },
  ]);
});

