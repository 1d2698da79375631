// Link groups (IFLA_GROUP): set at creation or later, listed by group, changed and deleted a
// group at a time in one request, with `ip` as the oracle; and the same through `rtnl link`.
import t from 'tap';
import { RtNetlink, InvalidArgumentError, NotFoundError, PermissionError } from '../src/index.js';
import { ipJson, kernel, scratchNetns, vethPair } from './helpers/kernel.js';
import { IP, RTNL, ipOut, ok, type Result } from './helpers/cli.js';

interface IpLink { ifname: string; group: string; flags: string[]; master?: string }
/** ip 6.1 prints `{}` for each link a group filter leaves out: those are dropped here. */
const listed = (links: IpLink[]): IpLink[] => links.filter((l) => l.ifname !== undefined);
const byGroup = (ns: string, group: string): string[] =>
  listed(ipJson<IpLink[]>(['link', 'show', 'group', group], { netns: ns })).map((l) => l.ifname).sort();

t.test('groups through the library: set at creation and later, listed, changed and deleted as one', kernel, async (t) => {
  const ns = scratchNetns(t, 'grp');
  vethPair(ns, 'p0', 'p1');
  await using rt = await RtNetlink.open({ netns: ns });
  for (const name of ['g1', 'g2', 'g3']) await rt.link.add({ kind: 'macvlan', name, parent: 'p0', group: 7 });
  await rt.link.add({ kind: 'macvlan', name: 'h1', parent: 'p0' });
  await rt.link.set('h1', { group: 8 });
  t.same(byGroup(ns, '7'), ['g1', 'g2', 'g3'], 'ip sees group 7 as made by add()');
  t.same(byGroup(ns, '8'), ['h1'], 'and group 8 as set by set()');
  t.same((await rt.link.list({ group: 7 })).map((l) => l.name ?? '').sort(), ['g1', 'g2', 'g3'], 'list({ group })');
  const it: string[] = [];
  for await (const l of rt.link.iterate({ group: 8 })) it.push(l.name ?? '');
  t.same(it, ['h1'], 'iterate({ group })');
  t.same((await rt.link.list({ group: 0 })).map((l) => l.name ?? '').sort(), ['lo', 'p0', 'p1'], 'group 0 is the default');

  await rt.link.set({ group: 7 }, { up: true, mtu: 1400 });
  for (const l of listed(ipJson<Array<IpLink & { mtu: number }>>(['link', 'show', 'group', '7'], { netns: ns })) as Array<IpLink & { mtu: number }>) {
    t.ok(l.flags.includes('UP') && l.mtu === 1400, `${l.ifname} up with mtu 1400, one request for the group`);
  }
  t.notOk(ipJson<IpLink[]>(['link', 'show', 'h1'], { netns: ns })[0].flags.includes('UP'), 'a link of another group untouched');

  await rt.link.delete({ group: 7 });
  t.same(byGroup(ns, '7'), [], 'group 7 deleted');
  t.same(byGroup(ns, '8'), ['h1'], 'group 8 still there');

  const none = await rt.link.delete({ group: 7 }).catch((e: unknown) => e);
  t.type(none, NotFoundError, 'a group with no link: ENODEV');
  t.match((none as NotFoundError).message, /link group 7/, 'named');
  t.type(await rt.link.delete({ group: 0 }).catch((e: unknown) => e), PermissionError, 'the kernel refuses to delete group 0');
  t.same(byGroup(ns, '0'), ['lo', 'p0', 'p1'], 'and deletes nothing');
  for (const [sel, changes, re] of [
    [{ group: -1 }, undefined, /group must be an integer/],
    [{ group: 'x' }, undefined, /group must be an integer/],
    [{}, undefined, /a link name, an index or \{ group: N \}/],
    [{ group: 8 }, { name: 'x' }, /name cannot be set for a whole group/],
    [{ group: 8 }, { group: 9 }, /group cannot be set for a whole group/],
  ] as const) {
    const e = await (changes ? rt.link.set(sel as never, changes) : rt.link.delete(sel as never)).catch((e: unknown) => e);
    t.type(e, InvalidArgumentError, `${JSON.stringify(sel)} ${JSON.stringify(changes ?? {})} refused`);
    t.match((e as Error).message, re);
  }
  t.same(byGroup(ns, '8'), ['h1'], 'nothing changed by refused input');
  t.rejects(rt.link.list({ group: 1.5 }), InvalidArgumentError, 'a filter group must be an integer');
});

t.test('groups through rtnl link, against ip', kernel, async (t) => {
  const ns = scratchNetns(t, 'grpc');
  vethPair(ns, 'p0', 'p1');
  for (const tool of [IP, RTNL]) {
    const run = (args: string[]): Promise<Result> => tool.run(['-n', ns, ...args]);
    for (const name of ['m1', 'm2']) await ok(tool, ['-n', ns, 'link', 'add', 'link', 'p0', 'name', name, 'group', '5', 'type', 'macvlan']);
    await ok(tool, ['-n', ns, 'link', 'add', 'link', 'p0', 'name', 'm3', 'type', 'macvlan']);
    await ok(tool, ['-n', ns, 'link', 'set', 'dev', 'm3', 'group', '6']);
    await ok(tool, ['-n', ns, 'link', 'set', 'group', '5', 'up']);
    await ok(tool, ['-n', ns, 'link', 'add', 'br0', 'type', 'bridge']);
    const group5 = async (): Promise<IpLink[]> => listed(JSON.parse((await run(['-j', 'link', 'show', 'group', '5'])).stdout) as IpLink[]);
    const masters = async (): Promise<string[]> => (await group5()).map((l) => `${l.ifname} ${l.master ?? '-'}`);
    await ok(tool, ['-n', ns, 'link', 'set', 'group', '5', 'master', 'br0']);
    t.same(await masters(), ['m1 br0', 'm2 br0'], `${tool.name}: link set group 5 master br0`);
    await ok(tool, ['-n', ns, 'link', 'set', 'group', '5', 'nomaster']);
    t.same(await masters(), ['m1 -', 'm2 -'], `${tool.name}: link set group 5 nomaster`);
    await ok(tool, ['-n', ns, 'link', 'delete', 'br0']);
    t.same((await group5()).map((l) => `${l.ifname} ${l.group} ${l.flags.includes('UP')}`), ['m1 5 true', 'm2 5 true'], `${tool.name}: link show group 5`);
    t.equal((await run(['link', 'show', 'group', '6'])).stdout, await ipOut(['link', 'show', 'group', '6'], ns), `${tool.name}: text as ip prints it`);
    t.equal((await run(['-d', 'link', 'show', 'group', 'default'])).stdout, await ipOut(['-d', 'link', 'show', 'group', 'default'], ns), `${tool.name}: group default`);
    await ok(tool, ['-n', ns, 'link', 'delete', 'group', '5']);
    t.same(byGroup(ns, '5'), [], `${tool.name}: group 5 deleted`);
    const failed = await run(['link', 'delete', 'group', '5']);
    t.same([failed.status, failed.stderr], [2, 'RTNETLINK answers: No such device\n'], `${tool.name}: deleting an empty group`);
    await ok(tool, ['-n', ns, 'link', 'delete', 'm3']);
  }
});
