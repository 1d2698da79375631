// Naming a network namespace: a name under /run/netns, a path, or an open fd.
import { sys } from '../socket/libc.js';
import { openNetnsFd } from '../socket/netns-switch.js';

export const NETNS_RUN_DIR = '/run/netns';

/** A namespace: its name (under /run/netns), a path to an nsfs file, or an open fd. */
export type NetnsRef = string | number;

export function netnsPath(ref: string): string {
  return ref.includes('/') ? ref : `${NETNS_RUN_DIR}/${ref}`;
}

/** Opens the namespace and hands its fd to `fn`; closes it after unless the caller gave the fd. */
export function withNetnsFd<T>(ref: NetnsRef, fn: (fd: number) => T): T {
  if (typeof ref === 'number') return fn(ref);
  const fd = openNetnsFd(netnsPath(ref));
  try {
    return fn(fd);
  } finally {
    sys.close(fd);
  }
}
