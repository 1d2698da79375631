// rt.rule and monitor({ rule: true }) against the kernel, `ip -j rule show` the oracle: rules of
// every kind added, listed as ip lists them and deleted by spec or as listed; refusals typed,
// naming the rule, leaving nothing behind; a monitor whose events rebuild what a listing shows.
import t from 'tap';
import { ExistsError, InvalidArgumentError, monitor, NotFoundError, RtNetlink, type MonitorEvent, type Rule } from '../src/index.js';
import { ip, ipJson, kernel, scratchNetns, vethPair } from './helpers/kernel.js';
import { collect } from './helpers/events.js';
import { RULES, ruleAsIp } from './helpers/rule.js';

type IpRule = Record<string, unknown>;
const v4 = (ns: string): IpRule[] => ipJson<IpRule[]>(['rule', 'show'], { netns: ns });
const v6 = (ns: string): IpRule[] => ipJson<IpRule[]>(['-6', 'rule', 'show'], { netns: ns });

t.test('add() resolves with the rule; list() shows what ip rule show shows', kernel, async (t) => {
  const ns = scratchNetns(t, 'rl');
  vethPair(ns, 'v0', 'v1');
  await using rt = await RtNetlink.open({ netns: ns });
  const made: Rule[] = [];
  for (const spec of RULES) made.push(await rt.rule.add(spec));
  t.same((await rt.rule.list({ family: 'inet' })).map(ruleAsIp), v4(ns), 'IPv4: every kind');
  t.same((await rt.rule.list({ family: 'inet6' })).map(ruleAsIp), v6(ns), 'IPv6');
  const all = await rt.rule.list();
  t.equal(all.length, v4(ns).length + v6(ns).length, 'both families without a filter');
  // What add() resolved with is the rule as listed, but for the goto whose target came later.
  for (const r of made) {
    const listed = all.find((l) => l.family === r.family && l.priority === r.priority);
    t.same({ ...r, flags: r.flags.filter((f) => f !== 'unresolved') }, listed && { ...listed, flags: listed.flags.filter((f) => f !== 'unresolved') }, `${r.family} ${r.priority}`);
  }
  t.same(made.find((r) => r.priority === 400)?.flags, ['unresolved'], 'a goto before its target: unresolved as made');
  t.same(all.find((r) => r.priority === 400)?.flags, [], '... resolved once the target is there');
  t.same(all.find((r) => r.priority === 1400)?.flags, ['unresolved'], 'a goto to a priority no rule has');
  const auto = made[made.length - 1];
  t.ok(auto.priority > 0 && auto.priority < 100, `no priority given: the kernel's (${auto.priority}), one below the first after 0`);
  t.same((await rt.rule.list({ table: 100 })).map((r) => [r.family, r.priority]), [['inet', 100], ['inet6', auto.priority], ['inet6', 100]], 'by table');
  t.same((await rt.rule.list({ family: 'inet', table: 'local' })).map((r) => r.priority), [0], 'by a table\'s name');
});

t.test('delete() by what a spec says, or as listed; the kernel\'s refusals typed and naming the rule', kernel, async (t) => {
  const ns = scratchNetns(t, 'rl');
  await using rt = await RtNetlink.open({ netns: ns });
  await rt.rule.add({ from: '192.0.2.0/24', table: 7, priority: 50 });
  const twin = await rt.rule.add({ from: '198.51.100.0/24', table: 8, priority: 50 });
  await t.rejects(rt.rule.add({ from: '192.0.2.0/24', table: 7, priority: 50 }), {
    name: ExistsError.name, code: 'EEXIST', message: 'rule 50 from 192.0.2.0/24 lookup 7: RTNETLINK answers: File exists', request: { name: 'RTM_NEWRULE' },
  });
  await rt.rule.delete(twin);
  t.same(v4(ns).filter((r) => r.priority === 50), [{ priority: 50, src: '192.0.2.0', srclen: 24, table: '7' }], 'the listed rule went, its twin of the same priority stayed');
  await rt.rule.delete({ priority: 50 });
  t.notOk(v4(ns).some((r) => r.priority === 50), 'by priority alone');
  await t.rejects(rt.rule.delete({ priority: 50 }), { name: NotFoundError.name, code: 'ENOENT', message: 'rule 50: RTNETLINK answers: No such file or directory' });
  await rt.rule.add({ family: 'inet6', table: 9, priority: 60 });
  await rt.rule.delete({ priority: 60, family: 'inet6' });
  t.notOk(v6(ns).some((r) => r.priority === 60), 'an IPv6 rule, by its family');
  await t.rejects(rt.rule.add({ goto: 0, priority: 70 }), { name: InvalidArgumentError.name, code: 'EINVAL', message: 'rule 70 goto 0: Error: Backward goto not supported.' }, 'a goto to a rule before it: the kernel\'s words');
});

t.test('bad input is refused before anything is sent, and nothing is made', kernel, async (t) => {
  const ns = scratchNetns(t, 'rl');
  await using rt = await RtNetlink.open({ netns: ns });
  const before = v4(ns);
  const refusals: Array<[unknown, RegExp]> = [
    [{ from: 'not an address', table: 5 }, /from "not an address"/],
    [{ from: '2001:db8::/32', to: '192.0.2.0/24' }, /to is not an inet6 prefix/],
    [{ iif: '' }, /a link name must be a non-empty string/],
    [{ sport: { start: 2, end: 1 } }, /sport starts at 2, after its end 1/],
    [{ uidRange: 5 }, /uidRange/],
    [{ priority: 1.5 }, /priority 1.5/],
    [{ table: 'main', l3mdev: true }, /l3mdev/],
    [{ action: 'goto' }, /needs goto/],
    [null, /rule/],
    ['from 192.0.2.0/24', /rule/],
  ];
  for (const [spec, why] of refusals) {
    await t.rejects(rt.rule.add(spec as never), { name: InvalidArgumentError.name, code: 'EINVAL', message: why }, JSON.stringify(spec));
  }
  await t.rejects(rt.rule.delete({ sport: -1 }), { name: InvalidArgumentError.name, message: /sport\.start -1/ });
  await t.rejects(rt.rule.list({ table: 'nosuch' as never }), { name: InvalidArgumentError.name, message: /unknown table "nosuch"/ });
  t.same(v4(ns), before, 'no rule was made');
});

t.test('monitor({ rule: true }): existing rules, then each change; the events rebuild the listing', kernel, async (t) => {
  const ns = scratchNetns(t, 'rl');
  await using rt = await RtNetlink.open({ netns: ns });
  const m = monitor({ netns: ns, rule: true, existing: true });
  t.teardown(() => m.close());
  const state = new Map<string, Rule>();
  // A rule is what it matches and does; not the flags the kernel works out as it tells it.
  const key = (r: Rule): string => JSON.stringify(ruleAsIp({ ...r, flags: r.flags.filter((f) => f === 'invert') })) + r.family;
  const apply = (evs: MonitorEvent[]): void => {
    for (const ev of evs) {
      if (ev.family !== 'rule') continue;
      if (ev.type === 'del') state.delete(key(ev.rule));
      else state.set(key(ev.rule), ev.rule);
    }
  };
  const existing = await collect(m, (evs) => evs.some((e) => e.type === 'synced'));
  apply(existing);
  t.equal(state.size, 5, 'the kernel\'s rules: local, main, default (IPv4), local, main (IPv6)');
  await rt.rule.add({ goto: 300, priority: 200 });
  await rt.rule.add({ from: '192.0.2.0/24', table: 5, priority: 300 });
  ip(['-6', 'rule', 'add', 'from', '2001:db8::/48', 'table', '6', 'pref', '10'], { netns: ns });
  await rt.rule.delete({ priority: 32767 });
  const changes = await collect(m, (evs) => evs.length >= 5);
  const told = changes.map((e) => (e.family === 'rule' ? `${e.type} ${e.rule.family} ${e.rule.priority} ${e.rule.flags.join(',')} ${e.via}` : e.type));
  t.same([...told].sort(), [
    'change inet 200  dump', 'del inet 32767  notification', 'new inet 200 unresolved notification', 'new inet 300  notification', 'new inet6 10  notification',
  ], 'the goto told as made, then resolved (found by dumping again: the kernel says nothing) once its target came');
  t.ok(told.indexOf('new inet 300  notification') < told.indexOf('change inet 200  dump'), `in order: ${told.join('; ')}`);
  apply(changes);
  await rt.rule.delete({ priority: 300 });
  const unresolved = await collect(m, (evs) => evs.length >= 2);
  t.same(unresolved.map((e) => (e.family === 'rule' ? [e.type, e.rule.priority, e.rule.flags, e.via] : e.type)), [['del', 300, [], 'notification'], ['change', 200, ['unresolved'], 'dump']], 'and unresolved again when its target goes');
  apply(unresolved);
  const listed = await rt.rule.list();
  t.same([...state.values()].map(ruleAsIp).sort(byText), listed.map(ruleAsIp).sort(byText), 'what the events built is what list() shows');
});

const byText = (a: unknown, b: unknown): number => JSON.stringify(a).localeCompare(JSON.stringify(b));
