// Bad input from plain JavaScript gets the checks TypeScript gives: an InvalidArgumentError (or
// the kernel's NotFoundError) naming the thing at fault, never a TypeError from inside the
// library nor a silent coercion, and nothing is left behind. Bytes from the kernel that do not
// decode are a ProtocolError from every list; an interrupted dump's partial result is typed.
import t from 'tap';
import { constants } from 'node:os';
import {
  RtNetlink, InvalidArgumentError, NotFoundError, ProtocolError, DumpInterruptedError, NetlinkError,
  AddressApi, RouteApi, NeighbourApi, LinkApi,
} from '../src/index.js';
import { iproute2Text } from '../src/errors.js';
import { Client } from '../src/client.js';
import type { SocketHandlers, Transport } from '../src/socket/netlink-socket.js';
import { parseMessages } from '../codecs/netlink/message.js';
import { nlmsg } from './helpers/bytes.js';
import type { NlMessage } from '../codecs/netlink/message.js';
import { ip, kernel, scratchNetns, vethPair } from './helpers/kernel.js';
import { vector } from './helpers/rt-vectors.js';

/** What a namespace holds, as ip sees it: compared before and after every bad call. */
const state = (ns: string): string => ['link', 'address', 'route', 'neigh'].map((o) => ip([o, 'show'], { netns: ns })).join('\n');

// A plain-JS caller: anything goes.
type Loose = (rt: RtNetlink) => Promise<unknown>;
const any = (v: unknown): never => v as never;

const cases: Array<[string, Loose, typeof NetlinkError, RegExp]> = [
  ['add(null)', (rt) => rt.link.add(any(null)), InvalidArgumentError, /^new link: expected an object, not null$/],
  ['route.add(undefined)', (rt) => rt.route.add(any(undefined)), InvalidArgumentError, /^route: expected an object, not undefined$/],
  ['address.add(string)', (rt) => rt.address.add(any('v0')), InvalidArgumentError, /^address: expected an object, not string$/],
  ['neighbour.add([])', (rt) => rt.neighbour.add(any([])), InvalidArgumentError, /^neighbour: expected an object, not an array$/],
  ['arpNotify: "yes"', (rt) => rt.link.set('v0', { inet: { arpNotify: any('yes') } }), InvalidArgumentError, /^link "v0": inet\.arpNotify: "yes" is not an integer/],
  ['stpState: "on"', (rt) => rt.link.add({ name: 'b0', kind: 'bridge', bridge: { stpState: any('on') } }), InvalidArgumentError, /^link "b0": bridge\.stpState: "on" is not an integer/],
  ['forwardDelay: -5', (rt) => rt.link.add({ name: 'b0', kind: 'bridge', bridge: { forwardDelay: -5 } }), InvalidArgumentError, /^link "b0": bridge\.forwardDelay: -5 is not an integer from 0 to 4294967295$/],
  ['alias: 12345', (rt) => rt.link.set('v0', { alias: any(12345) }), InvalidArgumentError, /^link "v0": alias: 12345 \(number\) is not a string$/],
  ['mtu: "1400"', (rt) => rt.link.set('v0', { mtu: any('1400') }), InvalidArgumentError, /^link "v0": mtu must be an integer/],
  ['a zone', (rt) => rt.address.add({ dev: 'v0', address: '2001:db8::7%eth9/64' }), InvalidArgumentError, /^address "2001:db8::7%eth9": not a valid IPv4 or IPv6 address/],
  ['a loose IPv4', (rt) => rt.route.add({ dst: '127.1/32', dev: 'v0' }), InvalidArgumentError, /"127\.1".*not a valid IPv4 or IPv6 address/],
  ['mode: 99', (rt) => rt.link.add({ name: 'm0', kind: 'macvlan', parent: 'v0', macvlan: { mode: any(99) } }), InvalidArgumentError, /^link "m0": unknown macvlan mode 99 \(known: private, vepa, bridge, passthru, source\)$/],
  ['parent: -3', (rt) => rt.link.add({ name: 'm0', kind: 'macvlan', parent: -3 }), InvalidArgumentError, /^link "m0": parent link -3: a link index is a positive integer$/],
  ['kind: 5', (rt) => rt.link.add(any({ name: 'm0', kind: 5 })), InvalidArgumentError, /^link "m0": a link kind is a name/],
  ['a multicast MAC', (rt) => rt.link.set('v0', { address: '01:00:5e:00:00:01' }), InvalidArgumentError, /^link "v0": address "01:00:5e:00:00:01" is a multicast MAC/],
  ['a multicast MAC at creation', (rt) => rt.link.add({ name: 'm0', kind: 'macvlan', parent: 'v0', address: '03:00:00:00:00:01' }), InvalidArgumentError, /multicast MAC/],
  ['vxlan.link no such link', (rt) => rt.link.add({ name: 'x0', kind: 'vxlan', vxlan: { id: 5, link: 'nosuch' } }), NotFoundError, /^link "x0": vxlan\.link "nosuch": /],
  ['validLft: Infinity', (rt) => rt.address.add({ dev: 'v0', address: '192.0.2.9/24', validLft: any(Infinity) }), InvalidArgumentError, /validLft Infinity: .*'forever'/],
  ['address without dev', (rt) => rt.address.add(any({ address: '192.0.2.9/24' })), InvalidArgumentError, /dev \(the link, by name or index\) is required/],
  ['0.0.0.0', (rt) => rt.address.add({ dev: 'v0', address: '0.0.0.0/24' }), InvalidArgumentError, /^address 0\.0\.0\.0\/24 on "v0": IPv4 0\.0\.0\.0 is no address: the kernel would acknowledge it and add nothing$/],
  ['0.0.0.0 replaced', (rt) => rt.address.replace({ dev: 'v0', address: '0.0.0.0', prefixlen: 0 }), InvalidArgumentError, /IPv4 0\.0\.0\.0 is no address/],
  ['open({ netns: null })', () => RtNetlink.open(any({ netns: null })), InvalidArgumentError, /^open options: netns: null is not a namespace/],
  ['open(5)', () => RtNetlink.open(any(5)), InvalidArgumentError, /^open options: expected an object, not number$/],
  ['list(null)', (rt) => rt.link.list(any(null)), InvalidArgumentError, /^link filter: expected an object, not null$/],
];

t.test('plain-JS bad input: a typed error naming the thing, nothing left behind', kernel, async (t) => {
  const ns = scratchNetns(t);
  vethPair(ns, 'v0', 'v1', false); // down: no IPv6 link-local address appears while we compare
  await using rt = await RtNetlink.open({ netns: ns });
  const before = state(ns);
  for (const [what, call, type, message] of cases) {
    const e = await call(rt).catch((x: unknown) => x);
    t.type(e, type, what);
    t.match((e as Error).message, message, what);
    t.equal(state(ns), before, `${what}: nothing changed`);
  }
});

t.test('vxlan.link by name is resolved, not dropped', kernel, async (t) => {
  const ns = scratchNetns(t);
  vethPair(ns, 'v0', 'v1');
  await using rt = await RtNetlink.open({ netns: ns });
  const vx = await rt.link.add({ name: 'x0', kind: 'vxlan', vxlan: { id: 5, link: 'v0', port: 4789 } });
  const v0 = await rt.link.get('v0');
  t.equal(vx.info?.kind === 'vxlan' ? vx.info.data?.link : undefined, v0.index);
});

t.test('an extended ACK that ends in a dot gets no second one, as ip prints it', async (t) => {
  t.equal(iproute2Text(constants.errno.EOPNOTSUPP, 'Operation not supported.'), 'Error: Operation not supported.');
  t.equal(iproute2Text(constants.errno.EINVAL, 'Unknown device type'), 'Error: Unknown device type.');
});

/**
 * A session over a real Client and a fake kernel that answers every dump with `messages` (each
 * marked NLM_F_DUMP_INTR when `interrupted`) and NLMSG_DONE.
 */
function session(messages: NlMessage[], interrupted = false) {
  const transport = (h: SocketHandlers): Transport => ({
    fd: -1, port: 1, drain: () => undefined, pause: () => undefined, resume: () => undefined, setReferenced: () => undefined,
    joinGroup: () => undefined, leaveGroup: () => undefined, close: () => undefined,
    send: (b) => {
      const seq = parseMessages(b)[0].header.seq; // one dump at a time: a datagram of its own
      const flags = 0x2 | (interrupted ? 0x10 : 0);
      const parts = messages.map((m) => nlmsg(m.header.type, flags, seq, 0, [...m.payload]));
      queueMicrotask(() => h.onDatagram(Uint8Array.from([...parts.flatMap((p) => [...p]), ...nlmsg(3, flags, seq, 0, [0, 0, 0, 0])])));
    },
  });
  const client = new Client({ transport, dumpRetries: 0 });
  return { client, linkIndex: async (r: string | number) => Number(r), linkNames: async () => new Map<number, string>(), inNetns: () => Promise.reject(new Error('no')) };
}

/** One message of a captured dump, cut short so that it no longer decodes. */
function truncated(m: NlMessage): NlMessage {
  return { header: m.header, payload: m.payload.subarray(0, 6) };
}

t.test('bytes that do not decode are a ProtocolError from every list, never a bare DecodeError', async (t) => {
  const lists: Array<[string, () => Promise<unknown>]> = [
    ['address', () => new AddressApi(session([truncated(vector('address/dump').replies[0])])).list({ dev: 1 })],
    ['route', () => new RouteApi(session([truncated(vector('route/dump-v4').replies[0])])).list()],
    ['neighbour', () => new NeighbourApi(session([{ ...truncated(vector('neighbour/dump').replies[0]), payload: Uint8Array.of(2, 0, 0, 0) }])).list()],
    ['link', () => new LinkApi(session([{ header: { len: 20, type: 16, flags: 0, seq: 1, pid: 0 }, payload: Uint8Array.of(0, 0, 1) }])).list()],
  ];
  for (const [what, list] of lists) {
    const e = await list().catch((x: unknown) => x);
    t.type(e, ProtocolError, what);
    t.equal((e as ProtocolError).code, 'EPROTO', what);
  }
});

t.test("an interrupted dump's partial result is typed objects, not messages", async (t) => {
  const e = await new AddressApi(session(vector('address/dump').replies, true)).list({ dev: 1 }).catch((x: unknown) => x);
  t.type(e, DumpInterruptedError);
  const partial = (e as DumpInterruptedError).partial as Array<{ cidr: string }>;
  t.same(partial.map((a) => a.cidr), ['192.0.2.5/24', '2001:db8::5/64', 'fe80::ff:fe00:101/64']);
});
