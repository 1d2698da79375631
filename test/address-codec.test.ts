// Address codec: iproute2's `ip address` requests and the kernel's dump (test/vectors/address/),
// decoded and re-encoded; the API builds the same requests.
import t from 'tap';
import { addressCodec, type AddressMessage } from '../codecs/route/address.js';
import { InvalidArgumentError } from '../src/errors.js';
import { addressMessage, toAddress, type Address, type AddressOptions } from '../src/api/address.js';
import { fuzz, reencode, vector } from './helpers/rt-vectors.js';

const names = ['add-v4', 'add-v4-full', 'add-v6-flags', 'replace-v6', 'del-v4', 'dump'];

t.test('every captured request and reply decodes and re-encodes to the same bytes', async (t) => {
  for (const name of names) {
    const v = vector(`address/${name}`);
    for (const m of [v.request, ...v.replies]) t.same(reencode(addressCodec, m.payload).bytes, m.payload, `${name}: ${v.command}`);
  }
});

t.test('addressMessage() builds what iproute2 sends', async (t) => {
  const cases: Array<[string, string, AddressOptions]> = [
    ['add-v4', '192.0.2.5/24', {}],
    ['add-v4-full', '198.51.100.6/24', { broadcast: '198.51.100.255', label: 'mv1:one', scope: 'link', validLft: 100, preferredLft: 50 }],
    ['add-v6-flags', '2001:db8::5/64', { flags: ['nodad', 'noprefixroute'] }],
    ['replace-v6', '2001:db8::5/64', { flags: ['nodad'], validLft: 300, preferredLft: 200 }],
    ['del-v4', '198.51.100.6/24', {}],
  ];
  for (const [name, cidr, opts] of cases) {
    const theirs = addressCodec.decode(vector(`address/${name}`).request.payload);
    t.same(addressMessage(4, cidr, opts), theirs, name);
  }
});

t.test('the dump decodes to what `ip address show` prints', async (t) => {
  const got = vector('address/dump').replies.map((m) => toAddress(addressCodec.decode(m.payload), new Map([[4, 'mv1']])));
  t.same(got.map((a) => a.cidr), ['192.0.2.5/24', '2001:db8::5/64', 'fe80::ff:fe00:101/64']);
  t.match(got[0], { family: 'inet', dev: 'mv1', index: 4, scope: 'global', flags: ['permanent'], label: 'mv1', validLft: 'forever', preferredLft: 'forever' });
  t.match(got[1], { family: 'inet6', flags: ['nodad'], validLft: 300, preferredLft: 200 });
  t.match(got[2], { scope: 'link', flags: ['tentative', 'permanent'], protocol: 3 });
});

t.test('toAddress() gives the keys the message has, and no others', async (t) => {
  const from = (attrs: AddressMessage['attrs']): Address => toAddress({ family: 10, prefixlen: 64, flags: 0, scope: 0, index: 3, attrs });
  const local = from({ local: '2001:db8::1' });
  t.same(Object.keys(local), ['family', 'index', 'prefixlen', 'cidr', 'scope', 'flags', 'local'], 'IFA_LOCAL alone: no `address` key');
  t.same({ ...local }, { family: 'inet6', index: 3, prefixlen: 64, cidr: '2001:db8::1/64', scope: 'global', flags: [], local: '2001:db8::1' });
  const rest = from({ address: '2001:db8::2', anycast: '2001:db8::', multicast: 'ff02::1', rtPriority: 5, proto: 2 });
  t.same(Object.keys(rest), ['family', 'index', 'prefixlen', 'cidr', 'scope', 'flags', 'address', 'anycast', 'multicast', 'metric', 'protocol']);
  t.same([rest.cidr, rest.anycast, rest.multicast, rest.metric, rest.protocol], ['2001:db8::2/64', '2001:db8::', 'ff02::1', 5, 2]);
  t.equal(from({}).cidr, '/64', 'neither address nor local (the kernel always sends one): an empty address');
});

t.test('bad input is an InvalidArgumentError naming the thing at fault', async (t) => {
  const bad: Array<[string, AddressOptions, RegExp]> = [
    ['192.0.2.5/40', {}, /address "192\.0\.2\.5\/40": prefix length must be 0 to 32/],
    ['192.0.2.x/24', {}, /address "192\.0\.2\.x": not a valid IPv4 or IPv6 address/],
    ['192.0.2.5/24', { scope: 'planet' as never }, /unknown scope "planet"/],
    ['192.0.2.5/24', { flags: ['fast' as never] }, /address 192\.0\.2\.5\/24: unknown address flag "fast"/],
    ['2001:db8::5/64', { label: 'mv1:x' }, /labels are for IPv4 only/],
    ['192.0.2.5/24', { validLft: 10, preferredLft: 20 }, /preferredLft \(20\) is longer than validLft \(10\)/],
    ['192.0.2.5/24', { validLft: -1 }, /validLft -1: must be a whole number of seconds/],
  ];
  for (const [cidr, opts, re] of bad) {
    t.throws(() => addressMessage(1, cidr, opts), re);
    t.throws(() => addressMessage(1, cidr, opts), InvalidArgumentError);
  }
});

t.test('random and mutated address bytes only ever fail with DecodeError', async (t) => {
  fuzz(t, addressCodec, names.flatMap((n) => { const v = vector(`address/${n}`); return [v.request, ...v.replies].map((m) => m.payload); }));
});
