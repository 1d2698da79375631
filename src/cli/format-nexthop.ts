// A nexthop object as `ip nexthop show` and `ip monitor` print it (ip/ipnexthop.c
// __print_nexthop_entry()), and a resilient group's bucket as `ip nexthop bucket show` does.
import { NEXTHOP_GRP_TYPE_MPATH, NEXTHOP_GRP_TYPE_RES, grpWeight, resSeconds, type NexthopGrp, type NhMessage } from '../../codecs/route/nexthop.js';
import { scopeName } from './format-address.js';
import { g, printEncap, printGateway, printRtFlags, protocolName } from './format-route.js';
import { familyColor, RawJson, type Printer } from './print.js';

export interface NexthopView {
  deleted?: boolean;
  /** -d: the scope and the protocol always. */
  details?: boolean;
  name(index: number): string;
}

/** print_cache_nexthop(): a line of `ip nexthop show` or `ip monitor`. */
export function printNexthop(p: Printer, m: NhMessage, v: NexthopView): void {
  printNexthopEntry(p, m, v);
  p.fp('\n');
}

/**
 * A route view's `nhInfo` (-d), print_cache_nexthop_id(): the nexthop object of that id among
 * `nexthops` as `\n\tnh_info id 1 via ...` (the object `nh_info` in JSON); nothing when unknown.
 */
export function nhInfoOf(nexthops: ReadonlyMap<number, NhMessage>, name: (index: number) => string): (p: Printer, id: number) => void {
  return (p, id) => {
    const m = nexthops.get(id);
    if (!m) return;
    p.fp('\n\tnh_info ');
    printNexthopEntry(p, m, { details: true, name }, 'nh_info');
  };
}

/** __print_nexthop_entry(): as the object `key` (a route's `nh_info`), or a row when null. */
export function printNexthopEntry(p: Printer, m: NhMessage, v: NexthopView, key: string | null = null): void {
  const a = m.attrs;
  p.openObject(key);
  if (v.deleted) p.bool('deleted', 'Deleted ');
  p.any('id', 'id %s ', a.id ?? 0);
  if (a.group) printGroup(p, a.group);
  const type = a.groupType ?? NEXTHOP_GRP_TYPE_MPATH;
  if (type !== NEXTHOP_GRP_TYPE_MPATH) p.any('type', 'type %s ', type === NEXTHOP_GRP_TYPE_RES ? 'resilient' : '<unknown type>');
  if (a.resGroup) printResilient(p, a.resGroup);
  printEncap(p, a);
  if (a.gateway !== undefined) printGateway(p, { gateway: a.gateway }, familyColor(m.family));
  if (a.oif) {
    p.fp('dev ');
    p.colored('ifname', 'dev', '%s ', v.name(a.oif));
  }
  if (m.scope !== 0 || v.details) p.any('scope', 'scope %s ', p.named(m.scope, scopeName));
  if (a.blackhole) p.null('blackhole', 'blackhole ', '');
  if (m.protocol !== 0 || v.details) p.any('protocol', 'proto %s ', p.named(m.protocol, protocolName));
  printRtFlags(p, m.flags);
  if (a.fdb) p.null('fdb', 'fdb', '');
  p.closeObject();
}

/** print_nexthop_bucket(): `id 42 index 5 idle_time 0.19 nhid 41 ` and the flags. */
export function printNexthopBucket(p: Printer, m: NhMessage): void {
  const b = m.attrs.resBucket;
  p.openObject();
  if (m.attrs.id !== undefined) p.any('id', 'id %s ', m.attrs.id);
  if (b) {
    p.openObject('bucket');
    if (b.index !== undefined) p.any('index', 'index %s ', b.index);
    if (b.idleTime !== undefined) seconds(p, 'idle_time', b.idleTime);
    if (b.nhId !== undefined) p.any('nhid', 'nhid %s ', b.nhId);
    p.closeObject();
  }
  printRtFlags(p, m.flags);
  p.fp('\n');
  p.closeObject();
}

/** print_tv() of a clock_t: seconds as %g, in JSON too (`1.23457e+06`). */
function seconds(p: Printer, key: string, ticks: number | bigint | undefined): void {
  const s = g(resSeconds(ticks ?? 0));
  p.jsonOnly(key, new RawJson(s));
  p.fp(`${key} ${s} `);
}

/**
 * print_nh_group(): `group ID[,WEIGHT]/...`, the weight only when not 1. ip 6.1 reads the weight's
 * low byte alone; the whole of it is printed here (a weight of 300 is not 44).
 */
function printGroup(p: Printer, group: NexthopGrp[]): void {
  p.openArray('group');
  p.fp('group ');
  group.forEach((e, i) => {
    p.openObject();
    if (i) p.fp('/');
    p.any('id', '%s', e.id);
    const weight = grpWeight(e);
    if (weight !== 1) p.any('weight', ',%s', weight);
    p.closeObject();
  });
  p.fp(' ');
  p.closeArray();
}

/** print_nh_res_group(): buckets, and the timers in seconds (as %g). */
function printResilient(p: Printer, r: NonNullable<NhMessage['attrs']['resGroup']>): void {
  p.openObject('resilient_args');
  p.any('buckets', 'buckets %s ', r.buckets ?? 0);
  seconds(p, 'idle_timer', r.idleTimer);
  seconds(p, 'unbalanced_timer', r.unbalancedTimer);
  seconds(p, 'unbalanced_time', r.unbalancedTime);
  p.closeObject();
}
