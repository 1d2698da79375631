// An address as `ip address show` prints it under its link (ip/ipaddress.c print_addrinfo).
import { IFA_F_DEPRECATED, INFINITY_LIFE_TIME, type AddressMessage } from '../../codecs/route/address.js';
import { scopes } from './name-db.js';
import { familyColor, type Printer } from './print.js';

/** rtnl_rtscope_n2a(). */
export function scopeName(scope: number): string {
  return String(scopes.name(scope));
}

/** ifa_flag_data[] in iproute2's order; "secondary" is "temporary" on IPv6, "permanent" is printed as its absence ("dynamic"). */
const IFA_FLAGS: Array<[string, number]> = [
  ['secondary', 0x01], ['nodad', 0x02], ['optimistic', 0x04], ['dadfailed', 0x08], ['home', 0x10], ['deprecated', 0x20],
  ['tentative', 0x40], ['permanent', 0x80], ['mngtmpaddr', 0x100], ['noprefixroute', 0x200], ['autojoin', 0x400],
  ['stable-privacy', 0x800],
];

/** family_name(): the families ip names (print_addrinfo() prints others as `family N`). */
export const FAMILIES: Record<number, string> = { 2: 'inet', 10: 'inet6', 17: 'link', 28: 'mpls', 7: 'bridge' };

/** What print_addrinfo() shows besides the address: -br (the address alone), -o (each line starts with its link). */
export interface AddressView {
  brief: boolean;
  oneline: boolean;
  dev: string;
  /** RTM_DELADDR (ip monitor): `Deleted ` first. */
  deleted?: boolean;
  /** ip address showdump: `ifN:` and a line break first (JSON: `index`). */
  ifLine?: boolean;
}

export function printAddress(p: Printer, m: AddressMessage, v: AddressView): void {
  const a = m.attrs;
  p.openObject();
  if (v.ifLine) {
    p.any('index', 'if%s:', m.index);
    p.nl();
  }
  if (v.deleted) p.bool('deleted', 'Deleted ');
  if (!v.brief) {
    if (v.oneline) {
      p.jsonOnly('index', m.index);
      p.jsonOnly('dev', v.dev);
      p.fp(`${m.index}: ${v.dev}`);
    }
    if (FAMILIES[m.family] !== undefined) p.any('family', '    %s ', FAMILIES[m.family]);
    else p.any('family_index', '    family %s ', m.family);
  }
  const color = familyColor(m.family);
  const local = a.local ?? a.address;
  if (local !== undefined) {
    p.colored(color, 'local', '%s', local);
    if (a.address !== undefined && a.address !== local) {
      p.fp(' peer ');
      p.colored(color, 'address', '%s', a.address);
    }
    p.any('prefixlen', '/%s ', m.prefixlen);
    if (a.rtPriority !== undefined) p.any('metric', 'metric %s ', a.rtPriority);
  }
  if (v.brief) {
    p.closeObject();
    return;
  }
  if (a.broadcast !== undefined) {
    p.fp('brd ');
    p.colored(color, 'broadcast', '%s ', a.broadcast);
  }
  if (a.anycast !== undefined) {
    p.fp('any ');
    p.colored(color, 'anycast', '%s ', a.anycast);
  }
  p.any('scope', 'scope %s ', p.named(m.scope, scopeName));
  const allFlags = a.flags ?? m.flags;
  let flags = allFlags;
  for (const [name, mask] of IFA_FLAGS) {
    if (mask === 0x80) {
      if (!(flags & mask)) p.bool('dynamic', 'dynamic ');
    } else if (flags & mask) {
      const n = mask === 0x01 && m.family === 10 ? 'temporary' : name;
      p.bool(n, `${n} `);
    }
    flags &= ~mask;
  }
  if (flags) p.any('ifa_flags', 'flags %s ', flags.toString(16).padStart(2, '0'));
  if (a.label !== undefined) p.any('label', '%s', a.label);
  if (a.cacheinfo) {
    const ci = a.cacheinfo;
    p.nl();
    p.fp('       valid_lft ');
    lifetime(p, 'valid_life_time', ci.valid);
    p.fp(' preferred_lft ');
    // Deprecated: ip prints the preferred lifetime signed (%d).
    lifetime(p, 'preferred_life_time', allFlags & IFA_F_DEPRECATED && ci.preferred !== INFINITY_LIFE_TIME ? ci.preferred | 0 : ci.preferred);
  }
  p.fp('\n');
  p.closeObject();
}

function lifetime(p: Printer, key: string, v: number): void {
  if (v === INFINITY_LIFE_TIME) {
    p.jsonOnly(key, v);
    p.fp('forever');
  } else {
    p.any(key, '%ssec', v);
  }
}
