// ip's flush loop (iproute_flush, do_show_or_flush, ipaddr_flush): dump, delete what matches,
// dump again, until a dump matches nothing. ip queues the deletes unacknowledged and sends them
// in batches; rtnl deletes each entry through the typed API (list + delete), so a failure is
// known per entry, and the round goes on past it as the kernel goes on past a failed message
// of ip's batch.
import { constants } from 'node:os';
import { NetlinkError, strerror } from '../errors.js';
import { CliError } from './args.js';
import type { Context } from './context.js';

export interface FlushRules {
  /** What the round line counts: `entries`, `addresses`. */
  noun: string;
  /** Rounds before giving up (ip: 10 for neighbours and addresses; none for routes). */
  maxRounds?: number;
  /** `Nothing to flush.` when the first dump matches nothing (not for `route flush cache` but in IPv6). */
  nothing?: boolean;
  /** Errors ip lets pass (EADDRNOTAVAIL for addresses: a primary's deletion took its secondaries). */
  ignore?: (errno: number) => boolean;
  /** The exit status of a failed delete (`Failed to send flush request: ...`). */
  failStatus: number;
  /** ip ends there (exit()): a batch stops even with -force. */
  failExits?: boolean;
  /** Stop after the first round (ip, flushing `primary` addresses: secondaries are promoted). */
  once?: boolean;
}

/**
 * A refused dump as ip ends it: the kernel's error, then `Dump terminated`, `Flush terminated` or `Save terminated`;
 * exit 2 (routes), or `status`, ending a batch with `exits` (address flushes: exit(1)).
 */
export function terminated(what: 'Dump' | 'Flush' | 'Save', status = 2, exits = false): (e: unknown) => never {
  return (e) => {
    throw e instanceof NetlinkError ? new CliError(`${quietEnd(e) ? '' : `${e.text}\n`}${what} terminated`, status, exits) : e;
  };
}

/** ip's rtnl_dump_done() prints nothing of an ENOENT or EOPNOTSUPP ending a begun dump, unless the kernel said why. */
function quietEnd(e: NetlinkError): boolean {
  const { ENOENT, EOPNOTSUPP } = constants.errno;
  return e.endedDump === true && e.kernelMessage === undefined && (e.errno === ENOENT || e.errno === EOPNOTSUPP);
}

/** One dump's matches, each a delete still to be sent; printed first with -s -s when `print` is given. */
export interface Match { remove(): Promise<void>; print?(): void }

/**
 * Runs the rounds: `dump` lists what matches now. Resolves true when a dump matched nothing,
 * false when `maxRounds` went by first.
 */
export async function flushRounds(ctx: Context, rules: FlushRules, dump: (round: number) => Promise<Match[]>): Promise<boolean> {
  const p = ctx.out;
  const stats = ctx.opts.stats;
  const done = (round: number): true => {
    if (stats) p.fp(round === 0 && rules.nothing !== false ? 'Nothing to flush.\n' : `*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
    return true;
  };
  for (let round = 0; rules.maxRounds === undefined || round < rules.maxRounds;) {
    const matches = await dump(round);
    if (matches.length === 0) return done(round);
    if (stats > 1) for (const m of matches) m.print?.();
    round++;
    let failure: NetlinkError | undefined;
    for (const m of matches) {
      try {
        await m.remove();
      } catch (e) {
        if (!(e instanceof NetlinkError)) throw e;
        if (!rules.ignore?.(e.errno)) failure ??= e;
      }
    }
    if (failure) throw new CliError(`Failed to send flush request: ${strerror(failure.errno)}`, rules.failStatus, rules.failExits ?? false);
    if (stats) p.fp(`\n*** Round ${round}, deleting ${matches.length} ${rules.noun} ***\n`);
    if (rules.once) return done(round);
  }
  return false;
}
