// What the families stand on: a client, link names, and sessions in other namespaces. RtNetlink
// implements it; the families never see RtNetlink itself, so nothing in src/api imports upward.
import type { Client } from '../client.js';
import type { NetnsRef } from '../netns/resolve.js';

/** A link by name or by index. */
export type LinkRef = string | number;

export interface Session {
  readonly client: Client;
  /** The index of a link given by name (an index is checked and given back); a NotFoundError naming a missing one. */
  linkIndex(ref: LinkRef): Promise<number>;
  /** Link names by index (every link's, or those of `indexes`), to name the links of listed addresses, routes and neighbours. */
  linkNames(indexes?: number[]): Promise<Map<number, string>>;
  /** Runs `fn` with a session on a socket of its own in another namespace, closed afterwards. */
  inNetns<T>(netns: NetnsRef, fn: (inside: Session) => Promise<T>): Promise<T>;
}
