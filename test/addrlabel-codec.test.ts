// RTM_*ADDRLABEL codec: the request iproute2 6.1 sends for `ip addrlabel add prefix
// 2001:db8::5/32 dev v0 label 100` (strace -e trace=sendmsg, kernel 6.18, v0 index 3) and an
// entry of the kernel's dump, decoded and re-encoded; an unknown attribute survives; a short
// header is a DecodeError.
import t from 'tap';
import { parseMessages } from '../codecs/netlink/message.js';
import { Writer } from '../codecs/netlink/writer.js';
import { RTM_NEWADDRLABEL, addrlabelCodec, type AddrLabelMessage } from '../codecs/route/addrlabel.js';
import { hex, toHex } from './helpers/bytes.js';

const vectors: Array<{ what: string; bytes: Uint8Array; expect: AddrLabelMessage }> = [
  {
    what: '`ip addrlabel add prefix 2001:db8::5/32 dev v0 label 100`',
    bytes: hex(`
      38000000 4800 0506 93c71567 00000000       # len 56, RTM_NEWADDRLABEL, REQUEST|ACK|EXCL|CREATE
      0a 00 20 00  03000000  00000000            # AF_INET6, reserved, prefixlen 32, flags 0, index 3, seq 0
      0800 0200 64000000                         # IFAL_LABEL 100
      1400 0100 20010db8000000000000000000000005 # IFAL_ADDRESS 2001:db8::5 (unmasked: the kernel masks it)
    `),
    expect: { family: 10, prefixlen: 32, flags: 0, index: 3, seq: 0, attrs: { label: 100, address: '2001:db8::5' } },
  },
  {
    what: 'a dump entry: ::1/128 label 0, on every link, the table\'s generation in ifal_seq',
    bytes: hex(`
      38000000 4800 0200 93c71567 2a000000       # len 56, RTM_NEWADDRLABEL, MULTI
      0a 00 80 00  00000000  07000000            # AF_INET6, prefixlen 128, index 0, seq 7
      1400 0100 00000000000000000000000000000001 # IFAL_ADDRESS ::1
      0800 0200 00000000                         # IFAL_LABEL 0
    `),
    expect: { family: 10, prefixlen: 128, flags: 0, index: 0, seq: 7, attrs: { address: '::1', label: 0 } },
  },
];

for (const v of vectors) {
  t.test(v.what, async (t) => {
    const [m] = parseMessages(v.bytes);
    t.equal(m.header.type, RTM_NEWADDRLABEL);
    const decoded = addrlabelCodec.decode(m.payload);
    t.same(decoded, v.expect);
    const again = new Writer().message(m.header, (w) => addrlabelCodec.encode(w, decoded)).finish();
    t.equal(toHex(again), toHex(v.bytes), 're-encoded to the same bytes, in the order received');
  });
}

t.test('a hand-built request encodes as iproute2 sends it', async (t) => {
  const [m] = parseMessages(vectors[0].bytes);
  const fresh = new Writer().message(m.header, (w) => addrlabelCodec.encode(w, structuredClone(vectors[0].expect))).finish();
  t.equal(toHex(fresh), toHex(vectors[0].bytes));
});

t.test('an unknown IFAL attribute survives decode then encode', async (t) => {
  const bytes = hex('0a002000 00000000 00000000  0800 0200 05000000  0800 0700 2a000000'); // IFAL_LABEL 5, type 7 (unknown)
  const m = addrlabelCodec.decode(bytes);
  t.same(m.attrs.other, [{ type: 7, value: hex('2a000000') }]);
  t.equal(toHex(new Writer().message({ type: RTM_NEWADDRLABEL, flags: 0, seq: 0 }, (w) => addrlabelCodec.encode(w, m)).finish().subarray(16)), toHex(bytes));
});

t.test('a header shorter than struct ifaddrlblmsg, or a label not of four bytes, is a DecodeError', async (t) => {
  t.throws(() => addrlabelCodec.decode(hex('0a002000 00000000')), { name: 'DecodeError', message: /ifaddrlblmsg/ }, 'named');
  t.throws(() => addrlabelCodec.decode(hex('0a002000 00000000 00000000  0600 0200 0500 0000')), { name: 'DecodeError', message: /label/ });
});
