// Reliability on a real kernel: answers lost to an overflow end their requests at once (or are
// asked for again when that is safe), and a throwing notification listener loses nothing.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { RtNetlink, OverflowError, type NetlinkError } from '../src/index.js';
import { constants } from 'node:os';
import { MSG_DONTWAIT, SOCKADDR_NL_LEN } from '../src/socket/constants.js';
import { lastErrno, sys } from '../src/socket/libc.js';
import { ip, kernel, scratchNetns } from './helpers/kernel.js';

const RTNLGRP_LINK = 1;
/** `n` veth pairs made by ip while this thread is blocked: their notifications overflow a small buffer. */
const storm = (ns: string, tag: string, n = 100): void => {
  ip(['-batch', '-'], { netns: ns, input: Array.from({ length: n }, (_, i) => `link add ${tag}${i}a type veth peer name ${tag}${i}b`).join('\n') });
};

t.test('after an overflow a change ends at once, its outcome unknown; a get is asked again', kernel, async (t) => {
  const ns = scratchNetns(t);
  // A long timeout: the test does not wait for it unless the change's end is missed.
  await using rt = await RtNetlink.open({ netns: ns, groups: [RTNLGRP_LINK], receiveBuffer: 4096, timeout: 60_000 });
  const errors: NetlinkError[] = [];
  rt.client.onError((e) => errors.push(e));
  // Each request below is sent (and its answer dropped) before the event loop drains the
  // socket: the buffer is full of the storm's notifications; the overflow shows at that drain.
  storm(ns, 's');
  const change = await rt.link.set(1, { mtu: 1400 }).catch((x: unknown) => x as NetlinkError);
  t.ok(errors.some((e) => e instanceof OverflowError), 'the overflow was reported');
  t.type(change, OverflowError, 'the change ended with an OverflowError, not a timeout');
  t.match((change as Error).message, /may or may not have done it/);
  t.match(ip(['link', 'show', 'lo'], { netns: ns }), /mtu 1400/, 'the kernel did it, as it may have');
  storm(ns, 't');
  const overflows = errors.length;
  const lo = await rt.link.get(1);
  t.ok(errors.length > overflows, 'a second overflow');
  t.equal(lo.name, 'lo', 'the get was asked again and answered');
  storm(ns, 'u');
  t.equal((await rt.link.list({ stats: false })).length, 601, 'so was a dump, whole');
});

/** Whether a datagram (or an error) waits on `fd`: a peek that takes nothing. */
function waiting(fd: number): boolean {
  const MSG_PEEK = 2;
  return sys.recvfrom(fd, new Uint8Array(16), 16, MSG_PEEK | MSG_DONTWAIT, new Uint8Array(SOCKADDR_NL_LEN), new Uint32Array([SOCKADDR_NL_LEN])) >= 0 ||
    lastErrno() !== constants.errno.EAGAIN;
}

t.test('after an overflow the socket is read empty before anything else runs (until then the kernel drops answers without a word)', kernel, async (t) => {
  const ns = scratchNetns(t);
  // A buffer that holds more notifications than one 3 ms stretch of reading takes in.
  await using rt = await RtNetlink.open({ netns: ns, groups: [RTNLGRP_LINK], receiveBuffer: 1 << 20, timeout: 10_000 });
  const errors: NetlinkError[] = [];
  rt.client.onError((e) => errors.push(e));
  storm(ns, 'a', 600);
  const change = await rt.link.set(1, { mtu: 1400 }).catch((x: unknown) => x as NetlinkError);
  t.type(change, OverflowError, 'the change ended with an OverflowError');
  t.match(errors[0]?.message, /^receive buffer overflowed: messages were lost/, 'the overflow reported as such');
  t.notOk(waiting(rt.client.fd), 'nothing left waiting when its caller runs: the socket is no longer congested');
  // What went wrong under load before: a storm now, while the socket was still congested from the
  // first, was not reported, and the get's answer was dropped without a word (a timeout).
  storm(ns, 'b', 600);
  t.equal((await rt.link.get(1)).name, 'lo', 'a get in the next storm is answered');
  t.equal(errors.filter((e) => e instanceof OverflowError).length, 2, 'both storms reported');
});

t.test('a throwing notification listener loses nothing for the others', kernel, async (t) => {
  const ns = scratchNetns(t);
  await using rt = await RtNetlink.open({ netns: ns, groups: [RTNLGRP_LINK] });
  const errors: NetlinkError[] = [];
  rt.client.onError((e) => errors.push(e));
  let second = 0;
  rt.client.onNotification(() => { throw new Error('listener bug'); });
  rt.client.onNotification(() => { second++; });
  const made = await rt.link.add({ name: 'v0', kind: 'veth', veth: { peer: { name: 'v1' } } });
  await rt.link.delete(made.index);
  await new Promise((r) => setTimeout(r, 20));
  t.ok(second >= 2, `the second listener heard the new link and its deletion (${second} notifications)`);
  t.ok(errors.length >= 2 && errors.every((e) => /listener bug/.test(e.message)), 'each throw reported');
});

t.test('20,000 distinct list({ kind }) filters leave the heap as it was', kernel, async (t) => {
  const ns = scratchNetns(t);
  const script = `
    const { RtNetlink } = await import(${JSON.stringify(new URL('../src/index.js', import.meta.url).href)});
    const rt = await RtNetlink.open({ netns: ${JSON.stringify(ns)} });
    const round = async (n, tag) => { for (let i = 0; i < n; i++) await rt.link.list({ kind: 'k' + tag + i, stats: false }); };
    await round(1000, 'a'); gc(); const before = process.memoryUsage().heapUsed;
    await round(20000, 'b'); gc(); console.log(((process.memoryUsage().heapUsed - before) / 1048576).toFixed(1));
    rt.close();`;
  const grew = Number(execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' }));
  t.ok(grew < 3, `heap grew by ${grew} MiB (a cache per filter grew it by about 14.5)`);
});

t.test('a datagram from a user socket (not the kernel, port 0) is dropped: a forged notification reaches no listener', kernel, async (t) => {
  const ns = scratchNetns(t, 'fake');
  await using rt = await RtNetlink.open({ netns: ns, groups: [1] }); // RTNLGRP_LINK
  const seen: string[] = [];
  rt.client.onNotification((m) => seen.push(`type ${m.header.type} seq ${m.header.seq}`));
  ip(['link', 'add', 'real0', 'type', 'veth', 'peer', 'name', 'real1'], { netns: ns });
  await new Promise((r) => setTimeout(r, 50));
  t.ok(seen.length > 0, 'the kernel\'s own notifications arrive');
  seen.length = 0;
  // Root may unicast to any netlink port: an RTM_NEWLINK made up, from a socket in the same namespace.
  const forged = 'import socket,struct,sys; s=socket.socket(socket.AF_NETLINK,socket.SOCK_RAW,0); ' +
    'm=struct.pack("=IHHII",32,16,0,0,0)+struct.pack("=BxHiII",0,1,77,0,0); print(s.sendto(m,(int(sys.argv[1]),0)))';
  const sent = execFileSync('ip', ['netns', 'exec', ns, 'python3', '-c', forged, String(rt.client.port)], { encoding: 'utf8' });
  t.equal(sent.trim(), '32', 'the forged datagram was sent to our port');
  await new Promise((r) => setTimeout(r, 50));
  t.same(seen, [], 'and dropped');
  t.equal((await rt.link.get('real0')).name, 'real0', 'the socket goes on working');
});
