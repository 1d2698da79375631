// Namespace ids against the real kernel: `ip netns list-id` and `ip netns list` as oracles.
// Ids are assigned from sockets opened in scratch namespaces, so that parallel tests never share them.
import t from 'tap';
import { RtNetlink, NetNS, ExistsError, InvalidArgumentError, NotFoundError } from '../src/index.js';
import { ip, ipJson, kernel, scratchNetns } from './helpers/kernel.js';

type ListId = { nsid: number; 'current-nsid'?: number; name?: string }[];

t.test('ids assigned by us are what iproute2 lists, and the other way round', kernel, async (t) => {
  const home = scratchNetns(t);
  const [a, b, c] = [scratchNetns(t), scratchNetns(t), scratchNetns(t)];
  await using rt = await RtNetlink.open({ netns: home });
  t.equal(await rt.nsid.get(a), undefined, 'no id yet');
  t.equal(await rt.nsid.set(a, 5), 5);
  const picked = await rt.nsid.set(b);
  t.ok(Number.isInteger(picked) && picked >= 0 && picked !== 5, `the kernel picked ${picked}`);
  ip(['netns', 'set', c, '9'], { netns: home });
  t.equal(await rt.nsid.get(c), 9, 'an id set by `ip netns set` is seen');
  const oracle = ipJson<ListId>(['netns', 'list-id'], { netns: home }).sort((x, y) => x.nsid - y.nsid);
  const ours = (await rt.nsid.list()).sort((x, y) => x.nsid - y.nsid);
  t.same(ours, oracle.map(({ nsid, name }) => ({ nsid, name })), '`ip netns list-id` agrees, names too');
  t.same(ours.filter((e) => [a, b, c].includes(e.name as string)).map((e) => e.name).sort(), [a, b, c].sort());
  t.equal(await rt.nsid.nameOf(9), c);
  t.equal(await rt.nsid.nameOf(12345), undefined);
});

t.test('ids by path, fd and pid; list-id with a target', kernel, async (t) => {
  const home = scratchNetns(t);
  const peer = scratchNetns(t);
  await using rt = await RtNetlink.open({ netns: home });
  await using rtPeer = await RtNetlink.open({ netns: peer });
  const id = await rt.nsid.set(`/run/netns/${peer}`, 3);
  t.equal(await rt.nsid.get({ pid: process.pid }), undefined, 'our own process: no id from there yet');
  const ourId = await rt.nsid.set({ pid: process.pid }, 4);
  t.equal(ourId, 4, 'by pid');
  t.equal(await rtPeer.nsid.set(home, 7), 7);
  // From home: the namespaces `peer` (id 3 here) has ids for; home itself is 7 there.
  const ours = await rt.nsid.list({ targetNsid: id });
  const oracle = ipJson<ListId>(['netns', 'list-id', 'target-nsid', String(id)], { netns: home });
  t.same(ours, oracle.map((e) => ({ nsid: e.nsid, ...(e['current-nsid'] === undefined ? {} : { currentNsid: e['current-nsid'] }), ...(e.name ? { name: e.name } : {}) })),
    '`ip netns list-id target-nsid` agrees');
  t.same(ours, [{ nsid: 7 }], 'peer numbers home 7; home has no id for itself, so no current id and no name');
});

t.test('bad input and refusals are typed errors naming the namespace', kernel, async (t) => {
  const home = scratchNetns(t);
  const [a, b] = [scratchNetns(t), scratchNetns(t)];
  await using rt = await RtNetlink.open({ netns: home });
  await rt.nsid.set(a, 1);
  await t.rejects(rt.nsid.set(a, 2), { name: ExistsError.name, message: `namespace "${a}": Error: Peer netns already has a nsid assigned.` });
  await t.rejects(rt.nsid.set(b, 1), { name: ExistsError.name, message: `namespace "${b}": Error: The specified nsid is already used.` });
  for (const bad of [-1, 1.5, 2 ** 31]) await t.rejects(rt.nsid.set(b, bad), InvalidArgumentError, `nsid ${bad}`);
  await t.rejects(rt.nsid.get('nosuchns'), { name: NotFoundError.name, message: /^namespace "nosuchns": does not exist/ });
  await t.rejects(rt.nsid.list({ targetNsid: -2 }), InvalidArgumentError);
  t.equal(await rt.nsid.get(b), undefined, 'refused: nothing assigned');
  t.notOk(await NetNS.exists('nosuchns'));
});
