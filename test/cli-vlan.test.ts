// `rtnl link add|set ... type vlan|ipvlan|ipvtap`: this kernel has neither driver, so what can be
// shown is the request and the answer. strace reads what ip and rtnl send for the same words:
// the same attributes (each nest's in the kernel's numbering order, which is how the kernel reads
// them: ip sends them in the order of the words), and the same refusal printed, with the same
// status. test/cli-kind-args.test.ts checks more words, and ip's refusals, without a kernel.
import t from 'tap';
import { BIN, traced } from './helpers/cli.js';
import { ip, kernel, scratchNetns } from './helpers/kernel.js';

/** Nested attributes to read as such, by type: IFLA_LINKINFO { IFLA_INFO_DATA { a vlan's QOS maps } }. */
type Nests = { [type: number]: Nests };
const LINK_NESTS: Nests = { 18: { 2: { 3: {}, 4: {} } } };
type Tree = Array<[number, string | Tree]>;

/** A request's ifinfomsg, then its attributes, each level ordered by type (duplicates in the order sent). */
function canonical(payload: string): [string, Tree] {
  const b = Buffer.from(payload, 'hex');
  return [payload.slice(0, 32), attrs(b.subarray(16), LINK_NESTS)];
}

function attrs(b: Uint8Array, nests: Nests): Tree {
  const out: Tree = [];
  for (let at = 0; at + 4 <= b.length;) {
    const len = b[at] | (b[at + 1] << 8);
    const type = (b[at + 2] | (b[at + 3] << 8)) & 0x3fff;
    const value = b.subarray(at + 4, at + len);
    // IFLA_INFO_KIND: rtnl ends the string with a NUL as the kernel does, ip does not (the kernel takes both).
    const text = Buffer.from(nests === LINK_NESTS[18] && type === 1 ? value.subarray(0, value.indexOf(0) < 0 ? undefined : value.indexOf(0)) : value).toString('hex');
    out.push([type, nests[type] ? attrs(value, nests[type]) : text]);
    at += (len + 3) & ~3;
  }
  return out.sort((x, y) => x[0] - y[0]);
}

t.test('rtnl link add|set ... type vlan|ipvlan|ipvtap sends what ip sends, and answers as ip does', kernel, async (t) => {
  const ns = scratchNetns(t, 'vlan');
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
  const lines = [
    'link add link v0 name v0.5 type vlan id 5',
    'link add link v0 name v0.5 mtu 1400 up type vlan id 5 protocol 802.1ad egress-qos-map 1:2 3:4 ingress-qos-map 0:1 reorder_hdr off gvrp on',
    'link add link v0 name v0.16 type vlan protocol 802.1Q id 0x10 mvrp on loose_binding on bridge_binding off',
    'link add link v0 name v0.7 type vlan id 7 protocol ip',
    'link add link v0 name v0.0 type vlan',
    'link add link v0 name v0.8 type vlan egress-qos-map id 8',
    'link set v0 type vlan egress-qos-map 2:3 reorder_hdr on',
    'link add link v0 name iv0 type ipvlan mode l3 private',
    'link add link v0 name iv0 type ipvlan mode l3s vepa',
    'link add link v0 name iv0 type ipvlan b',
    'link add link v0 name iv0 type ipvlan',
    'link add link v0 name it0 type ipvtap mode l2',
    'link set v0 type ipvlan mode l2',
    'link set v0 type ipvtap bridge',
  ];
  for (const line of lines) {
    const words = ['-n', ns, ...line.split(' ')];
    const theirs = traced(['ip', ...words]);
    const ours = traced([BIN, ...words]);
    t.same({ ...ours, sent: ours.sent.map(canonical) }, { ...theirs, sent: theirs.sent.map(canonical) }, line);
    t.equal(ours.sent.length, 1, `${line}: one request`);
  }
  t.notMatch(ip(['link', 'show'], { netns: ns }), /v0\.|iv0|it0/, 'nothing made');
});

t.test('no words after a kind: no kind data sent, as ip sends none; the kernel judges what it lacks', kernel, async (t) => {
  const ns = scratchNetns(t, 'nowd');
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
  for (const [line, made] of [['link add b9 type bridge', 'b9'], ['link add link v0 name m9 type macvlan', 'm9'], ['link add vx9 type vxlan', undefined]] as const) {
    const words = ['-n', ns, ...line.split(' ')];
    const theirs = traced(['ip', ...words]);
    if (made) ip(['link', 'del', made], { netns: ns });
    const ours = traced([BIN, ...words]);
    if (made) ip(['link', 'del', made], { netns: ns });
    t.same({ ...ours, sent: ours.sent.map(canonical) }, { ...theirs, sent: theirs.sent.map(canonical) }, line);
  }
});
