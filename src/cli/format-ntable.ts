// A neighbour table, or a link's parameters in it, as `ip ntable show` prints them
// (ip/ipntable.c print_ntable()): -s adds the table's config and counters.
import type { NdtConfig, NdtStats, NeighbourTableMessage } from '../../codecs/route/neighbour-table.js';
import { FAMILIES } from './format-address.js';
import { hex0x, RawJson, type Printer } from './print.js';

export interface NtableView {
  /** -s: the config and the counters. */
  stats: boolean;
  name(index: number): string;
}

/** print_ntable(): the family and name, the thresholds, the parameters, then a blank line. */
export function printNtable(p: Printer, m: NeighbourTableMessage, v: NtableView): void {
  const a = m.attrs;
  p.openObject();
  p.any('family', '%s ', FAMILIES[m.family] ?? '???');
  if (a.name !== undefined) p.any('name', '%s ', a.name);
  p.nl();
  const gc = a.thresh1 !== undefined || a.thresh2 !== undefined || a.thresh3 !== undefined || a.gcInterval !== undefined;
  if (gc) p.fp('    ');
  if (a.thresh1 !== undefined) p.any('thresh1', 'thresh1 %s ', a.thresh1);
  if (a.thresh2 !== undefined) p.any('thresh2', 'thresh2 %s ', a.thresh2);
  if (a.thresh3 !== undefined) p.any('thresh3', 'thresh3 %s ', a.thresh3);
  if (a.gcInterval !== undefined) p.any('gc_interval', 'gc_int %s ', Number(a.gcInterval));
  if (gc) p.nl();
  if (a.config && v.stats) printConfig(p, a.config);
  if (a.parms) printParms(p, a.parms, v);
  if (a.stats && v.stats) printStats(p, a.stats);
  p.fp('\n');
  p.closeObject();
}

/** ntable_strtime_delta(): the local time `ms` milliseconds ago, as strftime's `%Y-%m-%d %T`; 0 is "(error)". */
function ago(ms: number): string {
  if (ms === 0) return '(error)';
  const t = new Date((Math.floor(Date.now() / 1000) - Math.floor(ms / 1000)) * 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${two(t.getMonth() + 1)}-${two(t.getDate())} ${two(t.getHours())}:${two(t.getMinutes())}:${two(t.getSeconds())}`;
}

/** print_ndtconfig(). */
function printConfig(p: Printer, c: NdtConfig): void {
  p.any('key_length', '    config key_len %s ', c.keyLen);
  p.any('entry_size', 'entry_size %s ', c.entrySize);
  p.any('entries', 'entries %s ', c.entries);
  p.nl();
  p.any('last_flush', '        last_flush %s ', ago(c.lastFlush));
  p.any('last_rand', 'last_rand %s ', ago(c.lastRand));
  p.nl();
  p.any('hash_rnd', '        hash_rnd %s ', c.hashRnd);
  // print_0xhex(): "%#llx" in JSON, the format's %08llx in text.
  p.jsonOnly('hash_mask', hex0x(c.hashMask));
  p.fp(`hash_mask ${c.hashMask.toString(16).padStart(8, '0')} `);
  p.any('hash_chain_gc', 'hash_chain_gc %s ', c.hashChainGc);
  p.any('proxy_qlen', 'proxy_qlen %s ', c.proxyQlen);
  p.nl();
}

type Parms = NonNullable<NeighbourTableMessage['attrs']['parms']>;

/** print_ndtparams(): four lines of what the kernel gave, by ip's words. */
function printParms(p: Printer, t: Parms, v: NtableView): void {
  if (t.ifindex !== undefined) {
    p.fp('    dev ');
    p.colored('ifname', 'dev', '%s ', v.name(t.ifindex));
    p.nl();
  }
  p.fp('    ');
  lines<number | bigint | undefined>(p, [
    [['refcnt', t.refcnt], ['reachable', t.reachableTime], ['base_reachable', t.baseReachableTime], ['retrans', t.retransTime]],
    [['gc_stale', t.gcStaletime], ['delay_probe', t.delayProbeTime], ['queue', t.queueLen]],
    [['app_probes', t.appProbes], ['ucast_probes', t.ucastProbes], ['mcast_probes', t.mcastProbes]],
    [['anycast_delay', t.anycastDelay], ['proxy_delay', t.proxyDelay], ['proxy_queue', t.proxyQlen], ['locktime', t.locktime]],
  ], (key, value) => {
    if (value !== undefined) p.any(key, `${key} %s `, Number(value));
  });
}

/** Lines of `key value ` pairs, four blanks after each break (a backslash with -o), then print_nl(). */
function lines<T>(p: Printer, rows: Array<Array<[string, T]>>, put: (key: string, value: T) => void): void {
  rows.forEach((row, i) => {
    if (i) p.fp(`${p.sl}    `);
    for (const [key, value] of row) put(key, value);
  });
  p.nl();
}

/** print_ndtstats(): the counters, whole in JSON (u64). */
function printStats(p: Printer, s: NdtStats): void {
  p.fp('    stats ');
  lines(p, [
    [['allocs', s.allocs], ['destroys', s.destroys], ['hash_grows', s.hashGrows]],
    [['res_failed', s.resFailed], ['lookups', s.lookups], ['hits', s.hits]],
    [['rcv_probes_mcast', s.rcvProbesMcast], ['rcv_probes_ucast', s.rcvProbesUcast]],
    [['periodic_gc_runs', s.periodicGcRuns], ['forced_gc_runs', s.forcedGcRuns]],
    [['table_fulls', s.tableFulls]],
  ], (key, value) => {
    p.jsonOnly(key, new RawJson(String(value ?? 0n)));
    p.fp(`${key} ${String(value ?? 0n)} `);
  });
}
