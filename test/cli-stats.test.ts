// `rtnl stats` against `ip stats`: every selection and output option on one namespace whose
// counters hold still (ip before and after rtnl all the same), and set and refusals run by ip in
// one namespace and rtnl in its twin, with the same output, status and l3_stats after.
import t, { type Test } from 'tap';
import { batchFile, IP, RTNL_BIN, sameAsIp, sameLines, split } from './helpers/cli.js';
import { ip, kernel, scratchNetns, setSysctl, vethPair } from './helpers/kernel.js';
import { quietScene } from './helpers/stats.js';

t.test('rtnl stats show prints what ip prints, for every selection and output option', kernel, async (t) => {
  const { ns, peer } = await quietScene(t, 'cst');
  ip(['stats', 'set', 'dev', 'p0', 'l3_stats', 'on'], { netns: ns });
  for (const opts of [[], ['-j'], ['-j', '-p'], ['-o'], ['-s'], ['-d'], ['-h'], ['-s', '-s'], ['-c']]) {
    for (const show of split(`
      stats
      stats show
      stats show dev p0
      stats show dev br0 group xstats
      stats show group xstats_slave subgroup bridge suite stp group link
      stats show group offload subgroup l3_stats group offload
      stats show group offload subgroup cpu_hit group offload subgroup hw_stats_info
      stats show dev p0 group offload subgroup l3_stats
      stats show group afstats group xstats subgroup bond
      stats show group link group link
    `)) await sameAsIp(t, ns, [...opts, ...show]);
  }
  await sameAsIp(t, peer, ['stats', 'show', 'dev', 'm0']);
  await sameAsIp(t, peer, ['-j', 'stats', 'show', 'group', 'link']);
});

function twin(t: Test): string {
  const ns = scratchNetns(t, 'cst');
  for (const c of ['all', 'default']) setSysctl(ns, `net.ipv6.conf.${c}.disable_ipv6`, 1);
  vethPair(ns, 'v0', 'v1');
  return ns;
}
const l3 = (ns: string): string => ip(['stats', 'show', 'group', 'offload', 'subgroup', 'hw_stats_info'], { netns: ns });

t.test('stats set does what ip does; refusals say what ip says, with its status', kernel, async (t) => {
  await sameLines(t, split(`
    stats set dev v0 l3_stats on
    stats set dev v1 l3_stats on
    stats set dev v1 l3_stats off
    stats set dev lo l3_stats on
    stats set dev nope l3_stats on
    stats set dev v0
    stats set l3_stats on
    stats set dev v0 l3_stats maybe
    stats set dev v0 l3_stats on l3_stats off
    stats set dev v0 dev v1 l3_stats on
    stats set dev v0 frob
    stats set dev 0123456789abcdefg l3_stats on
    stats set dev v0 help
    stats show dev nope
    stats show dev 0123456789abcdefg
    stats show dev lo dev lo
    stats show dev
    stats show group
    stats show group foo
    stats show subgroup x
    stats show group link subgroup x
    stats show group xstats subgroup bridge suite nope
    stats show group xstats suite stp
    stats show suite x
    stats show group foo group link
    stats show frob
    stats show help
    stats help
    stats frob
  `), twin, l3);
});

t.test('in a batch, a line after `stats show` prints as it would alone (ip\'s show_stats, raised by each `stats show`, is not carried)', kernel, async (t) => {
  const ns = twin(t);
  const lines = ['stats show dev v0 group link', 'link show dev v0', 'stats show group nope', 'stats show dev v0 group link', 'link show dev v0'];
  for (const opts of [[], ['-d']]) {
    const ours = await RTNL_BIN.run(['-n', ns, ...opts, '-force', '-batch', batchFile(t, lines)]);
    let alone = '';
    for (const l of lines) alone += (await IP.run(['-n', ns, ...opts, ...l.split(' ')])).stdout;
    t.equal(ours.stdout, alone, `${opts.join(' ')} each line as ip prints it alone`);
    t.notMatch(ours.stdout, /mode DEFAULT group default qlen 1000\n.*\n {4}RX:/, 'link show: no counters');
    const theirs = await IP.run(['-n', ns, ...opts, '-force', '-batch', batchFile(t, lines)]);
    const rx = (out: string): number => out.split('RX:  bytes').length;
    t.ok(rx(theirs.stdout) > rx(ours.stdout), 'where ip\'s batch prints them');
  }
});

t.test('a refused selection goes on in a -force batch (ip returns EINVAL); a usage error ends it', kernel, async (t) => {
  const ns = twin(t);
  const file = batchFile(t, ['stats show group foo', 'stats set dev v0 l3_stats on', 'stats set dev v0', 'stats set dev v1 l3_stats on']);
  const args = ['-n', ns, '-force', '-batch', file];
  const ours = await RTNL_BIN.run(args);
  t.same(ours, await IP.run(args), 'the same status and output');
  t.match(l3(ns), /v0: group offload subgroup hw_stats_info\n {4}l3_stats on /, 'the line after the refused selection ran');
  t.match(l3(ns), /v1: group offload subgroup hw_stats_info\n {4}l3_stats off /, 'the line after the usage error did not');
});

t.test('rtnl link xstats prints what ip link xstats prints: bridges and ports, each selection; refusals in ip\'s words', kernel, async (t) => {
  const { ns } = await quietScene(t, 'cxs');
  ip(['link', 'add', 'br1', 'type', 'bridge', 'mcast_stats_enabled', '0'], { netns: ns });
  for (const opts of [[], ['-j'], ['-j', '-p']]) {
    for (const words of split(`
      type bridge
      type bridge_slave
      type bridge stp
      type bridge_slave stp
      type bridge_slave igmp dev p0
      type bridge_slave mcast
      type bridge dev p0
      type bridge dev br0
      help
      type bridge_slave help
    `)) await sameAsIp(t, ns, [...opts, 'link', 'xstats', ...words]);
  }
  for (const words of split(`
    type bridge dev nosuch
    type veth
    type foo
    type bridge bogus
    bogus
    type
  `).concat([[]])) {
    const args = ['-n', ns, 'link', 'xstats', ...words];
    const [theirs, ours] = [await IP.run(args), await RTNL_BIN.run(args)];
    t.same(ours, theirs, `link xstats ${words.join(' ')}: ${theirs.stderr.trim()}, exit ${theirs.status}`);
  }
  const bond = await RTNL_BIN.run(['-n', ns, 'link', 'xstats', 'type', 'bond']);
  t.same([bond.status, bond.stderr], [1, 'rtnl: link xstats type bond is not supported (this kernel has no bonding to compare it with)\n'], 'bond: refused by name');
});
