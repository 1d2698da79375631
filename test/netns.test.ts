// Named namespaces against the real kernel, iproute2 as the oracle both ways.
import t, { type Test } from 'tap';
import dgram from 'node:dgram';
import net from 'node:net';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RtNetlink, NetNS, ExistsError, InvalidArgumentError, NotFoundError, PermissionError } from '../src/index.js';
import { parseAttrs, get, attrType } from '../codecs/netlink/attrs.js';
import { checkNetnsName } from '../src/netns/resolve.js';
import { ip, ipJson, kernel, scratchNetns, uniqueName } from './helpers/kernel.js';

const threadNs = (): string => readlinkSync('/proc/thread-self/ns/net');
const inode = (path: string): string => `net:[${statSync(path).ino}]`;
/** Mount points of /proc/self/mountinfo, with their fs type and propagation. */
const mounts = (): { at: string; fs: string; shared: boolean }[] =>
  readFileSync('/proc/self/mountinfo', 'utf8').trim().split('\n').map((l) => {
    const [pre, post] = l.split(' - ');
    const f = pre.split(' ');
    return { at: f[4], fs: post.split(' ')[0], shared: f.slice(6).some((o) => o.startsWith('shared:')) };
  });
const mountsAt = (path: string): number => mounts().filter((m) => m.at === path).length;
/**
 * What a test may have left: mounts on /run/netns itself and files and mounts of the given
 * names. Other test files run at once in the same mount namespace: their own are not counted.
 */
const traces = (names: string[]): { files: string[]; mounts: string[] } => ({
  files: readdirSync('/run/netns').filter((f) => names.includes(f)),
  mounts: mounts().map((m) => m.at).filter((at) => at === '/run/netns' || names.some((n) => at === `/run/netns/${n}`)),
});
const ipNetnsNames = (): string[] => ipJson<{ name: string }[]>(['netns', 'list']).map((n) => n.name);

/** Link names seen by a socket opened on `netns`. */
async function linkNames(netns: Parameters<typeof RtNetlink.open>[0]): Promise<string[]> {
  await using rt = await RtNetlink.open(netns);
  const dump = await rt.client.dump({ type: 18, body: (w) => { w.u8(0).u8(0).u16(0).s32(0).u32(0).u32(0); } });
  return dump.flatMap((m) => parseAttrs(m.payload.subarray(16)).filter((a) => attrType(a.type) === 3).map((a) => get.string(a.value))).sort();
}

/** A name for a namespace this test adds through NetNS, removed at the end whatever happens. */
function ourName(t: Test, prefix = 'nn'): string {
  const name = uniqueName(prefix);
  t.teardown(() => {
    try { ip(['netns', 'del', name]); } catch { /* the test deleted it */ }
  });
  return name;
}

/** Runs `fn` and checks that the thread is home afterwards, failing or not. */
async function staysHome<T>(t: Test, fn: () => T | Promise<T>): Promise<T> {
  const home = threadNs();
  try {
    return await fn();
  } finally {
    t.equal(threadNs(), home, 'thread back in its own namespace');
  }
}

t.test('NetNS.add makes what `ip netns add` makes', kernel, async (t) => {
  const ours = ourName(t);
  const theirs = scratchNetns(t);
  await staysHome(t, () => NetNS.add(ours));
  t.ok(ipNetnsNames().includes(ours), '`ip netns list` shows it');
  t.same(ipJson<{ ifname: string }[]>(['link'], { netns: ours }).map((l) => l.ifname), ['lo'], '`ip -n NAME link`: a fresh namespace');
  for (const name of [ours, theirs]) {
    const m = mounts().filter((x) => x.at === `/run/netns/${name}`);
    t.same(m, [{ at: `/run/netns/${name}`, fs: 'nsfs', shared: true }], `${name}: one nsfs bind mount, shared`);
  }
  t.ok(mounts().some((m) => m.at === '/run/netns' && m.shared), '/run/netns is a shared mount');
  t.not(inode(`/run/netns/${ours}`), threadNs(), 'a namespace of its own');
  t.ok(await NetNS.exists(ours));
  t.ok((await NetNS.list()).includes(ours));
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ours });
  t.same(await linkNames({ netns: ours }), ['lo', 'v0', 'v1'], 'iproute2 works in ours, and we see it');
  ip(['netns', 'del', ours]);
  t.notOk(await NetNS.exists(ours), '`ip netns del` of ours: gone for us too');
  t.notOk((await NetNS.list()).includes(ours));
});

t.test('a namespace `ip netns add` made is ours to use and delete', kernel, async (t) => {
  const theirs = scratchNetns(t);
  ip(['link', 'add', 'mark0', 'type', 'veth', 'peer', 'name', 'mark1'], { netns: theirs });
  t.ok(await NetNS.exists(theirs));
  t.ok((await NetNS.list()).includes(theirs));
  t.same(await linkNames({ netns: theirs }), ['lo', 'mark0', 'mark1']);
  await staysHome(t, () => NetNS.delete(theirs));
  t.notOk(ipNetnsNames().includes(theirs), '`ip netns list` no longer shows it');
  t.equal(mountsAt(`/run/netns/${theirs}`), 0, 'its mount is gone');
  t.notOk(readdirSync('/run/netns').includes(theirs), 'its file is gone');
});

t.test('a namespace is addressed by name, path, open fd, or process', kernel, async (t) => {
  const ns = scratchNetns(t);
  ip(['link', 'add', 'mark0', 'type', 'veth', 'peer', 'name', 'mark1'], { netns: ns });
  const want = inode(`/run/netns/${ns}`);
  const fd = openSync(`/run/netns/${ns}`, 'r');
  t.teardown(() => closeSync(fd));
  const child = spawn('ip', ['netns', 'exec', ns, 'sleep', '60'], { stdio: 'ignore' });
  t.teardown(() => { child.kill(); });
  const pid = child.pid as number;
  for (let i = 0; i < 200 && readlinkSync(`/proc/${pid}/ns/net`) !== want; i++) await new Promise((r) => setTimeout(r, 10));
  for (const ref of [ns, `/run/netns/${ns}`, fd, { pid }]) {
    const what = JSON.stringify(ref);
    t.same(await linkNames({ netns: ref }), ['lo', 'mark0', 'mark1'], `RtNetlink.open({ netns: ${what} })`);
    t.equal(await staysHome(t, () => NetNS.enter(ref, threadNs)), want, `NetNS.enter(${what})`);
  }
  t.equal(`net:[${fstatSync(fd).ino}]`, want, 'a given fd is left open');
  const other = ourName(t);
  await NetNS.attach(other, { pid });
  t.equal(inode(`/run/netns/${other}`), want, 'NetNS.attach(name, { pid }) names the same namespace, like `ip netns attach`');
  t.ok(ipNetnsNames().includes(other));
});

t.test('NetNS.enter: Node sockets made inside live inside', kernel, async (t) => {
  const ns = scratchNetns(t);
  ip(['address', 'add', '192.0.2.77/32', 'dev', 'lo'], { netns: ns });
  // UDP: bound to an address that exists only inside. With NetNS.lookup, Node binds at once.
  const udp = await staysHome(t, () => NetNS.enter(ns, () => dgram.createSocket({ type: 'udp4', lookup: NetNS.lookup }).bind(0, '192.0.2.77')));
  const bound = udp.address();
  t.equal(bound.address, '192.0.2.77', 'UDP socket bound to the inside-only address');
  t.match(execFileSync('ip', ['netns', 'exec', ns, 'ss', '-Huan', `sport = :${bound.port}`], { encoding: 'utf8' }), /192\.0\.2\.77/, '`ss` inside sees it');
  udp.close();
  const outside = dgram.createSocket({ type: 'udp4', lookup: NetNS.lookup });
  const err = await new Promise<NodeJS.ErrnoException>((resolve) => { outside.once('error', resolve); outside.bind(0, '192.0.2.77'); });
  t.equal(err.code, 'EADDRNOTAVAIL', 'the same bind outside fails: the address is not here');
  outside.close();
  // TCP: a listening server made inside (no host: Node creates the socket synchronously).
  const server = NetNS.enter(ns, () => net.createServer().listen(0));
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as net.AddressInfo).port;
  const ssIn = execFileSync('ip', ['netns', 'exec', ns, 'ss', '-Htln', `sport = :${port}`], { encoding: 'utf8' });
  const ssOut = execFileSync('ss', ['-Htln', `sport = :${port}`], { encoding: 'utf8' });
  t.match(ssIn, new RegExp(`:${port}\\b`), 'TCP listener is inside');
  t.equal(ssOut.trim(), '', 'and not here');
  server.close();
  // A netlink socket made inside.
  const rt = NetNS.enter(ns, () => RtNetlink.openSync());
  t.teardown(() => rt.close());
  t.same(await linkNames({ netns: ns }), ['lo']);
});

t.test('NetNS.enter refuses async functions and promises; throws propagate; thread comes home', kernel, async (t) => {
  const ns = scratchNetns(t);
  await staysHome(t, () => t.throws(() => NetNS.enter(ns, async () => 1), { name: 'InvalidArgumentError', message: /async function/ }));
  let ran = false;
  await staysHome(t, () => t.throws(() => NetNS.enter(ns, () => { ran = true; return Promise.reject(new Error('x')); }), { name: 'InvalidArgumentError', message: /returned a promise/ }));
  t.ok(ran, 'a plain function returning a promise did run, and is refused after');
  await staysHome(t, () => t.throws(() => NetNS.enter(ns, () => { throw new RangeError('boom'); }), RangeError));
  t.equal(NetNS.enter(ns, () => 42), 42, 'the result comes back');
});

t.test('bad input is a typed error naming the namespace, and leaves nothing behind', kernel, async (t) => {
  const missing = uniqueName('no');
  const bad = ['', '.', '..', 'a/b', 'x'.repeat(256)];
  const before = traces([missing, 'a', 'b']);
  for (const name of bad) {
    // A name the check let through would reach mount(2) and umount2(2): /run/netns/.. is /run
    // itself, the test run's private one. Refused first, or the operations are not tried.
    const refused = t.throws(() => checkNetnsName(name), InvalidArgumentError, `"${name.slice(0, 10)}" refused by the name check`);
    if (!refused) continue;
    for (const op of [() => NetNS.add(name), () => NetNS.delete(name), () => NetNS.exists(name), () => NetNS.attach(name, 1)] as (() => Promise<unknown>)[]) {
      await staysHome(t, () => t.rejects(op(), InvalidArgumentError, `"${name.slice(0, 10)}"`));
    }
  }
  const err = await NetNS.add('a/b').then(() => new Error('no error'), (e: unknown) => e as Error);
  t.equal(err.message, 'namespace "a/b": a namespace name cannot contain "/"');
  for (const op of [() => NetNS.delete(missing), () => RtNetlink.open({ netns: missing }), async () => NetNS.enter(missing, () => 1)]) {
    const e = await staysHome(t, () => op().then(() => null, (e: unknown) => e as Error));
    t.type(e, NotFoundError);
    t.equal(e?.message, `namespace "${missing}": does not exist (no /run/netns/${missing})`);
  }
  t.equal(await NetNS.exists(missing), false);
  await t.rejects(RtNetlink.open({ netns: { pid: 0x3fffffff } }), { name: 'NotFoundError', message: 'namespace of process 1073741823: no such process' });
  await t.rejects(RtNetlink.open({ netns: '/proc/self/ns/mnt' }), { name: 'InvalidArgumentError', message: /another kind/ });
  await t.rejects(RtNetlink.open({ netns: '/etc/hostname' }), { name: 'InvalidArgumentError', message: /not a namespace file/ });
  t.same(traces([missing, 'a', 'b']), before, 'no file, no mount left');
  // The longest name allowed works.
  const longest = uniqueName('L').padEnd(255, 'x');
  t.teardown(() => { try { ip(['netns', 'del', longest]); } catch { /* deleted below */ } });
  await NetNS.add(longest);
  t.ok(ipNetnsNames().includes(longest), 'a 255-byte name is fine');
  await NetNS.delete(longest);
});

t.test('adding one that exists: ExistsError, the existing one untouched', kernel, async (t) => {
  const ns = scratchNetns(t);
  const was = inode(`/run/netns/${ns}`);
  const e = await staysHome(t, () => NetNS.add(ns).then(() => null, (e: unknown) => e as Error));
  t.type(e, ExistsError);
  t.equal(e?.message, `namespace "${ns}": already exists`);
  t.equal(inode(`/run/netns/${ns}`), was, 'same namespace');
  t.equal(mountsAt(`/run/netns/${ns}`), 1, 'not mounted twice');
  t.same(ipJson<{ ifname: string }[]>(['link'], { netns: ns }).map((l) => l.ifname), ['lo']);
});

const child = fileURLToPath(new URL('./helpers/netns-child.js', import.meta.url));
interface ChildResult { error: { name: string; code: string; message: string } | null; before: string; after: string }
function runChild(args: string[], dropCaps = false): ChildResult {
  const cmd = dropCaps ? ['setpriv', '--inh-caps=-all', '--bounding-set=-all', process.execPath] : [process.execPath];
  return JSON.parse(execFileSync(cmd[0], [...cmd.slice(1), child, ...args], { encoding: 'utf8' })) as ChildResult;
}

t.test('without privilege: PermissionError, nothing made, thread home', kernel, async (t) => {
  const ns = scratchNetns(t);
  const fresh = uniqueName('np');
  const before = traces([fresh, ns]);
  for (const [op, name, text] of [
    ['add', fresh, `namespace "${fresh}": cannot make /run/netns a shared mount: Operation not permitted`],
    ['delete', ns, `namespace "${ns}": cannot unmount /run/netns/${ns}: Operation not permitted`],
    ['enter', ns, `namespace "${ns}": setns: Operation not permitted`],
  ]) {
    const r = runChild(['none', op, name], true);
    t.same(r.error, { name: PermissionError.name, code: 'EPERM', message: text }, `${op}: ${text}`);
    t.equal(r.after, r.before, `${op}: the child's thread is home`);
  }
  t.same(traces([fresh, ns]), before, 'nothing made, nothing removed');
  t.ok(ipNetnsNames().includes(ns), 'the existing one still works');
});

t.test('a failure halfway through add is undone', kernel, async (t) => {
  scratchNetns(t); // /run/netns is a shared mount already: the filters hit the namespace's own steps
  for (const [deny, step] of [['unshare', 'unshare(CLONE_NEWNET)'], ['bind', 'cannot bind /proc/thread-self/ns/net']]) {
    const name = ourName(t, 'hw');
    const before = traces([name]);
    const r = runChild([deny, 'add', name]);
    t.equal(r.error?.name, 'PermissionError', `${deny} denied: PermissionError`);
    t.match(r.error?.message, `namespace "${name}": ${step}`);
    t.equal(r.after, r.before, 'the thread is home');
    t.notOk(readdirSync('/run/netns').includes(name), 'no file left under /run/netns');
    t.equal(mountsAt(`/run/netns/${name}`), 0, 'no mount left');
    t.same(traces([name]), before, '/run/netns mounts as before');
  }
  const ok = ourName(t, 'hw');
  t.same(runChild(['none', 'add', ok]).error, null, 'the same child with nothing denied succeeds (the failures came from the filter)');
  t.ok(ipNetnsNames().includes(ok));
});

/** A process inside `ns` (ip netns exec execs sleep: the child's pid is sleep's), once it is in. */
async function sleeperIn(t: Test, ns: string): Promise<number> {
  const child = spawn('ip', ['netns', 'exec', ns, 'sleep', '60'], { stdio: 'ignore' });
  t.teardown(() => { child.kill(); });
  const pid = child.pid as number;
  const want = inode(`/run/netns/${ns}`);
  for (let i = 0; i < 200 && readlinkSync(`/proc/${pid}/ns/net`) !== want; i++) await new Promise((r) => setTimeout(r, 10));
  return pid;
}

t.test('NetNS.pids and NetNS.identify find what `ip netns pids|identify` find', kernel, async (t) => {
  const ns = scratchNetns(t);
  const empty = scratchNetns(t);
  const pid = await sleeperIn(t, ns);
  const pids = await NetNS.pids(ns);
  t.same(pids, ip(['netns', 'pids', ns]).trim().split('\n').map(Number), 'pids: as ip lists them');
  t.ok(pids.includes(pid), 'the process inside is there');
  t.notOk(pids.includes(process.pid), 'this one is not');
  t.same(await NetNS.pids(empty), [], 'a namespace nobody runs in');
  t.same(await NetNS.identify(pid), [ns], 'identify: the name of the process\'s namespace');
  // A second name for the same namespace: both, in /run/netns's order; ip prints the last.
  const other = ourName(t, 'id');
  ip(['netns', 'attach', other, String(pid)]);
  const names = await NetNS.identify(pid);
  t.same([...names].sort(), [ns, other].sort());
  t.equal(names.at(-1), ip(['netns', 'identify', String(pid)]).trim(), 'the last is the one ip prints');
  t.same(await NetNS.identify(), ip(['netns', 'identify']).trim() ? [ip(['netns', 'identify']).trim()] : [], 'this process (unnamed here, as ip says)');
  await t.rejects(NetNS.pids('no-such-ns'), NotFoundError, 'pids of a missing name');
  await t.rejects(NetNS.pids('a/b'), InvalidArgumentError, 'pids of a malformed name');
  await t.rejects(NetNS.identify(2 ** 22 + 1), NotFoundError, 'identify of a process that does not exist');
  await t.rejects(NetNS.identify(-1), InvalidArgumentError, 'identify of a negative pid');
});

t.test('a namespace name is measured in bytes, as the kernel measures a file name', kernel, async (t) => {
  const long = 'é'.repeat(128); // 128 characters, 256 bytes: one past NAME_MAX
  const e = await NetNS.add(long).catch((x: unknown) => x);
  t.type(e, InvalidArgumentError);
  t.match((e as Error).message, /at most 255 bytes, this one is 256/);
  const fits = 'é'.repeat(127); // 254 bytes
  await NetNS.add(fits);
  t.teardown(() => NetNS.delete(fits).catch(() => undefined));
  t.ok((await NetNS.list()).includes(fits), 'a name of 254 bytes is made');
});
