// The other-namespace dance of rt.link: a link made into another namespace is made under a
// temporary name (the kernel checks the name there) while the namespace is held open, then
// renamed (and brought up) through a socket inside, and deleted again if that fails.
import type { Link } from '../../codecs/route/link.js';
import { NetlinkError } from '../errors.js';
import { logger } from '../log.js';
import { openNetns, withNetnsFd, type NetnsRef } from '../netns/resolve.js';
import { sys } from '../socket/libc.js';
import type { LinkRef } from './session.js';

const debug = logger('rtnl:link');

/** What the dance needs of rt.link inside the other namespace. */
export interface InsideLinks {
  get(ref: LinkRef, opts?: { stats?: boolean }): Promise<Link>;
  set(ref: LinkRef, c: { name?: string; up?: boolean }): Promise<void>;
  delete(ref: LinkRef): Promise<void>;
}

/**
 * Keeps a namespace open while `fn` runs: the kernel opens IFLA_NET_NS_FD when the request
 * arrives, which may be after the call that built it. An fd given by the caller stays theirs.
 */
export async function holdingNetns<T>(ref: NetnsRef, fn: (fd: number) => Promise<T>): Promise<T> {
  if (typeof ref === 'number') return withNetnsFd(ref, fn);
  const fd = openNetns(ref);
  try {
    return await fn(fd);
  } finally {
    sys.close(fd);
  }
}

/** A name no one would choose, for a link on its way into another namespace. */
export function temporaryName(): string {
  return `rtnl${Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0')}`;
}

/**
 * Renames a link inside another namespace (then brings it up if asked); deletes it if that
 * fails. `to` may be a pattern such as `mv%d`, which the kernel fills in. Resolves with the link.
 */
export async function renameInside(inside: InsideLinks, from: string, to: string, up?: boolean): Promise<Link> {
  try {
    const { index } = await inside.get(from, { stats: false });
    await inside.set(index, { name: to, up });
    return await inside.get(index);
  } catch (e) {
    await inside.delete(from).catch((d: unknown) => debug('rollback of %s failed: %s', from, (d as Error).message));
    throw e instanceof NetlinkError ? e.about(`link "${to}"`) : e;
  }
}
