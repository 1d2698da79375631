// A prefix heard in a router advertisement as `ip monitor prefix` prints it (ip/ipprefix.c print_prefix()).
import type { PrefixMessage } from '../../codecs/route/prefix.js';
import { prefixFlags } from '../api/prefix.js';
import type { Printer } from './print.js';

/**
 * ip's line, `prefix 2001:db8:1::/64dev v1 onlink autoconf valid 2592000 preferred 604800 `
 * (no blank before `dev`, as ip prints it). ip 6.1 reads `onlink` and `autoconf` from bits this
 * kernel no longer sets them in: rtnl prints the flags the advertisement had. With -j (where ip
 * prints its text) one object: `prefix`, `dev`, `flags` (every flag's name), `valid`, `preferred`.
 */
export function printPrefix(p: Printer, m: PrefixMessage, name: (index: number) => string): void {
  const flags = prefixFlags(m.flags);
  p.openObject();
  if (m.attrs.address !== undefined) p.any('prefix', 'prefix %s', `${m.attrs.address}/${m.prefixlen}`);
  p.any('dev', 'dev %s ', name(m.ifindex));
  for (const f of ['onlink', 'autoconf'] as const) if (flags.includes(f)) p.fp(`${f} `);
  p.jsonOnly('flags', flags);
  if (m.attrs.cacheinfo) {
    p.any('valid', 'valid %s ', m.attrs.cacheinfo.valid);
    p.any('preferred', 'preferred %s ', m.attrs.cacheinfo.preferred);
  }
  p.fp('\n');
  p.closeObject();
}
