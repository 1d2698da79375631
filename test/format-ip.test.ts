// The codecs print IPv6 addresses themselves (sparing ipaddr.js's loading on every link dump:
// each link carries an IPv6 token): the same text as ipaddr.js's RFC 5952 form, for any bytes.
import t from 'tap';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { formatIp } from '../codecs/netlink/addresses.js';

t.test('formatIp prints IPv6 as ipaddr.js does (RFC 5952)', async (t) => {
  for (const s of ['::', '::1', '2001:db8::5', 'fe80::1:0:0:1', '2001:db8:0:0:1:0:0:1', '1:0:0:2:0:0:0:3', '2001:db8:1:2:3:4:5:6', '0:1::', '::ffff:c000:201']) {
    t.equal(formatIp(Uint8Array.from(ipaddr.parse(s).toByteArray())), ipaddr.parse(s).toString(), s);
  }
  t.equal(formatIp(Uint8Array.from(ipaddr.parse('2001:db8:0:0:1:0:0:1').toByteArray())), '2001:db8::1:0:0:1', 'the first of two equal runs');
  // Zero-heavy groups, so that runs of every length and place come up.
  const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
  fc.assert(fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (gs) => {
    const bytes = Uint8Array.from(gs.flatMap((g) => [g >> 8, g & 0xff]));
    return formatIp(bytes) === ipaddr.fromByteArray(Array.from(bytes)).toString();
  }), { numRuns: 5000 });
});
