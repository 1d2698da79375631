// rt.addrlabel against the kernel, with `ip addrlabel` as the oracle: the table as ip lists it
// (the kernel's defaults too), labels added for a prefix and for a link, deleted, refused.
import t from 'tap';
import { ExistsError, InvalidArgumentError, NotFoundError, RtNetlink } from '../src/index.js';
import { ip, ipJson, kernel, scratchNetns, vethPair } from './helpers/kernel.js';

interface IpLabel { address: string; prefixlen: number; ifname?: string; label: number }
const ipLabels = (ns: string): IpLabel[] => ipJson<IpLabel[]>(['addrlabel', 'list'], { netns: ns });
/** ip's listing as rt.addrlabel.list({ names: true }) gives it. */
const asOurs = (l: IpLabel): object => ({ prefix: `${l.address}/${l.prefixlen}`, label: l.label, ...(l.ifname === undefined ? {} : { dev: l.ifname }) });

t.test('the table as ip lists it; labels added and deleted, for a prefix and for one link', kernel, async (t) => {
  const ns = scratchNetns(t, 'alb');
  vethPair(ns, 'v0', 'v1', false);
  await using rt = await RtNetlink.open({ netns: ns });
  const defaults = await rt.addrlabel.list();
  t.ok(defaults.some((l) => l.prefix === '::1/128' && l.label === 0), 'the kernel\'s defaults: ::1/128 label 0');
  t.same(defaults.map((l) => ({ ...l })), ipLabels(ns).map(asOurs), 'as ip lists them, in its order');

  const made = await rt.addrlabel.add({ prefix: '2001:db8::5/32', label: 100 });
  t.same(made, { prefix: '2001:db8::/32', label: 100 }, 'resolves with it as the kernel keeps it: the prefix masked');
  const onLink = await rt.addrlabel.add({ prefix: '2001:db8::/32', label: 101, dev: 'v0' });
  const v0 = ip(['-j', 'link', 'show', 'v0'], { netns: ns });
  t.same(onLink, { prefix: '2001:db8::/32', label: 101, index: (JSON.parse(v0) as Array<{ ifindex: number }>)[0].ifindex, dev: 'v0' }, 'one link\'s');
  t.same((await rt.addrlabel.list({ names: true })).map((l) => ({ ...l, index: undefined })), ipLabels(ns).map((l) => ({ ...asOurs(l), index: undefined })), 'named, as ip lists them');
  await t.rejects(rt.addrlabel.add({ prefix: '2001:db8::/32', label: 7 }), ExistsError, 'the same prefix and link again');

  await rt.addrlabel.delete({ prefix: '2001:db8::/32', label: 100 });
  const listed = (await rt.addrlabel.list()).find((l) => l.label === 101);
  await rt.addrlabel.delete(listed!);
  t.notOk(ipLabels(ns).some((l) => l.address === '2001:db8::'), 'both gone, the second deleted as listed');
  await t.rejects(rt.addrlabel.delete({ prefix: '2001:db8::/32', label: 100 }), { name: 'NotFoundError', message: /^address label 2001:db8::\/32: / }, 'none left: NotFoundError');
  t.type(await rt.addrlabel.delete({ prefix: '2001:db8:1::/48', label: 1 }).catch((e: unknown) => e), NotFoundError);
});

t.test('bad labels are refused before sending, naming what is wrong; nothing made', kernel, async (t) => {
  const ns = scratchNetns(t, 'alb');
  await using rt = await RtNetlink.open({ netns: ns });
  const before = ip(['addrlabel', 'list'], { netns: ns });
  const bad: Array<[unknown, RegExp]> = [
    [{ prefix: '192.0.2.0/24', label: 5 }, /^address label 192\.0\.2\.0\/24: address labels are for IPv6 prefixes$/],
    [{ prefix: '2001:db8::/32', label: 4294967295 }, /: label must be an integer from 0 to 4294967294, not 4294967295$/],
    [{ prefix: '2001:db8::/32', label: -1 }, /: label must be an integer from 0 to 4294967294, not -1$/],
    [{ prefix: '2001:db8::/32' }, /: label must be an integer from 0 to 4294967294, not undefined$/],
    [{ prefix: 5, label: 5 }, /^address label 5: prefix is an IPv6 prefix such as "2001:db8::\/32", not 5$/],
    [{ prefix: '2001:db8::/129', label: 5 }, /2001:db8::\/129/],
    [{ prefix: '2001:db8::/32', label: 5, lable: 6 }, /^address label: unknown option "lable" \(did you mean label\?\)$/],
    [{ prefix: '2001:db8::/32', label: 5, dev: 'nosuch0' }, /^address label 2001:db8::\/32: dev nosuch0: /],
    [null, /^address label: expected an object, not null$/],
  ];
  for (const [spec, message] of bad) {
    const e = await rt.addrlabel.add(spec as never).catch((x: unknown) => x);
    t.ok(e instanceof InvalidArgumentError || e instanceof NotFoundError, `${JSON.stringify(spec)}: typed`);
    t.match((e as Error).message, message);
  }
  await t.rejects(rt.addrlabel.list({ name: true } as never), { name: 'InvalidArgumentError', message: /unknown option "name" \(did you mean names\?\)/ });
  t.equal(ip(['addrlabel', 'list'], { netns: ns }), before, 'nothing made');
});
