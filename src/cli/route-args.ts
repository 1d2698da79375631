// The words of routes and rules that name a table, a route type, a DS field or realms
// (rtnl_rttable_a2n(), rtnl_rtntype_a2n(), rtnl_dsfield_a2n(), get_rt_realms_or_raw()).
import { ROUTE_TYPES } from '../../codecs/route/route.js';
import { flowOfRealms } from '../api/route.js';
import { cNumber, dsfield, invarg, ipWord, named } from './args.js';
import { realms, tables } from './name-db.js';

/** rtnl_rttable_a2n(): a table's name or number, else ip's refusal. */
export function tableArg(v: string, message = '"table" value is invalid'): number {
  const id = named(tables.names(), v, 0xffffffff);
  if (id === undefined) throw invarg(message, v);
  return id;
}

/** rtnl_rtntype_a2n(): a route type by name (some by prefix, as ip), or a number up to 255. */
export function routeTypeArg(w: string): number | undefined {
  const exact = ['local', 'nat', 'throw'];
  const order = ['local', 'nat', 'broadcast', 'anycast', 'multicast', 'prohibit', 'unreachable', 'blackhole', 'xresolve', 'unicast', 'throw'] as const;
  const name = w === 'brd' ? 'broadcast' : order.find((k) => ipWord(w, k, exact.includes(k)));
  return name ? ROUTE_TYPES[name] : named({}, w, 255);
}

/** A tos as rtnl_dsfield_a2n() reads it (a name, else hexadecimal: `tos 10` is 0x10); else ip's `message`. */
export function tosArg(v: string, message: string): number {
  const n = dsfield(v);
  if (n === undefined) throw invarg(message, v);
  return n;
}

/**
 * get_rt_realms_or_raw(): `[FROM/]TO`, each a realm's name or a number up to 255 (a missing TO is
 * 0), else the whole RTA_FLOW value as get_unsigned() reads it; undefined for neither.
 */
export function realmsArg(v: string): number | undefined {
  const slash = v.indexOf('/');
  const from = slash < 0 ? 0 : named(realms.names(), v.slice(0, slash));
  const toWord = v.slice(slash + 1);
  const to = toWord === '' ? 0 : named(realms.names(), toWord);
  if (from !== undefined && to !== undefined) return flowOfRealms({ from, to });
  const raw = cNumber(v);
  return Number.isInteger(raw) && raw <= 0xffffffff ? raw : undefined;
}
