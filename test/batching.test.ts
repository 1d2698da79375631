// Requests issued together travel together (one datagram per turn of the event loop, up to the
// window), and that changes nothing a caller sees: a sequence of changes and reads, some of them
// refused, gives the same answers and errors issued at once as awaited one by one; and a burst
// of 10,000 requests on one socket is answered in full without an overflow.
import t from 'tap';
import { RtNetlink, type NetlinkError } from '../src/index.js';
import { NetlinkSocket } from '../src/socket/netlink-socket.js';
import { kernel, scratchNetns, vethPair } from './helpers/kernel.js';

/** What a call gave, comparable across namespaces: the value's main fields, or the error's class and text. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    const v = (await p) as Record<string, unknown> | undefined;
    if (v === undefined) return 'done';
    return JSON.stringify(v, ['name', 'index', 'mtu', 'group', 'address', 'prefixlen', 'dst', 'gateway', 'dev', 'lladdr', 'state', 'info', 'kind', 'data', 'mode']);
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

/**
 * Phases of operations with refusals among them, for a namespace with p0 (veth, up, index 2).
 * Within a phase nothing depends on another's outcome but through the kernel's order, which
 * batching keeps: calls of one shape reach the kernel in the order they were made. (Calls of
 * different shapes issued together may not: one that must look a name up first goes later.)
 */
function phases(rt: RtNetlink): Array<Array<() => Promise<unknown>>> {
  return [[
    () => rt.link.add({ kind: 'macvlan', name: 'm1', parent: 2, macvlan: { mode: 'bridge' } }),
    () => rt.link.add({ kind: 'macvlan', name: 'm1', parent: 2 }), // exists
    () => rt.link.add({ kind: 'macvlan', name: 'm2', parent: 2, macvlan: { mode: 'vepa' }, group: 3 }),
    () => rt.link.set(99, { mtu: 1400 }), // no such link
  ], [
    () => rt.link.set(4, { mtu: 1400, up: true }),
    () => rt.link.set(4, { mtu: 100_000 }), // the kernel refuses, with extended ACK
    () => rt.address.add({ dev: 4, address: '192.0.2.10/24' }),
    () => rt.address.add({ dev: 4, address: '192.0.2.10/24' }), // exists
    () => rt.link.get(5),
  ], [
    () => rt.route.add({ dst: '198.51.100.0/24', gateway: '192.0.2.1', dev: 4 }),
    () => rt.route.add({ dst: '203.0.113.0/24', gateway: '198.51.100.77', dev: 4 }), // gateway not on link
    () => rt.neighbour.add({ dev: 4, address: '192.0.2.20', lladdr: '02:00:00:00:00:20' }),
    () => rt.link.delete(5),
    () => rt.link.delete(5), // gone
    () => rt.link.get(4),
  ]];
}

t.test('the same phases issued at once and awaited one by one: the same answers and errors', kernel, async (t) => {
  const results: string[][] = [];
  let sends = 0;
  const send = NetlinkSocket.prototype.send;
  t.teardown(() => { NetlinkSocket.prototype.send = send; });
  for (const together of [false, true]) {
    const ns = scratchNetns(t, 'bat');
    vethPair(ns, 'p0', 'p1'); // p0 is index 2 in a fresh namespace (lo is 1)
    await using rt = await RtNetlink.open({ netns: ns });
    await rt.link.get('lo'); // opened and warm before counting
    NetlinkSocket.prototype.send = function (this: NetlinkSocket, d: Uint8Array) { sends++; send.call(this, d); };
    sends = 0;
    const out: string[] = [];
    let ops = 0;
    for (const phase of phases(rt)) {
      ops += phase.length;
      if (together) out.push(...await Promise.all(phase.map((op) => outcome(op()))));
      else for (const op of phase) out.push(await outcome(op()));
    }
    NetlinkSocket.prototype.send = send;
    t.comment(`${together ? 'at once' : 'one by one'}: ${ops} operations in ${sends} sends`);
    if (together) t.ok(sends < ops, `issued at once they shared datagrams (${sends} sends for ${ops} operations)`);
    results.push(out);
  }
  const mac = /"address":"[0-9a-f:]{17}"/g; // random MACs differ between the two namespaces
  t.same(results[1].map((r) => r.replace(mac, 'MAC')), results[0].map((r) => r.replace(mac, 'MAC')), 'every answer and error the same');
  t.match(results[0][1], /^ExistsError: link "m1": RTNETLINK answers: File exists$/, 'the refusals are among them');
  t.match(results[0][5], /^InvalidArgumentError: .*mtu/i);
  t.match(results[0][13], /^NotFoundError/);
});

t.test('a burst of 10,000 requests on one socket: all answered, in order, no overflow', kernel, async (t) => {
  const ns = scratchNetns(t, 'bur');
  vethPair(ns, 'p0', 'p1');
  await using rt = await RtNetlink.open({ netns: ns });
  const errors: NetlinkError[] = [];
  rt.client.onError((e) => errors.push(e));
  const asked = Array.from({ length: 10_000 }, (_, i) => ['lo', 'p0', 'p1'][i % 3]);
  const answers = await Promise.all(asked.map((name) => rt.link.get(name, { stats: false })));
  t.same(answers.map((l) => l.name), asked, 'each request got its own answer');
  t.same(errors, [], 'no socket error (no overflow)');
});
