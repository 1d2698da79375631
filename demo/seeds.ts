// `npm run demo`: the seeds' macvlan experiments, reproduced with the library only, in
// throwaway namespaces (nothing touches this machine's own interfaces), then a table of what
// reached what, per mode, with hairpin off and on at the switch port. Everything it made is
// removed at the end, on an error, and on Ctrl-C. Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN).
import { Macvlan, NetlinkError, type MacvlanMode } from '../src/index.js';
import { ADDR, addFarSubnet, buildSeed, destroyAll, udpReach, type Seed } from './topology.js';

const COLUMNS = ['outside -> child', 'child -> child', 'host -> child', 'other host -> child'] as const;
type Column = (typeof COLUMNS)[number];
type Cell = boolean | string;
interface Row { mode: string; hairpin: string; cells: Partial<Record<Column, Cell>>; note?: string }

const rows: Row[] = [];
const progress = (s: string): void => { process.stderr.write(`  ${s}\n`); };

/** Reachability from each column's sender to child 0 (or child 1, for child -> child), all at once. */
async function measure(seed: Seed, a: Macvlan, b: Macvlan | undefined): Promise<Row['cells']> {
  const to = a.netns as string;
  const probes: Array<[Column, Promise<boolean> | string]> = [
    ['outside -> child', udpReach(seed.ns.outside, to, ADDR.child(0))],
    ['child -> child', b ? udpReach(to, b.netns as string, ADDR.child(1)) : 'n/a'],
    ['host -> child', udpReach(seed.ns.host, to, ADDR.child(0))],
    ['other host -> child', udpReach(seed.ns.other, to, ADDR.child(0))],
  ];
  const values = await Promise.all(probes.map(([, p]) => p));
  return Object.fromEntries(probes.map(([k], i) => [k, values[i]]));
}

async function mode(mode: MacvlanMode): Promise<void> {
  progress(`${mode}: building a switch, three hosts and two children in throwaway namespaces`);
  const seed = await buildSeed('demo');
  try {
    const extra = mode === 'source' ? { sourceMacs: [await seed.macOf(seed.ns.outside)] } : {};
    const a = await seed.child(0, mode, extra);
    let b: Macvlan | undefined;
    let note: string | undefined;
    try {
      b = await seed.child(1, mode, extra);
    } catch (e) {
      if (!(e instanceof NetlinkError)) throw e;
      note = `second child refused: ${e.code}`;
    }
    if (mode === 'source') note = 'source list: the outside host\'s MAC only';
    for (const hairpin of [false, true]) {
      await seed.setHairpin(hairpin);
      progress(`${mode}: measuring with hairpin ${hairpin ? 'on' : 'off'} (UDP echo between sockets made inside the namespaces)`);
      rows.push({ mode, hairpin: hairpin ? 'on' : 'off', cells: await measure(seed, a, b), note });
    }
    if (mode === 'bridge') {
      await seed.setHairpin(false);
      progress('bridge: adding a host shim (Macvlan.hostShim) so that the host reaches its children');
      await Macvlan.hostShim({ parent: 'eth0', parentNetns: seed.ns.host, address: `${ADDR.shim}/32`, routes: [`${ADDR.child(0)}/32`] });
      rows.push({ mode: 'bridge + host shim', hairpin: 'off', cells: await measure(seed, a, b), note: 'host goes through its own bridge-mode macvlan' });
    }
  } finally {
    await seed.destroy();
  }
}

async function defaultRoute(): Promise<string> {
  progress('default route: a child with and one without, reached from 198.51.100.0/24 through a router');
  const seed = await buildSeed('demo');
  try {
    const far = await addFarSubnet(seed);
    const bare = await seed.child(0, 'bridge');
    const routed = await seed.child(1, 'bridge', { gateway: ADDR.outside });
    const [without, withIt] = await Promise.all([
      udpReach(far, bare.netns as string, ADDR.child(0)),
      udpReach(far, routed.netns as string, ADDR.child(1)),
    ]);
    return `from another subnet (${ADDR.far}): child without a default route ${yes(without)}, with one ${yes(withIt)}`;
  } finally {
    await seed.destroy();
  }
}

const yes = (c: Cell | undefined): string => (c === undefined ? '' : typeof c === 'string' ? c : c ? 'yes' : 'no');

function table(): string {
  const head = ['mode', 'hairpin', ...COLUMNS, 'note'];
  const body = rows.map((r) => [r.mode, r.hairpin, ...COLUMNS.map((c) => yes(r.cells[c])), r.note ?? '']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

async function main(): Promise<number> {
  if (process.getuid?.() !== 0) {
    process.stderr.write('The demo makes network namespaces: run it as root (sudo npm run demo).\n');
    return 1;
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: removing the namespaces made so far\n`);
      void destroyAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
  const started = Date.now();
  process.stderr.write('Reproducing the macvlan seeds (switch = a bridge; host = the parent\'s; other host = not on a source list)\n');
  try {
    for (const m of ['private', 'vepa', 'bridge', 'passthru', 'source'] as const) await mode(m);
    const route = await defaultRoute();
    process.stdout.write(`\nMeasured reachability (UDP echo, ${((Date.now() - started) / 1000).toFixed(1)} s):\n\n${table()}\n\n${route}\n`);
    return 0;
  } finally {
    await destroyAll();
  }
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => {
  process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
