// SR-IOV virtual functions: this machine has no SR-IOV device, so what can be shown here is the
// asking and the setting as far as the kernel reads it. `rt.link.list({ vfs: true })` and `get()`
// ask the kernel for VFs (RTEXT_FILTER_VF) as `ip link show` does, and rtnl's listings ask as ip's
// do (strace reads both requests). `rt.link.set(DEV, { vfs })` and `rtnl link set DEV vf N ...`
// send the bytes ip sends (strace again), which a veth refuses as it refuses ip's. How VFs decode
// and print is shown with bytes written by hand (test/link-codec.test.ts) and a file that ip and
// rtnl print alike (test/cli-monitor-file.test.ts).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { Writer } from '../codecs/netlink/writer.js';
import { encodeLink } from '../codecs/route/link.js';
import { vfsMessage } from '../src/api/link-vf.js';
import { Args } from '../src/cli/args.js';
import { vfArgs } from '../src/cli/vf-args.js';
import { InvalidArgumentError, NetlinkError, NotFoundError, RtNetlink } from '../src/index.js';
import { BIN, traced } from './helpers/cli.js';
import { ip, kernel, scratchNetns, vethPair } from './helpers/kernel.js';

const RTEXT_FILTER_VF = 1;

/**
 * The IFLA_EXT_MASK values of the RTM_GETLINK requests (type 0x12) a command sends, from the
 * bytes strace shows (it cannot decode a socket opened in another namespace): the attribute is
 * length 8, type 29 (0x1d), then the mask.
 */
function extMasks(words: string[]): number[] {
  const r = spawnSync('strace', ['-f', '-xx', '-e', 'trace=sendto,sendmsg', '-s', '4096', ...words], { encoding: 'utf8' });
  return r.stderr.split('\n').filter((l) => /nlmsg_type=(0x12|RTM_GETLINK)\b/.test(l))
    .flatMap((l) => [...l.matchAll(/\\x08\\x00\\x1d\\x00\\x([0-9a-f]{2})\\x00\\x00\\x00/g)].map((m) => parseInt(m[1], 16)));
}

t.test('rt.link.list({ vfs: true }) and get() ask for VFs; a link without any has neither numVf nor vfInfoList; vfs is true or false', kernel, async (t) => {
  const ns = scratchNetns(t, 'vfs');
  vethPair(ns, 'va', 'vb');
  const rt = await RtNetlink.open({ netns: ns });
  t.teardown(() => rt.close());
  const listed = await rt.link.list({ vfs: true });
  t.same(listed.map((l) => l.name).sort(), ['lo', 'va', 'vb']);
  t.ok(listed.every((l) => l.numVf === undefined && l.vfInfoList === undefined), 'no device here has VFs');
  t.equal((await rt.link.get('va', { vfs: true, stats: false })).name, 'va');
  await t.rejects(rt.link.list({ vfs: 'yes' } as never), { constructor: InvalidArgumentError, message: 'link filter: vfs is true or false, not "yes"' });
  await t.rejects(rt.link.get('va', { vfs: 1 } as never), { constructor: InvalidArgumentError, message: 'link "va": vfs is true or false, not 1' });
});

t.test('rtnl link show and address show ask the kernel for VFs, as ip does', kernel, async (t) => {
  const ns = scratchNetns(t, 'vfr');
  for (const words of [['link', 'show'], ['link', 'show', 'lo'], ['address', 'show'], ['-s', 'link', 'show']]) {
    const ours = extMasks([BIN, '-n', ns, ...words]);
    const theirs = extMasks(['ip', '-n', ns, ...words]);
    t.ok(theirs.length > 0 && theirs.every((m) => m & RTEXT_FILTER_VF), `ip ${words.join(' ')}: masks ${theirs.join(', ')}`);
    t.ok(ours.length > 0 && ours.every((m) => m & RTEXT_FILTER_VF), `rtnl ${words.join(' ')}: masks ${ours.join(', ')}`);
  }
});

t.test('rtnl link set DEV vf N ... sends the bytes ip sends, prints what ip prints and exits as ip does', kernel, async (t) => {
  const ns = scratchNetns(t, 'vfset');
  ip(['link', 'add', 'va', 'address', '02:00:00:00:00:01', 'type', 'veth', 'peer', 'name', 'vb'], { netns: ns });
  const sent = [
    'vf 0 mac 02:00:00:00:00:09',
    'vf 1 vlan 5 qos 2 rate 100 spoofchk on state enable query_rss on trust off node_guid 01:02:03:04:05:06:07:08 port_guid 11:22:33:44:55:66:77:88',
    'vf 0 min_tx_rate 10 max_tx_rate 100 trust on',
    'vf 0 min_tx_rate 10 max_tx_rate 0',
    'vf 0 rate 50 max_tx_rate 100 min_tx_rate 10',
    'vf 0 rate 50 min_tx_rate 10',
    'vf 0 vlan 7 proto 802.1ad',
    'vf 0 rate 0 vlan 7 proto 0x88a8',
    'vf 2 vlan 0 qos 0 proto 802.1q spoofchk off',
    'vf 3 sp o st d q of t on',
    'vf 0x10 node_guid +1:02:03:04:05:06:07:-0',
  ];
  const refused = [
    'vf 0 mac 02:00:00:00:09', 'vf 0 mac zz:00', 'vf 0', 'vf 0 up', 'vf x mac 02:00:00:00:00:09', 'vf 0 vlan 4096', 'vf 0 vlan 1 qos x',
    'vf 0 vlan 1 proto ip', 'vf 0 vlan 1 proto bogus', 'vf 0 state x', 'vf 0 node_guid 1:2', 'vf 0 port_guid 0x:02:03:04:05:06:07:08', 'vf 0 node_guid -1:02:03:04:05:06:07:08',
    'vf 0 min_tx_rate 200 max_tx_rate 100', 'vf 0 rate x', 'vf 0 max_tx_rate -', 'vf 0 spoofchk maybe', 'vf 0 trust',
  ];
  for (const line of [...sent, ...refused]) {
    const words = ['link', 'set', 'va', ...line.split(' ')];
    const theirs = traced(['ip', '-n', ns, ...words]);
    const ours = traced([BIN, '-n', ns, ...words]);
    t.same(ours, theirs, line);
    t.equal(theirs.sent.length, sent.includes(line) ? 1 : 0, `${line}: ${sent.includes(line) ? 'sent once' : 'refused before sending'}`);
  }
  t.same(traced([BIN, '-n', ns, 'link', 'set', 'vf', '0', 'mac', '02:00:00:00:00:09', 'dev', 'va']), traced(['ip', '-n', ns, 'link', 'set', 'vf', '0', 'mac', '02:00:00:00:00:09', 'dev', 'va']), 'vf before the device');
});

t.test('where rtnl link ... vf differs from ip: several VFs in one request; at creation and for a rate left half refused', kernel, async (t) => {
  const ns = scratchNetns(t, 'vfdiff');
  vethPair(ns, 'va', 'vb', false);
  // ip sends an IFLA_VFINFO_LIST a `vf`, of which the kernel reads the last; rtnl sends both VFs in one.
  const both = traced([BIN, '-n', ns, 'link', 'set', 'va', 'vf', '0', 'trust', 'on', 'vf', '1', 'trust', 'off']);
  t.equal(both.sent.length, 1);
  // After the ifinfomsg: IFLA_VFINFO_LIST { IFLA_VF_INFO { IFLA_VF_TRUST { vf 0, setting 1 } }, IFLA_VF_INFO { IFLA_VF_TRUST { vf 1, setting 0 } } }
  t.equal(both.sent[0].slice(32), '24001600' + '10000100' + '0c000900' + '00000000' + '01000000' + '10000100' + '0c000900' + '01000000' + '00000000');
  t.equal(both.stderr, 'RTNETLINK answers: Operation not supported\n');
  const add = traced([BIN, '-n', ns, 'link', 'add', 'vc', 'vf', '0', 'trust', 'on', 'type', 'veth', 'peer', 'name', 'vd']);
  t.same(add, { status: 255, stdout: '', stderr: 'rtnl: protodown, protodown_reason, carrier, vf and xdp are taken by "link set" only (the kernel passes over them at creation)\n', sent: [] });
  // ip fills the rate it was not given from the VF's listing; a device without VFs lists none, and ip sends what its stack held.
  const half = traced([BIN, '-n', ns, 'link', 'set', 'va', 'vf', '0', 'max_tx_rate', '100']);
  t.same(half, { status: 2, stdout: '', stderr: 'Cannot find VF 0: its minTxRate, not given, is kept as the device lists it\n', sent: [] });
  // The kernel holds one VLAN a VF; ip sends a list of two (refused by a driver with VFs as not supported).
  t.same(traced([BIN, '-n', ns, 'link', 'set', 'va', 'vf', '0', 'vlan', '3', 'proto', '802.1ad', 'vlan', '4']), {
    status: 255, stdout: '', stderr: 'rtnl: one VLAN a VF: the kernel takes one 802.1ad VLAN in the list (MAX_VLAN_LIST_LEN)\n', sent: [],
  });
  // ip sends VF 4294967295, which the kernel refuses (EINVAL); the library refuses it by name.
  t.same(traced([BIN, '-n', ns, 'link', 'set', 'va', 'vf', '-1', 'trust', 'on']), {
    status: 2, stdout: '', stderr: 'vf is the VF\'s number, an integer from 0 to 2147483646, not -1\n', sent: [],
  });
});

t.test('rt.link.set({ vfs }): the kernel judges the VFs of a device (a veth has none: EOPNOTSUPP); bad settings are refused by name before sending', kernel, async (t) => {
  const ns = scratchNetns(t, 'vflib');
  vethPair(ns, 'va', 'vb', false);
  ip(['link', 'set', 'va', 'group', '7'], { netns: ns });
  const rt = await RtNetlink.open({ netns: ns });
  t.teardown(() => rt.close());
  await t.rejects(rt.link.set('va', { vfs: [{ vf: 0, mac: '02:00:00:00:00:09', trust: true }] }), {
    constructor: NetlinkError, errno: 95, message: 'link "va": RTNETLINK answers: Operation not supported',
  });
  await t.rejects(rt.link.set('va', { vfs: [{ vf: 0, rate: { maxTxRate: 100 } }] }), {
    constructor: NotFoundError, message: 'link "va": vfs[0]: Cannot find VF 0: its minTxRate, not given, is kept as the device lists it',
  }, 'a rate given by half: the other read from the VF, which a veth does not list');
  await t.rejects(rt.link.set({ group: 7 }, { vfs: [{ vf: 0, rate: { minTxRate: 1 } }] }), {
    constructor: InvalidArgumentError, message: 'group 7: a VF rate for a whole group takes both minTxRate and maxTxRate',
  });
  await t.rejects(rt.link.add({ name: 'vc', kind: 'veth', vfs: [{ vf: 0, trust: true }] } as never), {
    constructor: InvalidArgumentError, message: /vfs is for a link that exists \(link\.set\(\)\)/,
  });
  const bad: Array<[unknown, string]> = [
    [{ vf: 0 }, 'vfs is an array of VF settings, not {"vf":0}'],
    [[{ mac: '02:00:00:00:00:09' }], 'vfs[0]: vf is the VF\'s number, an integer from 0 to 2147483646, not undefined'],
    [[{ vf: -1, trust: true }], 'vfs[0]: vf is the VF\'s number, an integer from 0 to 2147483646, not -1'],
    [[{ vf: 0 }, { vf: 1, bogus: 1 }], 'vfs[1]: unknown option "bogus" (known: vf, mac, vlan, txRate, rate, spoofchk, linkState, rssQueryEn, trust, ibNodeGuid, ibPortGuid)'],
    [[{ vf: 0, mac: 'zz' }], 'vfs[0]: mac "zz" is not a link-layer address (hex bytes like 02:00:00:00:00:01)'],
    [[{ vf: 0, mac: new Array(33).fill('01').join(':') }], 'vfs[0]: mac "' + new Array(33).fill('01').join(':') + '" is 33 bytes, more than the kernel\'s 32'],
    [[{ vf: 0, vlan: 5 }], 'vfs[0]: vlan: expected an object, not number'],
    [[{ vf: 0, vlan: { id: 4096 } }], 'vfs[0]: vlan.id must be an integer from 0 to 4095, not 4096'],
    [[{ vf: 0, vlan: { id: 1, qos: 8 } }], 'vfs[0]: vlan.qos must be an integer from 0 to 7, not 8'],
    [[{ vf: 0, vlan: { id: 1, protocol: '802.1x' } }], 'vfs[0]: unknown vlan.protocol "802.1x" (known: 802.1Q, 802.1ad)'],
    [[{ vf: 0, txRate: -1 }], 'vfs[0]: txRate must be an integer from 0 to 4294967295, not -1'],
    [[{ vf: 0, rate: {} }], 'vfs[0]: rate takes minTxRate, maxTxRate or both'],
    [[{ vf: 0, rate: { minTxRate: 20, maxTxRate: 10 } }], 'vfs[0]: rate.minTxRate 20 is above maxTxRate 10'],
    [[{ vf: 0, rate: { maxTxRate: 1.5 } }], 'vfs[0]: rate.maxTxRate must be an integer from 0 to 4294967295, not 1.5'],
    [[{ vf: 0, spoofchk: 'on' }], 'vfs[0]: spoofchk is true or false, not "on"'],
    [[{ vf: 0, linkState: 'up' }], 'vfs[0]: unknown linkState "up" (known: auto, enable, disable)'],
    [[{ vf: 0, ibNodeGuid: 1 }], 'vfs[0]: ibNodeGuid is a bigint from 0 to 2^64-1, not 1'],
    [[{ vf: 0, ibPortGuid: 1n << 64n }], 'vfs[0]: ibPortGuid is a bigint from 0 to 2^64-1, not 18446744073709551616'],
  ];
  for (const [vfs, message] of bad) {
    await t.rejects(rt.link.set('va', { vfs } as never), { constructor: InvalidArgumentError, message: `link "va": ${message}` }, message);
  }
});

t.test('vfsMessage(): each setting in its kernel struct with the VF number; a rate given by half keeps the other as the VF has it', async (t) => {
  const none = (): Promise<never> => Promise.reject(new Error('not read'));
  const [all] = await vfsMessage([{
    vf: 3, mac: '02:00:00:00:00:13', vlan: { id: 100, qos: 2 }, txRate: 50, spoofchk: false, linkState: 'disable', rssQueryEn: true, trust: true,
    ibNodeGuid: 0x0102030405060708n, ibPortGuid: 9n, rate: { minTxRate: 10, maxTxRate: 0 },
  }], 'dev', none);
  const w = new Writer();
  encodeLink(w, { vfInfoList: [all] });
  const hex = Buffer.from(w.finish()).toString('hex').slice(32); // after the ifinfomsg
  const u32 = (...xs: number[]): string => Buffer.from(Uint32Array.from(xs).buffer).toString('hex');
  t.equal(hex, [
    'b4001600', 'b0000100', // IFLA_VFINFO_LIST { IFLA_VF_INFO {
    '28000100', u32(3), '020000000013', '00'.repeat(26), // IFLA_VF_MAC: vf, mac[32]
    '10000200', u32(3, 100, 2), // IFLA_VF_VLAN: vf, vlan, qos
    '0c000300', u32(3, 50), // IFLA_VF_TX_RATE: vf, rate
    '0c000400', u32(3, 0), // IFLA_VF_SPOOFCHK
    '0c000500', u32(3, 2), // IFLA_VF_LINK_STATE: disable
    '0c000700', u32(3, 1), // IFLA_VF_RSS_QUERY_EN
    '0c000900', u32(3, 1), // IFLA_VF_TRUST
    '14000a00', u32(3, 0), '0807060504030201', // IFLA_VF_IB_NODE_GUID: vf, (pad), guid
    '14000b00', u32(3, 0), '0900000000000000', // IFLA_VF_IB_PORT_GUID
    '10000600', u32(3, 10, 0), // IFLA_VF_RATE: vf, min, max; last, as ip sends it
  ].join(''));
  const [ad] = await vfsMessage([{ vf: 1, vlan: { id: 7, protocol: '802.1ad' } }], 'dev', none);
  t.same(ad, { vlanList: [{ vf: 1, vlan: 7, qos: 0, protocol: '802.1ad' }] }, 'an 802.1ad VLAN in IFLA_VF_VLAN_LIST');
  const listed = async (): Promise<Array<{ rate: { vf: number; minTxRate: number; maxTxRate: number } }>> => [
    { rate: { vf: 0, minTxRate: 5, maxTxRate: 500 } }, { rate: { vf: 1, minTxRate: 20, maxTxRate: 200 } },
  ];
  t.same(await vfsMessage([{ vf: 1, rate: { maxTxRate: 100 } }], 'dev', listed), [{ rate: { vf: 1, minTxRate: 20, maxTxRate: 100 } }]);
  t.same(await vfsMessage([{ vf: 1, rate: { minTxRate: 30 } }], 'dev', listed), [{ rate: { vf: 1, minTxRate: 30, maxTxRate: 200 } }]);
  await t.rejects(vfsMessage([{ vf: 0, rate: { minTxRate: 600 } }], 'dev', listed), { constructor: InvalidArgumentError, message: 'dev: vfs[0]: rate.minTxRate 600 is above maxTxRate 500' });
  await t.rejects(vfsMessage([{ vf: 2, rate: { minTxRate: 1 } }], 'dev', listed), { constructor: NotFoundError, code: 'ENOENT' });
});

t.test('vfArgs(): a rate word of a later vf turns ip\'s new rate API on for this one, which then sends no rate of its own', async (t) => {
  const args = new Args(['trust', 'on', 'vf', '1', 'max_tx_rate', '100']);
  t.same(vfArgs(args, '0'), { vf: 0, trust: true });
  t.same(args.ahead(), ['vf', '1', 'max_tx_rate', '100'], 'the next vf\'s words left to read');
  t.same(vfArgs(new Args(['rate', '5', 'min_tx_rate', '1']), '2'), { vf: 2, rate: { maxTxRate: 5, minTxRate: 1 } }, 'rate, beside min_tx_rate, the new maximum');
});
