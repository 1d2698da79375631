// `rtnl ntable` against `ip ntable`: the listings in one namespace (ip before and after rtnl: the
// kernel draws each link's `reachable` anew every five minutes), and changes and refusals run by
// ip in one namespace and rtnl in its twin, with the same output, status and parameters after.
import t, { type Test } from 'tap';
import { batchFile, IP, RTNL, RTNL_BIN, sameLines, split, type Result } from './helpers/cli.js';
import { ip, kernel, scratchNetns, vethPair } from './helpers/kernel.js';

function twin(t: Test): string {
  const ns = scratchNetns(t, 'cnt');
  vethPair(ns, 'v0', 'v1');
  return ns;
}

/**
 * The links' parameters (not the tables' own, whose counters are the whole machine's), without
 * `reachable` (drawn at random) and `refcnt` (the neighbours the link's IPv6 start makes, as they come).
 */
const state = (ns: string): string => ip(['ntable', 'show'], { netns: ns }).split('\n\n').filter((r) => r.includes(' dev ')).join('\n\n')
  .replace(/refcnt \d+ reachable \d+ base/g, 'refcnt N reachable R base');

const counted = (r: Result): Result => ({ ...r, stdout: r.stdout.replace(/(refcnt"?:? ?)\d+/g, '$1N') });

t.test('rtnl ntable show prints what ip prints, with every selector and output option', kernel, async (t) => {
  const ns = twin(t);
  ip(['ntable', 'change', 'name', 'arp_cache', 'dev', 'v0', 'queue', '50', 'locktime', '700'], { netns: ns });
  for (const opts of [[], ['-j'], ['-j', '-p'], ['-o'], ['-4'], ['-6'], ['-s']]) {
    for (const show of split(`
      ntable
      ntable show dev v0
      ntable show dev none
      ntable show name ndisc_cache
      ntable lst dev v1 name arp_cache
      ntbl list
    `)) {
      const args = ['-n', ns, ...opts, ...show];
      // -s prints the tables' own counters, the whole machine's, which move between any two runs.
      if (opts.includes('-s') && !show.includes('v0') && !show.includes('v1')) continue;
      // `refcnt` counts the neighbours the links' IPv6 start makes, as they come: its digits left out.
      const [before, ours, after] = [counted(await IP.run(args)), counted(await RTNL.run(args)), counted(await IP.run(args))];
      t.same(ours, JSON.stringify(ours) === JSON.stringify(before) ? before : after, `rtnl ${args.slice(2).join(' ')}`);
    }
  }
});

t.test('ntable change does what ip does and says what ip says', kernel, async (t) => {
  await sameLines(t, split(`
    ntable change name arp_cache dev v0 queue 50 base_reachable 20000 retrans 500 gc_stale 30000 delay_probe 4000
    ntable chg name arp_cache dev v0 app_probes 1 ucast_probes 2 mcast_probes 4 anycast_delay 900 proxy_delay 700 proxy_queue 32 locktime 800
    -6 ntable change name ndisc_cache dev v1 retrans 0x7d0 queue 010
    ntable change name arp_cache thresh1 64
    ntable change name arp_cache gc_int 1000
    ntable change name arp_cache queue 5
    ntable change name nosuch dev v0 queue 5
    -6 ntable change name arp_cache dev v0 queue 5
    ntable change name arp_cache dev nosuch queue 5
    ntable change dev v0 queue 5
    ntable change name arp_cache dev v0
    ntable change name a name b queue 1
    ntable change name arp_cache dev v0 queue x
    ntable change name arp_cache dev v0 queue 4294967296
    ntable change name arp_cache dev v0 frob 1
    ntable change name arp_cache dev v0 queue
    ntable show dev nosuch
    ntable show frob
    ntable show name
    ntable help
  `), twin, state);
});

t.test('a change the kernel refuses ends a -force batch there, as ip exit()s', kernel, async (t) => {
  const ns = twin(t);
  // The table's own gc_stale: ENOENT outside the first namespace.
  const file = batchFile(t, ['ntable change name ndisc_cache dev v0 queue 7', 'ntable change name ndisc_cache gc_stale 0', 'link show dev lo']);
  const args = ['-n', ns, '-force', '-batch', file];
  const [ours, theirs] = [await RTNL_BIN.run(args), await IP.run(args)];
  t.same(ours, theirs, 'the same status and output: the line after the refused change did not run');
  t.equal(theirs.status, 2);
});
