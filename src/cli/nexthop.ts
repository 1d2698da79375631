// `rtnl nexthop`: ip/ipnexthop.c's grammar (add, replace, delete, show, get, flush, bucket) over rt.nexthop.
import type { NhMessage } from '../../codecs/route/nexthop.js';
import type { NexthopBucketDumpFilter, NexthopDumpFilter, NexthopObjectSpec } from '../api/nexthop.js';
import { Args, CliError, fail, invarg, matches, named, uint, usageError } from './args.js';
import { NetlinkError, NotFoundError } from '../errors.js';
import type { Context } from './context.js';
import { encapArg } from './encap.js';
import { terminated } from './flush.js';
import { printNexthop, printNexthopBucket } from './format-nexthop.js';
import { protocols } from './name-db.js';
import { addressArg, addressText, expectedError, noBytes } from './prefix.js';

export const NEXTHOP_USAGE = `Usage: rtnl nexthop { list | flush } [ protocol ID ] SELECTOR
       rtnl nexthop { add | replace } id ID NH [ protocol ID ]
       rtnl nexthop { get | del } id ID
       rtnl nexthop bucket list BUCKET_SELECTOR
       rtnl nexthop bucket get id ID index INDEX
SELECTOR := [ id ID ] [ dev DEV ] [ vrf NAME ] [ master DEV ]
            [ groups ] [ fdb ]
BUCKET_SELECTOR := SELECTOR | [ nhid ID ]
NH := { blackhole | [ via ADDRESS ] [ dev DEV ] [ onlink ]
        [ encap ENCAPTYPE ENCAPHDR ] |
        group GROUP [ fdb ] [ type TYPE [ TYPE_ARGS ] ] }
GROUP := [ <id[,weight]>/<id[,weight]>/... ]
TYPE := { mpath | resilient }
TYPE_ARGS := [ RESILIENT_ARGS ]
RESILIENT_ARGS := [ buckets BUCKETS ] [ idle_timer IDLE ]
                  [ unbalanced_timer UNBALANCED ]
ENCAPTYPE := [ ip | ip6 | seg6 ]`;

export async function run(ctx: Context, args: Args): Promise<void> {
  if (args.done) return listOrFlush(ctx, args, 'list');
  const w = args.next();
  // do_ipnh()'s order: an abbreviation is the first command it starts.
  if (matches(w, 'add')) return modify(ctx, args, 'add');
  if (matches(w, 'replace')) return modify(ctx, args, 'replace');
  if (matches(w, 'delete')) return remove(ctx, args);
  if (matches(w, 'list') || matches(w, 'show') || matches(w, 'lst')) return listOrFlush(ctx, args, 'list');
  if (matches(w, 'get')) return get(ctx, args);
  if (matches(w, 'flush')) return listOrFlush(ctx, args, 'flush');
  if (matches(w, 'bucket')) return bucket(ctx, args);
  if (matches(w, 'help')) throw usageError(NEXTHOP_USAGE);
  throw usageError(`Command "${w}" is unknown, try "rtnl nexthop help".`);
}

/** ipnh_parse_id(): get_unsigned(). */
const idArg = (s: string): number => uint(s, 'id', 0xffffffff, () => invarg('invalid id value', s, false));

/** add_nh_group_attr(): `ID[,WEIGHT]/...`, each id as get_unsigned() reads it, each weight from 1 to 256. */
function groupArg(s: string): Array<{ id: number; weight?: number }> {
  return s.split('/').map((entry) => {
    const [id, weight] = entry.split(',', 2);
    const n = uint(id, 'group', 0xffffffff, () => invarg('"group" value is invalid', s));
    if (weight === undefined) return { id: n };
    const w = uint(weight, 'weight', 256, () => invarg('"weight" is invalid', weight));
    if (w === 0) throw invarg('"weight" is invalid', weight);
    return { id: n, weight: w };
  });
}

/** parse_nh_group_type(): `type mpath`, or `type resilient` and its words (a timer in whole seconds below UINT32_MAX / 100). */
function groupType(args: Args, s: NexthopObjectSpec): void {
  const type = args.next();
  if (type !== 'mpath' && type !== 'resilient') throw invarg('"type" value is invalid', type);
  s.groupType = type;
  if (type === 'mpath' || args.done) return;
  const r: NonNullable<NexthopObjectSpec['resilient']> = {};
  s.resilient = r;
  for (let w = args.peek(); w !== undefined; w = args.peek()) {
    if (w === 'buckets') {
      args.next();
      const v = args.next();
      r.buckets = uint(v, 'buckets', 0xffff, () => invarg('invalid buckets value', v, false));
    } else if (w === 'idle_timer' || w === 'unbalanced_timer') {
      args.next();
      const v = args.next();
      const refusal = (): CliError => invarg(`invalid ${w === 'idle_timer' ? 'idle' : 'unbalanced'} timer value`, v, false);
      const seconds = uint(v, w, 0xffffffff, refusal);
      if (seconds >= Math.floor(0xffffffff / 100)) throw refusal();
      r[w === 'idle_timer' ? 'idleTimer' : 'unbalancedTimer'] = seconds;
    } else break;
  }
}

/** ipnh_modify()'s words, for add and replace. */
async function modify(ctx: Context, args: Args, cmd: 'add' | 'replace'): Promise<void> {
  const s: NexthopObjectSpec = {};
  // The family: -4/-6, else the first of dev (IPv4), blackhole (IPv4) and via (its own).
  let family = ctx.opts.family;
  while (!args.done) {
    const w = args.next();
    if (w === 'id') s.id = idArg(args.next());
    else if (w === 'dev') {
      const name = args.next();
      s.dev = await ctx.existing(name);
      family ||= 2;
    } else if (w === 'via') {
      let v = args.next();
      const given = v === 'inet' ? 2 : v === 'inet6' ? 10 : 0;
      if (given) v = args.next();
      const a = addressArg(v, given || family);
      // No bytes (`any`, or `default` before a family): ip sends it empty for the kernel to refuse.
      if (noBytes(a, v)) throw expectedError(v, given || family, false, 'address');
      if (family && a.family !== family) throw invarg('address family mismatch', v);
      family = a.family;
      s.gateway = addressText(a);
    } else if (w === 'encap') s.encap = encapArg(args, () => undefined);
    else if (w === 'blackhole') {
      s.blackhole = true;
      family ||= 2;
    } else if (w === 'fdb') s.fdb = true;
    else if (w === 'onlink') s.onlink = true;
    else if (w === 'group') s.group = groupArg(args.next());
    else if (w === 'type') groupType(args, s);
    else if (matches(w, 'protocol')) {
      const v = args.next();
      s.protocol = named(protocols.names(), v) ?? fail(invarg('"protocol" value is invalid', v));
    } else if (w === 'help') throw usageError(NEXTHOP_USAGE);
    else throw invarg('', w, false);
  }
  // -0 (AF_PACKET): ip sends it for the kernel to refuse (`Invalid address family`); a via read as
  // a link-layer address would otherwise go as no gateway at all.
  if (family !== 0 && family !== 2 && family !== 10) throw new CliError('rtnl: nexthop objects are of inet or inet6 (-0 is packet)', 2);
  if (family) s.family = family === 2 ? 'inet' : 'inet6';
  const { nexthop } = await ctx.rt();
  await (cmd === 'add' ? nexthop.add(s) : nexthop.replace(s));
}

/** A flush's delete of a nexthop gone meanwhile (a group that lost its last member): not one it flushed. */
function goneAlready(e: unknown): false {
  if (e instanceof NotFoundError) return false;
  throw e;
}

/** name_is_vrf(), then ll_name_to_index(): `vrf NAME`'s master. */
async function vrfArg(ctx: Context, name: string): Promise<number> {
  const l = await ctx.link(name);
  if (l?.info?.kind !== 'vrf') throw invarg('Invalid VRF', name);
  return l.index;
}

/** `nexthop del id ID`: the kernel takes the id alone (ip sends whatever else it read, which the kernel refuses). */
async function remove(ctx: Context, args: Args): Promise<void> {
  const words = args.rest();
  if (words.length !== 2 || words[0] !== 'id') throw new CliError('rtnl: "nexthop delete" takes "id ID" and nothing else', 2);
  await (await ctx.rt()).nexthop.delete(idArg(words[1]));
}

/** ipnh_get(): `get id ID`, else the usage. */
async function get(ctx: Context, args: Args): Promise<void> {
  let id = 0;
  while (!args.done) {
    if (args.next() !== 'id') throw usageError(NEXTHOP_USAGE);
    id = idArg(args.next());
  }
  if (!id) throw usageError(NEXTHOP_USAGE);
  await printOne(ctx, id);
}

/** ipnh_get_id(): one nexthop. */
async function printOne(ctx: Context, id: number): Promise<void> {
  const m = await (await ctx.rt()).nexthop.lookup(id);
  await print(ctx, [m]);
}

async function print(ctx: Context, ms: NhMessage[]): Promise<void> {
  ctx.out.listing = true;
  const name = await ctx.namer();
  for (const m of ms) printNexthop(ctx.out, m, { details: ctx.opts.details, name });
}

/** do_ipnh_bucket(): list (the default), or get. */
async function bucket(ctx: Context, args: Args): Promise<void> {
  if (args.done) return bucketList(ctx, args);
  const w = args.next();
  if (matches(w, 'list') || matches(w, 'show') || matches(w, 'lst')) return bucketList(ctx, args);
  if (matches(w, 'get')) return bucketGet(ctx, args);
  if (matches(w, 'help')) throw usageError(NEXTHOP_USAGE);
  throw usageError(`Command "${w}" is unknown, try "rtnl nexthop help".`);
}

/** ipnh_bucket_list(): the selector (no groups, fdb nor protocol here), then the kernel's listing. */
async function bucketList(ctx: Context, args: Args): Promise<void> {
  const filter: NexthopBucketDumpFilter = { family: ctx.opts.family };
  while (!args.done) {
    const w = args.next();
    if (matches(w, 'dev')) filter.oif = await ctx.existing(args.next());
    else if (matches(w, 'master')) filter.master = await ctx.existing(args.next());
    else if (matches(w, 'vrf')) filter.master = await vrfArg(ctx, args.next());
    else if (w === 'id') filter.id = idArg(args.next());
    else if (w === 'nhid') filter.nhId = idArg(args.next());
    else if (matches(w, 'help')) throw usageError(NEXTHOP_USAGE);
    else throw invarg('', w, false);
  }
  printBuckets(ctx, await (await ctx.rt()).nexthop.dumpBuckets(filter).catch(terminated('Dump', 2)));
}

/** ipnh_bucket_get(): `id ID index INDEX`, both needed, else the usage. */
async function bucketGet(ctx: Context, args: Args): Promise<void> {
  let id = 0;
  let index: number | undefined;
  while (!args.done) {
    const w = args.next();
    if (w === 'id') id = idArg(args.next());
    else if (w === 'index') {
      const v = args.next();
      index = uint(v, 'index', 0xffff, () => invarg('invalid bucket index value', v, false));
    } else throw usageError(NEXTHOP_USAGE);
  }
  if (!id || index === undefined) throw usageError(NEXTHOP_USAGE);
  printBuckets(ctx, [await (await ctx.rt()).nexthop.lookupBucket({ id, index })]);
}

function printBuckets(ctx: Context, ms: NhMessage[]): void {
  ctx.out.listing = true;
  for (const m of ms) printNexthopBucket(ctx.out, m);
}

/** ipnh_list_flush(): the selector, then a listing, or deletes by id (groups first when flushing all). */
async function listOrFlush(ctx: Context, args: Args, action: 'list' | 'flush'): Promise<void> {
  const filter: NexthopDumpFilter = { family: ctx.opts.family };
  const all = args.done;
  let proto: number | undefined;
  while (!args.done) {
    const w = args.next();
    if (matches(w, 'dev')) filter.oif = await ctx.existing(args.next());
    else if (matches(w, 'groups')) filter.groups = true;
    else if (matches(w, 'master')) filter.master = await ctx.existing(args.next());
    else if (matches(w, 'vrf')) filter.master = await vrfArg(ctx, args.next());
    else if (w === 'id') {
      const id = idArg(args.next());
      if (action === 'list') return printOne(ctx, id);
      // ip ends with 1 when that delete fails.
      await (await ctx.rt()).nexthop.delete(id).catch((e: unknown) => {
        throw e instanceof NetlinkError ? new CliError(e.text, 1) : e;
      });
      return;
    } else if (matches(w, 'protocol')) {
      const v = args.next();
      proto = uint(v, 'protocol', 0xffffffff, () => invarg('invalid protocol value', v, false));
    } else if (matches(w, 'fdb')) filter.fdb = true;
    else if (matches(w, 'help')) throw usageError(NEXTHOP_USAGE);
    else throw invarg('', w, false);
  }
  const { nexthop } = await ctx.rt();
  const dump = async (f: NexthopDumpFilter): Promise<NhMessage[]> => (await nexthop.dump(f).catch(terminated('Dump', 2)))
    .filter((m) => !proto || m.protocol === proto);
  if (action === 'list') return print(ctx, await dump(filter));
  let flushed = 0;
  // Every nexthop: the groups first, then the rest.
  for (const f of all ? [{ ...filter, groups: true }, filter] : [filter]) {
    for (const m of await dump(f)) {
      if (m.attrs.id && await nexthop.delete(m.attrs.id).then(() => true, goneAlready)) flushed++;
    }
  }
  ctx.out.fp(flushed ? `Flushed ${flushed} nexthops\n` : 'Nothing to flush\n');
}
