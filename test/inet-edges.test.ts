// Addresses, neighbours and namespace ids at their edges, against the kernel with iproute2 as
// the oracle: every address option read back, the bounds of prefix lengths, lifetimes, labels,
// ids and pids (the last value taken, the first refused), the kernel's filters, and an add
// answered from the kernel's echo in one round trip. Written from the mutants a StrykerJS run
// over src/api/address.ts, neighbour.ts, nsid.ts and inet.ts left alive (docs/mutation.md).
import t from 'tap';
import { readdirSync } from 'node:fs';
import { ExistsError, InvalidArgumentError, NotFoundError, RtNetlink, type Address, type Neighbour } from '../src/index.js';
import type { SocketHandlers, Transport } from '../src/socket/netlink-socket.js';
import { parseMessages } from '../codecs/netlink/message.js';
import { NLM_F_ECHO, NLM_F_MULTI, NLMSG_DONE, NLMSG_ERROR } from '../codecs/netlink/constants.js';
import { RTM_GETADDR, RTM_NEWADDR } from '../codecs/route/constants.js';
import { nlmsg } from './helpers/bytes.js';
import { ip, ipJson, kernel, scratchNetns } from './helpers/kernel.js';

type IpAddr = { ifname: string; addr_info: Array<Record<string, unknown>> };

/** An ack (NLMSG_ERROR 0, the request's header left out) and a NLMSG_DONE for the request `seq`. */
const ack = (seq: number): Uint8Array => nlmsg(NLMSG_ERROR, 0, seq, 0, new Array<number>(20).fill(0));
const done = (seq: number): Uint8Array => nlmsg(NLMSG_DONE, NLM_F_MULTI, seq, 0, [0, 0, 0, 0]);

t.test('every address option is what ip reads back', kernel, async (t) => {
  const ns = scratchNetns(t);
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
  ip(['link', 'set', 'v0', 'up'], { netns: ns });
  await using rt = await RtNetlink.open({ netns: ns });
  const label = 'v0:abcdefghijkl'; // 15 bytes: the longest label
  const made = await rt.address.add({
    dev: 'v0', address: '192.0.2.1', prefixlen: 24, label, broadcast: '192.0.2.255', metric: 7, validLft: 100, preferredLft: 50,
  });
  t.match(made, { dev: 'v0', cidr: '192.0.2.1/24', label, broadcast: '192.0.2.255', metric: 7 }, 'resolved with what it made');
  t.ok(typeof made.validLft === 'number' && made.validLft <= 100 && made.validLft > 90, `validLft ${made.validLft}`);
  t.ok(typeof made.preferredLft === 'number' && made.preferredLft <= 50 && made.preferredLft > 40, `preferredLft ${made.preferredLft}`);
  await rt.address.add({ dev: 'v0', address: '192.0.2.9/24', prefixlen: 24 }); // its own length, the same
  await rt.address.add({ dev: 'v0', address: '2001:db8::1', prefixlen: 128, flags: ['nodad'] });
  await rt.address.add({ dev: 'v0', address: '2001:db8:1::1/64', flags: ['nodad', 'noprefixroute'], validLft: 0xfffffffe, preferredLft: 0 });
  await rt.address.add({ dev: 'v0', address: '198.51.100.1', prefixlen: 0, validLft: 'forever' });

  const theirs = ipJson<IpAddr[]>(['address', 'show', 'dev', 'v0'], { netns: ns })[0].addr_info;
  const find = (local: string): Record<string, unknown> | undefined => theirs.find((a) => a.local === local);
  t.match(find('192.0.2.1'), { prefixlen: 24, label, broadcast: '192.0.2.255', metric: 7 });
  t.equal(find('192.0.2.9')?.prefixlen, 24);
  t.match(find('2001:db8::1'), { prefixlen: 128, nodad: true });
  t.match(find('2001:db8:1::1'), { prefixlen: 64, nodad: true, noprefixroute: true, preferred_life_time: 0 });
  t.match(find('198.51.100.1'), { prefixlen: 0, valid_life_time: 4294967295 });
  t.notOk(ip(['-6', 'route', 'show', 'dev', 'v0'], { netns: ns }).includes('2001:db8:1::/64'), 'noprefixroute: no prefix route');
  t.match(ip(['route', 'show', 'dev', 'v0'], { netns: ns }), /192\.0\.2\.0\/24 proto kernel scope link src 192\.0\.2\.1 metric 7/, 'the prefix route has the metric');

  const ours = await rt.address.list({ dev: 'v0' });
  const mine = (cidr: string) => ours.find((a) => a.cidr === cidr);
  t.match(mine('2001:db8::1/128'), { family: 'inet6', flags: ['nodad', 'permanent'] });
  t.match(mine('2001:db8:1::1/64'), { flags: ['nodad', 'deprecated', 'noprefixroute'], preferredLft: 0 });
  t.notOk(mine('2001:db8:1::1/64')?.flags.includes('permanent'), 'a lifetime given: not permanent');
  t.match(mine('198.51.100.1/0'), { validLft: 'forever', preferredLft: 'forever', flags: ['permanent'] });
  t.equal(mine('192.0.2.1/24')?.metric, 7);
  t.notOk('metric' in (mine('192.0.2.9/24') ?? {}), 'no metric where none was given');
});

t.test('prefix lengths, lifetimes and labels: the last value taken, the first refused, named', kernel, async (t) => {
  const ns = scratchNetns(t);
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
  await using rt = await RtNetlink.open({ netns: ns });
  const refused = (spec: object, message: string) =>
    t.rejects(rt.address.add({ dev: 'v0', ...spec } as Parameters<typeof rt.address.add>[0]), { name: InvalidArgumentError.name, message }, message);
  await refused({ address: '2001:db8::2', prefixlen: 129 }, 'address 2001:db8::2: prefixlen must be an integer from 0 to 128, not 129');
  await refused({ address: '2001:db8::2', prefixlen: -1 }, 'address 2001:db8::2: prefixlen must be an integer from 0 to 128, not -1');
  await refused({ address: '2001:db8::2', prefixlen: 1.5 }, 'address 2001:db8::2: prefixlen must be an integer from 0 to 128, not 1.5');
  await refused({ address: '2001:db8::2', prefixlen: '64' }, 'address 2001:db8::2: prefixlen must be an integer from 0 to 128, not 64');
  await refused({ address: '2001:db8::2/64', prefixlen: 4 }, "address 2001:db8::2/64: prefixlen 4 and the address's own length differ");
  await refused({ address: '2001:db8::2/24', prefixlen: 4 }, "address 2001:db8::2/24: prefixlen 4 and the address's own length differ");
  await refused({ address: '192.0.2.2/24', scope: 'planet' }, 'address 192.0.2.2/24: unknown scope "planet" (known: global, site, link, host, nowhere)');
  await refused({ address: '192.0.2.2/24', metric: -1 }, 'address 192.0.2.2/24: metric -1 is not an integer from 0 to 4294967295');
  await refused({ address: '192.0.2.2/24', broadcast: 'x' }, 'address 192.0.2.2/24: broadcast "x": not a valid IPv4 or IPv6 address');
  await refused({ address: '192.0.2.2/24', label: 'v0:abcdefghijklm' }, 'address 192.0.2.2/24 label "v0:abcdefghijklm": labels are for IPv4 only, up to 15 bytes');
  await refused({ address: '192.0.2.2/24', validLft: 0xffffffff },
    "validLft 4294967295: must be a whole number of seconds below 4294967295, or 'forever'");
  await refused({ address: '192.0.2.2/24', validLft: 1.5 },
    "validLft 1.5: must be a whole number of seconds below 4294967295, or 'forever'");
  await refused({ address: '192.0.2.2/24', validLft: '10' },
    "validLft 10: must be a whole number of seconds below 4294967295, or 'forever'");
  await refused({ address: '192.0.2.2/24', preferredLft: -1 },
    "preferredLft -1: must be a whole number of seconds below 4294967295, or 'forever'");
  await t.resolves(rt.address.add({ dev: 'v0', address: '192.0.2.2/24', validLft: 1, preferredLft: 0 }), 'a lifetime of 0 is taken (the kernel refuses a valid one of 0)');
  t.same(JSON.parse(ip(['-j', '-4', 'address', 'show', 'dev', 'v0'], { netns: ns }))[0].addr_info.map((a: { local: string }) => a.local), ['192.0.2.2'], 'nothing else was made');
});

t.test('replace of an IPv6 address there under another length: the kernel changes the one there, and says so by no echo', kernel, async (t) => {
  const ns = scratchNetns(t);
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
  ip(['address', 'add', '2001:db8::1/64', 'dev', 'v0', 'nodad'], { netns: ns });
  await using rt = await RtNetlink.open({ netns: ns });
  const a = await rt.address.replace({ dev: 'v0', address: '2001:db8::1/128', validLft: 3600, preferredLft: 0 });
  t.same([a.local ?? a.address, a.prefixlen, a.preferredLft, a.flags.includes('deprecated')], ['2001:db8::1', 64, 0, true], 'resolves with the address as it now is: /64, deprecated');
  const listed = JSON.parse(ip(['-j', '-6', 'address', 'show', 'dev', 'v0'], { netns: ns }))[0].addr_info;
  t.same(listed.map((x: { local: string; prefixlen: number }) => `${x.local}/${x.prefixlen}`), ['2001:db8::1/64'], 'one address, as ip shows it');
});

t.test('point-to-point peers, deletes by label and without a length: as ip makes and deletes them', kernel, async (t) => {
  const ns = scratchNetns(t);
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
  await using rt = await RtNetlink.open({ netns: ns });
  t.match(await rt.address.add({ dev: 'v0', address: '192.0.2.40', peer: '192.0.2.41' }),
    { cidr: '192.0.2.40/32', local: '192.0.2.40', address: '192.0.2.41', prefixlen: 32 }, 'a peer: IFA_ADDRESS, its length');
  await rt.address.add({ dev: 'v0', address: '198.51.100.1/24', peer: '203.0.113.0/30' });
  await t.rejects(rt.address.add({ dev: 'v0', address: '192.0.2.50', peer: '2001:db8::1' }),
    { name: InvalidArgumentError.name, message: "address 192.0.2.50: peer 2001:db8::1 is not of the address's family" });
  const theirs = ipJson<IpAddr[]>(['-4', 'address', 'show', 'dev', 'v0'], { netns: ns })[0].addr_info;
  t.same(theirs.map((a) => [a.local, a.address, a.prefixlen]), [['192.0.2.40', '192.0.2.41', 32], ['198.51.100.1', '203.0.113.0', 30]], 'ip reads the peers back');
  // A listed peer address is deleted with its peer (IFA_ADDRESS is what the kernel matches).
  const listed = (await rt.address.list({ dev: 'v0', family: 'inet' })).find((a) => a.local === '198.51.100.1');
  await rt.address.delete(listed as Address);
  t.equal(await rt.address.flush({ dev: 'v0', family: 'inet' }), 1, 'flush deletes the other peer address');
  t.same(ip(['-4', 'address', 'show', 'dev', 'v0'], { netns: ns }), '', 'both gone');

  // A peer of 0.0.0.0 is listed without IFA_ADDRESS (the kernel leaves a zero one out): a listed one
  // is deleted with it, not with its local address as peer, and not another of the same local address.
  await rt.address.add({ dev: 'v0', address: '203.0.113.9', peer: '0.0.0.0/32' });
  await rt.address.add({ dev: 'v0', address: '203.0.113.9/24' });
  const zeroPeer = (await rt.address.list({ dev: 'v0', family: 'inet' })).find((a) => a.prefixlen === 32);
  t.match(zeroPeer, { local: '203.0.113.9', address: undefined, cidr: '203.0.113.9/32' }, 'listed without a peer');
  await rt.address.delete(zeroPeer as Address);
  t.match(ip(['-4', '-o', 'address', 'show', 'dev', 'v0'], { netns: ns }), /^\d+: v0 +inet 203\.0\.113\.9\/24 [^\n]*\n$/, 'that one gone, the /24 left');
  await rt.address.add({ dev: 'v0', address: '203.0.113.9', peer: '0.0.0.0/32' });
  t.equal(await rt.address.flush({ dev: 'v0', family: 'inet' }), 2, 'flush deletes it too');
  t.same(ip(['-4', 'address', 'show', 'dev', 'v0'], { netns: ns }), '', 'all gone');

  await rt.address.add({ dev: 'v0', address: '192.0.2.5/24' });
  await rt.address.add({ dev: 'v0', address: '192.0.2.7/24', label: 'v0:x' });
  await rt.address.add({ dev: 'v0', address: '2001:db8::5/64', flags: ['nodad'] });
  await t.rejects(rt.address.delete({ dev: 'v0', address: '192.0.2.7/24', label: 'v0:y' }), { name: NotFoundError.name }, 'another label: not deleted');
  await rt.address.delete({ dev: 'v0', address: '192.0.2.7/24', label: 'v0:x' });
  await t.rejects(rt.address.delete({ dev: 'v0', address: '192.0.2.5', prefixlen: 32 }), { name: NotFoundError.name }, 'a length given: only that length');
  await t.rejects(rt.address.delete({ dev: 'v0', address: '192.0.2.5/32' }), { name: NotFoundError.name }, 'the same, written in the address');
  await rt.address.delete({ dev: 'v0', address: '192.0.2.5' }); // its /24, as ip's wildcard deletion
  await t.rejects(rt.address.delete({ dev: 'v0', address: '2001:db8::5' }), { name: NotFoundError.name }, 'IPv6 without a length: a /128');
  t.same(ip(['address', 'show', 'dev', 'v0', 'scope', 'global'], { netns: ns }).match(/inet6? \S+/g), ['inet6 2001:db8::5/64'], 'what is left');
});

t.test('neighbours: the kernel filters by link, entries carry their timers', kernel, async (t) => {
  const ns = scratchNetns(t);
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
  ip(['link', 'add', 'w0', 'type', 'veth', 'peer', 'name', 'w1'], { netns: ns });
  for (const l of ['v0', 'v1', 'w0', 'w1']) ip(['link', 'set', l, 'up'], { netns: ns });
  await using rt = await RtNetlink.open({ netns: ns });
  await t.rejects(rt.neighbour.add({ dev: 'v0', address: '192.0.2.7', lladdr: '02:00:00:00:00:07', state: 'sleepy' as 'stale' }),
    { name: InvalidArgumentError.name, message: 'neighbour 192.0.2.7: unknown neighbour state "sleepy" (known: none, incomplete, reachable, stale, delay, probe, failed, noarp, permanent)' });
  await rt.neighbour.add({ dev: 'v0', address: '192.0.2.7', lladdr: '02:00:00:00:00:07' });
  await rt.neighbour.add({ dev: 'w0', address: '192.0.2.8', lladdr: '02:00:00:00:00:08' });
  await rt.neighbour.add({ dev: 'w0', address: '2001:db8::8', lladdr: '02:00:00:00:00:08', proxy: true });

  // The kernel's own entries for multicast groups (ff02::16, 224.0.0.22) left out.
  const ours = (ns: Neighbour[]): Neighbour[] => ns.filter((n) => /^(192\.0\.2\.|2001:db8:)/.test(n.address ?? ''));
  const onV0 = ours(await rt.neighbour.list({ dev: 'v0' }));
  t.same(onV0.map((n) => n.address), ['192.0.2.7'], 'only v0\'s, although w0 has one too');
  t.ok((await rt.neighbour.list({ dev: 'v0' })).every((n) => n.index === onV0[0].index), 'the kernel\'s own entries of v0 only');
  const all = await rt.neighbour.list();
  t.same(ours(all).map((n) => n.address).sort(), ['192.0.2.7', '192.0.2.8'], 'the cache only: the proxy entry is not in it');
  const entry = onV0[0];
  t.equal(entry.lladdr, '02:00:00:00:00:07');
  t.ok(['probes', 'confirmed', 'used', 'updated'].every((k) => typeof entry[k as keyof typeof entry] === 'number'), `timers and probes: ${JSON.stringify(entry)}`);

  t.match(await rt.neighbour.get({ dev: 'w0', address: '2001:db8::8', proxy: true }), { address: '2001:db8::8', flags: ['proxy'], dev: 'w0' });
  t.same((await rt.neighbour.list({ proxy: true })).map((n) => n.address), ['2001:db8::8']);
  t.equal(await rt.neighbour.flush({ dev: 'w0', permanent: true }), 1, 'w0\'s one entry flushed');
  t.ok((await rt.neighbour.list({ dev: 'w0' })).every((n) => n.state === 'noarp'), 'the kernel\'s noarp entries kept, as ip does');
  t.same(ours(await rt.neighbour.list()).map((n) => n.address), ['192.0.2.7'], 'v0\'s entry left alone');
});

t.test('namespace ids: the bounds, pids, and current ids in a target listing', kernel, async (t) => {
  const home = scratchNetns(t);
  const [peer, third, fourth] = [scratchNetns(t), scratchNetns(t), scratchNetns(t)];
  await using rt = await RtNetlink.open({ netns: home });
  await using rtPeer = await RtNetlink.open({ netns: peer });
  const fds = readdirSync('/proc/self/fd').length;
  t.equal(await rt.nsid.set(peer, 0), 0, 'id 0 is taken');
  t.equal(await rt.nsid.set(fourth, 0x7fffffff), 0x7fffffff, 'the highest id is taken');
  t.equal(await rt.nsid.set(third, 5), 5);
  await rtPeer.nsid.set(home, 7);
  await rtPeer.nsid.set(third, 8);
  for (const bad of [0x80000000, -1, 1.5]) {
    await t.rejects(rt.nsid.set(`/run/netns/${third}`, bad), { name: InvalidArgumentError.name, message: `namespace /run/netns/${third}: an nsid is an integer from 0 to 2147483647, not ${bad}` });
  }
  for (const pid of [0, -1, 1.5]) {
    await t.rejects(rt.nsid.get({ pid }), { name: InvalidArgumentError.name, message: `namespace of process ${pid}: a process id is a positive integer` }, `pid ${pid}`);
  }
  await t.rejects(rt.nsid.list({ targetNsid: 1.5 }), { name: InvalidArgumentError.name, message: 'nsid list: targetNsid is a non-negative integer, not 1.5' });
  t.equal(readdirSync('/proc/self/fd').length, fds, 'no namespace fd left open');

  const ours = await rt.nsid.list({ targetNsid: 0 });
  const oracle = ipJson<Array<{ nsid: number; 'current-nsid'?: number; name?: string }>>(['netns', 'list-id', 'target-nsid', '0'], { netns: home });
  t.same(ours, oracle.map((e) => ({ nsid: e.nsid, ...(e['current-nsid'] === undefined ? {} : { currentNsid: e['current-nsid'] }), ...(e.name ? { name: e.name } : {}) })),
    '`ip netns list-id target-nsid 0` agrees');
  t.same(ours.sort((a, b) => a.nsid - b.nsid), [{ nsid: 7 }, { nsid: 8, currentNsid: 5, name: third }],
    'peer numbers home 7 (no id here, no name) and third 8 (5 here, named)');
});

t.test('an add is answered from the kernel\'s echo in one round trip; a kernel that does not echo is read back', async (t) => {
  for (const echoes of [true, false]) {
    const sent: Array<{ type: number; flags: number }> = [];
    let made = new Uint8Array(); // the address as the kernel reports it
    const fake = (h: SocketHandlers): Transport => {
      const none = (): void => undefined;
      return {
        fd: -1, port: 1, drain: none, pause: none, resume: none, setReferenced: none, joinGroup: none, leaveGroup: none, close: none,
        send(data) {
          for (const { header, payload } of parseMessages(data)) {
            sent.push({ type: header.type, flags: header.flags });
            if (header.type === RTM_NEWADDR) {
              const at = payload.byteOffset - data.byteOffset - 16;
              made = data.slice(at, at + header.len);
              new DataView(made.buffer).setUint16(6, 0, true);
              if (echoes && header.flags & NLM_F_ECHO) h.onDatagram(made);
              h.onDatagram(ack(header.seq));
            } else if (header.type === RTM_GETADDR) {
              const entry = made.slice();
              new DataView(entry.buffer).setUint16(6, NLM_F_MULTI, true);
              new DataView(entry.buffer).setUint32(8, header.seq, true);
              h.onDatagram(entry);
              h.onDatagram(done(header.seq));
            }
          }
        },
      };
    };
    using rt = RtNetlink.openSync({ transport: fake });
    const a = await rt.address.add({ dev: 3, address: '192.0.2.1/24' });
    t.match(a, { index: 3, cidr: '192.0.2.1/24', family: 'inet' }, `${echoes ? 'echoed' : 'read back'}: the address made`);
    t.same(sent.map((m) => m.type), echoes ? [RTM_NEWADDR] : [RTM_NEWADDR, RTM_GETADDR], echoes ? 'one request' : 'the add, then a dump of the link');
    t.ok(sent[0].flags & NLM_F_ECHO, 'the add asks for NLM_F_ECHO');
  }
});

t.test('every address and neighbour call names what it was given in its errors', kernel, async (t) => {
  const ns = scratchNetns(t);
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
  ip(['link', 'set', 'v0', 'up'], { netns: ns });
  await using rt = await RtNetlink.open({ netns: ns });
  const index = (await rt.link.get('v0')).index;
  const named = (p: Promise<unknown>, name: string, message: string) => t.rejects(p, { name, message }, message);
  const bad = 5 as unknown as { dev: string; address: string }; // what plain JS may pass
  await named(rt.address.list(bad), InvalidArgumentError.name, 'address filter: expected an object, not number');
  await named(rt.address.flush(bad), InvalidArgumentError.name, 'address flush: expected an object, not number');
  await named(rt.neighbour.list(bad), InvalidArgumentError.name, 'neighbour filter: expected an object, not number');
  await named(rt.neighbour.list({ proxy: 'yes' as unknown as boolean }), InvalidArgumentError.name, 'neighbour filter: proxy is true or false, not "yes"');
  await named(rt.neighbour.get(bad), InvalidArgumentError.name, 'neighbour: expected an object, not number');
  await named(rt.neighbour.delete(bad), InvalidArgumentError.name, 'neighbour: expected an object, not number');
  await named(rt.neighbour.flush(bad), InvalidArgumentError.name, 'neighbour flush: expected an object, not number');
  await named(rt.neighbour.add({ dev: 'v0', address: '192.0.2.9', lladdr: 'zz' }), InvalidArgumentError.name, 'neighbour 192.0.2.9 lladdr "zz": not a link-layer address like "02:00:00:00:00:01"');
  await named(rt.neighbour.add({ dev: 'v0', address: '192.0.2', lladdr: '02:00:00:00:00:01' }), InvalidArgumentError.name, 'neighbour "192.0.2": not a valid IPv4 or IPv6 address');
  await named(rt.neighbour.get({ dev: index, address: '192.0.2.77' }), NotFoundError.name, `neighbour 192.0.2.77 on link ${index}: Error: Neighbour entry not found.`);
  await named(rt.neighbour.delete({ dev: 'v0', address: '192.0.2.77' }), NotFoundError.name, 'neighbour 192.0.2.77 on "v0": RTNETLINK answers: No such file or directory');
  await rt.address.add({ dev: index, address: '192.0.2.5/24' });
  await named(rt.address.add({ dev: index, address: '192.0.2.5/24' }), ExistsError.name, `address 192.0.2.5/24 on link ${index}: Error: ipv4: Address already assigned.`);
  await named(rt.address.add({ dev: 'v0', address: '192.0.2.5/24' }), ExistsError.name, 'address 192.0.2.5/24 on "v0": Error: ipv4: Address already assigned.');

  // A proxy entry has no link-layer address: the key is left out, not set to undefined.
  await rt.neighbour.add({ dev: 'v0', address: '192.0.2.8', proxy: true });
  const proxy = await rt.neighbour.get({ dev: 'v0', address: '192.0.2.8', proxy: true });
  t.notOk('lladdr' in proxy || 'probes' in proxy, `no lladdr or probes on a proxy entry: ${JSON.stringify(proxy)}`);
  const streamed: string[] = [];
  await rt.neighbour.add({ dev: 'v0', address: '192.0.2.7', lladdr: '02:00:00:00:00:07' });
  for await (const n of rt.neighbour.iterate({ dev: 'v0' })) if (n.address?.startsWith('192.0.2.')) streamed.push(n.address);
  t.same(streamed, ['192.0.2.7'], 'iterate() gives what list() gives');
  // Each failure names the request the kernel refused (err.request), as a failed link call does.
  const requestOf = (p: Promise<unknown>) => p.then(() => undefined, (e: { request?: { name?: string } }) => e.request?.name);
  t.equal(await requestOf(rt.neighbour.delete({ dev: 'v0', address: '192.0.2.77' })), 'RTM_DELNEIGH');
  t.equal(await requestOf(rt.neighbour.add({ dev: 'v0', address: '192.0.2.7', lladdr: '02:00:00:00:00:07' })), 'RTM_NEWNEIGH');
  t.equal(await requestOf(rt.neighbour.get({ dev: 'v0', address: '192.0.2.77' })), 'RTM_GETNEIGH');
});
