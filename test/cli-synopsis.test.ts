// docs/cli.md's synopsis is the tested surface: every object, command and option it documents
// is run here against ip on equal throwaway namespaces (the same exit code, output and message,
// and in the end the same state), or, for those that need a stage of their own (a monitor, a
// private /run/netns, a batch file), named with the test file that runs it against ip.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IP, RTNL, state } from './helpers/cli.js';
import { kernel, noDad, scratchNetns } from './helpers/kernel.js';

const doc = readFileSync(fileURLToPath(new URL('../../docs/cli.md', import.meta.url)), 'utf8');

/** `OBJECT COMMAND` for each synopsis line of COMMANDS (`{ add | change }` gives both; a bare object `show`). */
function documentedCommands(): string[] {
  const section = doc.slice(doc.indexOf('## COMMANDS'), doc.indexOf('## BATCH'));
  const out = new Set<string>();
  for (const line of section.split('\n').filter((l) => l.startsWith('rtnl '))) {
    const words = line.replace(/^rtnl (\[[^\]]*\] )*/, '').split(/\s+/);
    const [object, next, ...rest] = words;
    if (next === '{') for (const w of rest.slice(0, rest.indexOf('}'))) { if (w !== '|') out.add(`${object} ${w}`); }
    else if (next === '[' && rest[0] === 'show') out.add(`${object} show`);
    else if (next === '[' && rest[0] === 'list') out.add(`${object} list`);
    else if (next === undefined || next.startsWith('[') || next === '') out.add(object);
    else out.add(`${object} ${next}`);
  }
  return [...out];
}

/** The short form of each option in OPTIONS (`-s[tatistics]` is -s). */
function documentedOptions(): string[] {
  const block = doc.slice(doc.indexOf('OPTIONS :='), doc.indexOf('```', doc.indexOf('OPTIONS :=')));
  return [...new Set([...block.matchAll(/(?<![\w-])(-[\w]+)/g)].map((m) => m[1]))];
}

/** Run here, in order, by ip and by rtnl, each in a namespace of its own set up the same way. */
const STEPS = [
  'link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02',
  'link add link v0 name mv0 address 02:00:00:00:00:03 type macvlan mode bridge', 'link set mv0 mtu 1400 alias hello', 'link set mv0 brd ff:ff:ff:ff:ff:fe',
  'link set v0 up', 'link set v1 up', 'link set group 0 txqueuelen 900', 'link add d0 address 02:00:00:00:00:04 type bridge', 'link delete d0',
  'link property add dev v0 altname v0-alt altname v0-an-alternative-name-longer-than-ifnamsiz', 'link property del v0-alt altname v0-alt',
  'link show', 'link show type macvlan', '-s link show mv0', '-stats -d link show mv0', '-br link show', '-o link show', '-j link show',
  // Counters of links that are down (the others count IPv6 chatter between the two runs); -h's scaling is in cli-options.
  '-j -p link show', '-N link show', '-h -s link show mv0', '-iec -h -s link show mv0', '-c link show v0', '-t link show lo', '-ts link show lo',
  'address add 192.0.2.1/24 dev v0', 'address change 192.0.2.1/24 dev v0 preferred_lft forever', 'address replace 192.0.2.1/24 dev v0 metric 5',
  'address add 198.51.100.1/24 dev v0', 'address delete 198.51.100.1/24 dev v0', 'address add 192.0.2.3/24 dev v0 scope link', 'address add 127.0.0.2/8 dev v0 scope global', 'link set v0 txqueuelen many', 'address add 198.51.100.2/24 dev mv0', 'address show up', 'address flush dev mv0',
  'address show dev v0', '-4 address show', '-6 address show', '-0 address show', '-f inet address show', '-family link address show',
  'route add 203.0.113.0/24 via 192.0.2.9', 'route add 198.51.100.128/25 via inet 192.0.2.9', 'route add 203.0.113.64/26 dev v0 scope host', 'route add 203.0.113.192/26 nexthop via inet 192.0.2.9 dev v0 nexthop via 192.0.2.8', 'route append 203.0.113.0/24 via 192.0.2.8 metric 7', 'route change 203.0.113.0/24 via 192.0.2.7', 'route prepend 203.0.113.0/24 via 192.0.2.6', 'route show 203.0.113.0/24',
  'route replace 198.51.100.0/24 dev v0 mtu lock 1300', 'route delete 203.0.113.0/24 metric 7', 'route show', 'route show table all',
  'route get 203.0.113.5', 'route flush 198.51.100.0/24', 'route show',
  'neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev v0', 'neigh replace 192.0.2.7 lladdr 02:00:00:00:00:08 dev v0 nud reachable',
  'neigh add proxy 192.0.2.9 dev v0', 'neigh show', 'neigh show proxy', 'neigh get 192.0.2.7 dev v0', 'neigh delete 192.0.2.7 dev v0',
  'neigh add 192.0.2.6 lladdr 02:00:00:00:00:06 dev v0 nud stale', 'neigh flush dev v0', 'neigh show',
  'rule add from 192.0.2.0/24 table 100 pref 100', 'rule add fwmark 5 table 5 pref 5', 'rule list', '-j rule list', 'rule delete pref 100', 'rule flush table 5', 'rule list',
  'nexthop add id 1 via 192.0.2.2 dev v0', 'nexthop add id 2 group 1', 'nexthop replace id 1 via 192.0.2.3 dev v0', 'route add 198.51.100.0/25 nhid 2',
  '-d route show', 'nexthop list', '-j nexthop list', 'nexthop get id 1', 'nexthop delete id 2', 'nexthop flush', 'nexthop list',
  'netns identify',
];

/** What needs a stage of its own, and the test file that runs it against ip. */
const ELSEWHERE: Record<string, [file: string, words: string]> = {
  monitor: ['cli-monitor.test.ts', "'monitor'"],
  netconf: ['cli-netconf.test.ts', "['netconf', 'show']"],
  // Compared there with a table of its own for state (the kernel's defaults, flushed at the end).
  'addrlabel add': ['cli-addrlabel.test.ts', 'addrlabel add prefix 2001:db8::/32 label 100'],
  'addrlabel del': ['cli-addrlabel.test.ts', 'addrlabel del prefix 2001:db8::/32 label 100'],
  'addrlabel list': ['cli-addrlabel.test.ts', 'addrlabel list'],
  // A bucket's idle time runs on between ip's listing and rtnl's: compared there, apart.
  'nexthop bucket': ['cli-nexthop.test.ts', 'nexthop bucket get id 12 index 7'],
  // Each link's `reachable` is drawn at random: twin namespaces differ; run there on one, and on twins with it left out.
  'ntable show': ['cli-ntable.test.ts', 'ntable show dev none'],
  'ntable change': ['cli-ntable.test.ts', 'ntable change name arp_cache dev v0 queue 50'],
  'link xstats': ['cli-stats.test.ts', "'link', 'xstats'"],
  'stats show': ['cli-stats.test.ts', 'stats show group offload subgroup l3_stats group offload'],
  'stats set': ['cli-stats.test.ts', 'stats set dev v0 l3_stats on'],
  // Saved dumps go through stdin and stdout as bytes: compared there, with ip's files and rtnl's.
  'address save': ['saved.test.ts', "'address', 'save'"],
  'address restore': ['saved.test.ts', "'address', 'restore'"],
  'address showdump': ['saved.test.ts', "object, 'showdump'"],
  'route save': ['saved.test.ts', "'route', 'save'"],
  'route restore': ['saved.test.ts', "'route', 'restore'"],
  'route showdump': ['saved.test.ts', "object, 'showdump'"],
  '-j': ['cli-options.test.ts', "'-j'"],
  '-l': ['cli-options.test.ts', "'-l', loops"],
  '-rc': ['cli-options.test.ts', "'-rc', size"],
  '-V': ['cli-options.test.ts', "RTNL_BIN.run(['-V'])"],
  // /run/netns is shared with the test files that run meanwhile: listed where nothing else changes it.
  'netns list': ['cli-kernel.test.ts', "'netns', 'list'"],
  'netns list-id': ['cli-kernel.test.ts', "'netns', 'list-id'"],
  'netns add': ['cli-options.test.ts', 'netns add b1'],
  'netns attach': ['cli-options.test.ts', 'netns attach a1'],
  'netns delete': ['cli-options.test.ts', '-all netns delete'],
  'netns set': ['cli-kernel.test.ts', "'netns', 'set'"],
  'netns exec': ['cli-options.test.ts', '-all netns exec'],
  'netns pids': ['cli-flush.test.ts', "'netns', 'pids'"],
  // inotify on /run/netns: compared there, in a mount namespace of its own.
  'netns monitor': ['netns-watch.test.ts', 'netns monitor'],
  '-n': ['cli-kernel.test.ts', "'-n'"],
  '-a': ['cli-options.test.ts', '-all netns'],
  '-help': ['cli-options.test.ts', "['-help']"],
  '-p': ['cli-options.test.ts', "'-p'"],
};

/** The words of a step, as a command of `OBJECT COMMAND` and its options. */
const covers = (step: string, item: string): boolean => {
  const words = step.split(' ');
  let i = 0;
  for (; words[i]?.startsWith('-'); i++) if (words[i] === '-f' || words[i] === '-family') i++;
  if (item.startsWith('-')) return words.slice(0, i).some((w) => w === item || (w.startsWith(item) && item.length > 2));
  const [object, command] = item.split(' ');
  return words[i] === object && (command === undefined || words[i + 1] === command);
};

t.test('every command and option of docs/cli.md\'s synopsis is run against ip, here or in the test named', async (t) => {
  const commands = documentedCommands();
  const options = documentedOptions();
  t.ok(commands.length >= 25 && options.length >= 15, `the synopsis read (${commands.length} commands, ${options.length} options)`);
  for (const item of [...commands, ...options]) {
    const elsewhere = ELSEWHERE[item];
    if (STEPS.some((s) => covers(s, item))) t.pass(`${item}: run here`);
    else if (elsewhere) {
      const text = readFileSync(fileURLToPath(new URL(`../../test/${elsewhere[0]}`, import.meta.url)), 'utf8');
      t.ok(text.includes(elsewhere[1]), `${item}: run in ${elsewhere[0]}`);
    } else t.fail(`${item}: documented but run against ip nowhere`);
  }
});

t.test('the synopsis steps: each the same exit code, output and message as ip, and the same state', kernel, async (t) => {
  const runs = [];
  for (const tool of [IP, RTNL]) {
    const ns = scratchNetns(t, 'syn');
    // No DAD: the link-local addresses (fixed, from fixed MACs) are not tentative for a while.
    noDad(ns);
    const seen = [];
    for (const step of STEPS) {
      const r = await tool.run(['-n', ns, ...step.split(' ')]);
      // Without the tool's name, the namespace's (each run has its own) and the timestamps; the rest as printed.
      const norm = (s: string): string => s.replace(/\bip\b/g, 'rtnl').replaceAll(ns, 'NS').replace(/Timestamp: .*|\[\d{4}-[^\]]*\]/g, 'STAMP');
      seen.push({ step, status: r.status, stdout: norm(r.stdout), stderr: norm(r.stderr) });
    }
    runs.push({ seen, state: await state(ns) });
  }
  for (const [i, step] of STEPS.entries()) t.same(runs[1].seen[i], runs[0].seen[i], step);
  t.same(runs[1].state, runs[0].state, 'the same state in the end');
});
