// The socket and the request client against the real kernel.
import t from 'tap';
import { RtNetlink, NetlinkError } from '../src/index.js';
import { Writer } from '../codecs/netlink/writer.js';
import { parseAttrs, get, attrType } from '../codecs/netlink/attrs.js';
import { fdCount, ip, kernel, netlinkFdCount, scratchNetns } from './helpers/kernel.js';

const RTM_NEWLINK = 16;
const RTM_GETLINK = 18;
const ifinfomsg = (w: Writer, index = 0): void => { w.u8(0).u8(0).u16(0).s32(index).u32(0).u32(0); };
const names = (msgs: { payload: Uint8Array }[]): string[] =>
  msgs.flatMap((m) => parseAttrs(m.payload.subarray(16)).filter((a) => attrType(a.type) === 3).map((a) => get.string(a.value)));

t.test('open and close 1,000 sockets leaks no fd', kernel, async (t) => {
  const before = { all: fdCount(), netlink: netlinkFdCount() };
  for (let i = 0; i < 1000; i++) (await RtNetlink.open()).close();
  t.equal(netlinkFdCount(), before.netlink, 'no netlink socket left open');
  t.ok(fdCount() <= before.all + 2, `no growth in /proc/self/fd (${before.all} before, ${fdCount()} after)`);
});

t.test('await using releases the socket', kernel, async (t) => {
  const before = netlinkFdCount();
  {
    await using rt = await RtNetlink.open();
    t.equal(netlinkFdCount(), before + 1, 'one more netlink socket while open');
    t.ok(rt.client.port > 0, 'kernel assigned a port');
  }
  t.equal(netlinkFdCount(), before);
});

t.test('500 concurrent requests on one socket are all answered correctly', kernel, async (t) => {
  const ns = scratchNetns(t);
  for (let i = 0; i < 20; i++) ip(['link', 'add', `v${i}a`, 'type', 'veth', 'peer', 'name', `v${i}b`], { netns: ns });
  await using rt = await RtNetlink.open({ netns: ns });
  const byIndex = new Map(
    (JSON.parse(ip(['-j', 'link', 'show'], { netns: ns })) as { ifindex: number; ifname: string }[]).map((l) => [l.ifindex, l.ifname]),
  );
  const indexes = [...byIndex.keys()];
  const asked = Array.from({ length: 500 }, (_, i) => indexes[i % indexes.length]);
  const answers = await Promise.all(
    asked.map((index) => rt.client.request({ type: RTM_GETLINK, body: (w) => ifinfomsg(w, index), name: 'RTM_GETLINK' })),
  );
  t.same(answers.map(names), asked.map((i) => [byIndex.get(i)]));
});

t.test('concurrent dumps are queued, not refused', kernel, async (t) => {
  const ns = scratchNetns(t);
  await using rt = await RtNetlink.open({ netns: ns });
  const dumps = await Promise.all(Array.from({ length: 20 }, () => rt.client.dump({ type: RTM_GETLINK, body: (w) => ifinfomsg(w) })));
  t.same(dumps.map(names), Array.from({ length: 20 }, () => ['lo']));
});

t.test('an unknown link kind fails with the kernel extended-ACK text', kernel, async (t) => {
  const ns = scratchNetns(t);
  await using rt = await RtNetlink.open({ netns: ns });
  const err = await rt.client
    .request({
      type: RTM_NEWLINK,
      flags: 0x600, // NLM_F_CREATE | NLM_F_EXCL
      name: 'RTM_NEWLINK',
      body: (w) => {
        ifinfomsg(w);
        w.attr(3, (w) => w.cstring('x0'));
        w.attr(18, (w) => w.attr(1, (w) => w.cstring('nosuchkind')));
      },
    })
    .catch((e: unknown) => e);
  t.type(err, NetlinkError);
  const e = err as NetlinkError;
  t.equal(e.kernelMessage, 'Unknown device type');
  t.equal(e.message, 'Error: Unknown device type.');
  t.equal(e.code, 'ENOTSUP');
  t.equal(e.request?.name, 'RTM_NEWLINK');
  t.same(names(await rt.client.dump({ type: RTM_GETLINK, body: (w) => ifinfomsg(w) })), ['lo'], 'nothing was made');
});

t.test('a socket opened with { netns } sees that namespace, not ours', kernel, async (t) => {
  const ns = scratchNetns(t);
  ip(['link', 'add', 'inside0', 'type', 'veth', 'peer', 'name', 'inside1'], { netns: ns });
  await using there = await RtNetlink.open({ netns: ns });
  await using here = await RtNetlink.open();
  const dumpNames = async (rt: RtNetlink): Promise<string[]> =>
    names(await rt.client.dump({ type: RTM_GETLINK, body: (w) => ifinfomsg(w) })).sort();
  t.same(await dumpNames(there), ['inside0', 'inside1', 'lo']);
  t.notOk((await dumpNames(here)).includes('inside0'));
});

t.test('a multicast overflow (ENOBUFS) is an error event, and the socket goes on working', kernel, async (t) => {
  const ns = scratchNetns(t);
  const RTNLGRP_LINK = 1;
  await using rt = await RtNetlink.open({ netns: ns, groups: [RTNLGRP_LINK], receiveBuffer: 4096 });
  const errors: NetlinkError[] = [];
  rt.client.onError((e) => errors.push(e));
  let notified = 0;
  rt.client.onNotification(() => notified++);
  // The event loop is blocked while ip runs: the notifications pile up and overflow the buffer.
  ip(['-batch', '-'], { netns: ns, input: Array.from({ length: 100 }, (_, i) => `link add o${i}a type veth peer name o${i}b`).join('\n') });
  // The socket is read when the event loop gets to it: on a loaded machine later than 50 ms.
  for (let turn = 0; turn < 100 && errors.length === 0; turn++) await new Promise((r) => setTimeout(r, 50));
  t.ok(errors.length >= 1, 'an error event came');
  t.equal(errors[0].name, 'OverflowError');
  t.equal(errors[0].code, 'ENOBUFS');
  t.ok(notified > 0 && notified < 400, `some notifications arrived, not all (${notified})`);
  const links = await rt.client.dump({ type: RTM_GETLINK, body: (w) => ifinfomsg(w) });
  t.equal(links.length, 201, 'a dump after the overflow sees every link');
});
