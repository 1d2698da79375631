// The edges of naming and entering namespaces (src/netns/, src/api/link-netns.ts): every
// reference refused by its whole message, files that are not namespaces, fds given and opened,
// a /run/netns that does not exist yet (against `ip netns add`), and the rename dance's
// failure. From the survivors of a mutation run (docs/mutation.md).
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readlinkSync, rmdirSync, symlinkSync, unlinkSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, NetNS, NetlinkError, NotFoundError } from '../src/index.js';
import { errorFor } from '../src/errors.js';
import { checkNetnsName, describeNetns, netnsFile, openNetns, withNetnsFd, type NetnsRef } from '../src/netns/resolve.js';
import { renameInside, temporaryName, type InsideLinks } from '../src/api/link-netns.js';
import { ip, kernel, scratchNetns, uniqueName } from './helpers/kernel.js';

const E = constants.errno;
/** What a refusal must be: its class, errno and whole message. */
const refused = (name: string, errno: number, message: string) => ({ name, errno, message });
const bad = (message: string) => refused(InvalidArgumentError.name, E.EINVAL, message);
/** This process's open namespace files and the files and directories these tests open (Node opens others of its own at times). */
const held = (): string[] => readdirSync('/proc/self/fd').map((fd) => {
  try { return readlinkSync(`/proc/self/fd/${fd}`); } catch { return ''; }
}).filter((l) => /^(net|uts):\[|^\/etc\/hostname$|^\/proc$|^\/run\/netns(\/|$)/.test(l)).sort();

t.test('describeNetns names every kind of reference', async (t) => {
  t.equal(describeNetns(3), 'namespace fd 3');
  t.equal(describeNetns('ns01'), 'namespace "ns01"');
  t.equal(describeNetns('/proc/1/ns/net'), 'namespace /proc/1/ns/net');
  t.equal(describeNetns({ pid: 42 }), 'namespace of process 42');
  t.equal(describeNetns(null as unknown as NetnsRef), 'namespace null');
  t.equal(describeNetns(true as unknown as NetnsRef), 'namespace true');
});

t.test('names and process references refused, each by its whole message', async (t) => {
  const long = `${'a'.repeat(50)}/`;
  const cases: [unknown, string][] = [
    [7, 'namespace "7": a namespace name must be a string'],
    ['', 'namespace "": a namespace name cannot be empty'],
    ['..', 'namespace "..": ".." is not a usable namespace name'],
    [long, `namespace "${'a'.repeat(40)}": a namespace name cannot contain "/"`],
    ['a\0b', 'namespace "a\0b": a namespace name cannot contain a NUL byte'],
    ['é'.repeat(128), `namespace "${'é'.repeat(40)}": a namespace name is at most 255 bytes, this one is 256`],
  ];
  for (const [name, message] of cases) t.throws(() => checkNetnsName(name as string), bad(message), JSON.stringify(name));
  t.equal(checkNetnsName('é'.repeat(127)), 'é'.repeat(127), '254 bytes is a name');

  for (const [ref, message] of [
    [true, 'namespace true: a namespace is a name, a path, an open fd or { pid }'],
    [null, 'namespace null: a namespace is a name, a path, an open fd or { pid }'],
    [{ pid: 0 }, 'namespace of process 0: a process id is a positive integer'],
    [{ pid: -1 }, 'namespace of process -1: a process id is a positive integer'],
    [{ pid: 1.5 }, 'namespace of process 1.5: a process id is a positive integer'],
    [{}, 'namespace of process undefined: a process id is a positive integer'],
  ] as const) t.throws(() => netnsFile(ref as unknown as { pid: number }), bad(message), JSON.stringify(ref));
  t.equal(netnsFile({ pid: 1 }), '/proc/1/ns/net');
  t.equal(netnsFile('ns01'), '/run/netns/ns01');
  t.equal(netnsFile('/proc/1/ns/net'), '/proc/1/ns/net');
});

t.test('files that are not namespaces, missing ones, fds given: typed errors, no fd left open', kernel, async (t) => {
  const before = held();
  const missing = uniqueName('nx');
  t.throws(() => openNetns(missing), refused(NotFoundError.name, E.ENOENT, `namespace "${missing}": does not exist (no /run/netns/${missing})`));
  t.throws(() => openNetns({ pid: 2 ** 22 + 1 }), refused(NotFoundError.name, E.ENOENT, 'namespace of process 4194305: no such process'));
  t.throws(() => openNetns('/etc/hostname/x'), refused(NetlinkError.name, E.ENOTDIR, 'namespace /etc/hostname/x: cannot open /etc/hostname/x: Not a directory'));
  t.throws(() => openNetns('/etc/hostname'), bad('namespace /etc/hostname: not a namespace file (is it mounted?)'));
  t.throws(() => openNetns('/proc/self/ns/uts'), bad('namespace /proc/self/ns/uts: a namespace of another kind, not a network namespace'));
  t.same(held(), before, 'every fd opened for a refused reference was closed');

  let ran = false;
  const run = (fd: number) => { ran = true; return fd; };
  t.throws(() => withNetnsFd(-1, run), bad('namespace fd -1: an fd is a non-negative integer'));
  t.throws(() => withNetnsFd(1.5, run), bad('namespace fd 1.5: an fd is a non-negative integer'));
  const file = openSync('/etc/hostname', 'r');
  t.throws(() => withNetnsFd(file, run), bad(`namespace fd ${file}: not a namespace file (is it mounted?)`), 'an fd given is checked too');
  closeSync(file);
  t.throws(() => withNetnsFd(file, run), refused(NetlinkError.name, E.EBADF, `namespace fd ${file}: not an open fd`), 'a closed fd');
  t.notOk(ran, 'fn never ran for a refused reference');

  const ns = scratchNetns(t, 'ne');
  const fd = openNetns(ns);
  t.equal(withNetnsFd(fd, run), fd, 'an fd given is handed on as is');
  t.same(held(), [...before, `/run/netns/${ns}`].sort(), 'and stays open: it is the caller\'s');
  closeSync(fd);
  const opened = withNetnsFd(ns, run);
  t.notOk(existsSync(`/proc/self/fd/${opened}`), 'an fd opened for a name is closed after');
  t.throws(() => withNetnsFd(0, run), bad('namespace fd 0: not a namespace file (is it mounted?)'), 'fd 0 is an fd, checked as any other');

  // A setns failure inside fn (EPERM without CAP_SYS_ADMIN) is renamed after the namespace.
  const eperm = errorFor({ errno: E.EPERM, syscall: 'setns', subject: 'thread', text: 'setns: Operation not permitted' });
  t.throws(() => withNetnsFd(ns, () => { throw eperm; }), refused('PermissionError', E.EPERM, `namespace "${ns}": setns: Operation not permitted`));
  const other = errorFor({ errno: E.EPERM, syscall: 'open', subject: 'thread', text: 'x' });
  t.throws(() => withNetnsFd(ns, () => { throw other; }), { message: 'thread: x' }, 'another call\'s failure passes as it is');
  t.same(held(), before, 'nothing left open');
});

t.test('NetNS: leftovers, odd files under /run/netns, pids and identify refused by whole message', kernel, async (t) => {
  // Made and deleted in this process too, so that a mutation run's per-test coverage counts this
  // file for the code the fresh /run test below runs in a child process.
  const made = uniqueName('na');
  const name = uniqueName('nl');
  // Whatever an assertion below leaves, the names go.
  t.teardown(() => { for (const n of [made, name]) try { ip(['netns', 'del', n]); } catch { /* gone */ } });
  await NetNS.add(made);
  t.equal(await NetNS.exists(made), true);
  await NetNS.delete(made);
  closeSync(openSync(`/run/netns/${name}`, 'w'));
  t.equal(await NetNS.exists(name), false, 'a leftover empty file is not a namespace');
  await NetNS.delete(name);
  t.notOk(existsSync(`/run/netns/${name}`), 'delete removes a leftover file (not mounted: EINVAL from umount)');

  const dir = uniqueName('nd');
  mkdirSync(`/run/netns/${dir}`);
  t.teardown(() => { try { rmdirSync(`/run/netns/${dir}`); } catch { /* removed */ } });
  await t.rejects(NetNS.delete(dir), refused(NetlinkError.name, E.EISDIR, `namespace "${dir}": cannot remove /run/netns/${dir}: Is a directory`));

  const loop = uniqueName('no');
  symlinkSync(`/run/netns/${loop}`, `/run/netns/${loop}`);
  t.teardown(() => { try { unlinkSync(`/run/netns/${loop}`); } catch { /* removed */ } });
  await t.rejects(NetNS.exists(loop), refused(NetlinkError.name, E.ELOOP, `namespace "${loop}": cannot open /run/netns/${loop}: Too many levels of symbolic links`),
    'exists() answers false only for what is not there or not a namespace');

  const missing = uniqueName('nm');
  await t.rejects(NetNS.pids(missing), refused(NotFoundError.name, E.ENOENT, `namespace "${missing}": cannot stat /run/netns/${missing}: No such file or directory`));
  await t.rejects(NetNS.identify(-1), bad('process -1: a pid is a whole number'));
  await t.rejects(NetNS.identify(0), refused(NotFoundError.name, E.ENOENT, 'namespace of process 0: cannot stat /proc/0/ns/net: No such file or directory'), 'pid 0 is a whole number');
  await t.rejects(NetNS.identify(4194305), { message: 'namespace of process 4194305: cannot stat /proc/4194305/ns/net: No such file or directory' });
  const before = held();
  const ns = scratchNetns(t, 'ni');
  await NetNS.pids(ns);
  await NetNS.identify({ pid: process.pid });
  t.same(held(), before, 'the directories read are closed again');
});

t.test('NetNS.enter: what it refuses, by whole message; what it returns as is', kernel, async (t) => {
  const ns = scratchNetns(t, 'nt');
  const subject = `NetNS.enter(namespace "${ns}")`;
  t.throws(() => NetNS.enter(ns, 42 as unknown as () => void), bad(`${subject}: expects a function`));
  const asyncText = 'refuses an async function: the thread switches back as soon as the function returns, '
    + 'so code after an await would run outside. Create what you need synchronously inside, await outside';
  t.throws(() => NetNS.enter(ns, async () => 1), bad(`${subject}: ${asyncText}`));
  t.throws(() => NetNS.enter(ns, async function* () { yield 1; }), bad(`${subject}: ${asyncText}`), 'an async generator function');
  const promised = 'the function returned a promise: whatever it awaits runs outside the namespace. '
    + 'Create what you need synchronously inside, await outside';
  t.throws(() => NetNS.enter(ns, () => ({ then() { /* thenable */ } })), bad(`${subject}: ${promised}`), 'a thenable object');
  t.throws(() => NetNS.enter(ns, () => Object.assign(() => 1, { then() { /* thenable */ } })), bad(`${subject}: ${promised}`), 'a thenable function');
  t.equal(NetNS.enter(ns, () => null), null);
  const plain = { then: 1 };
  t.equal(NetNS.enter(ns, () => plain), plain, 'an object whose then is not a function');
  const bare = () => 7;
  Object.setPrototypeOf(bare, null);
  t.equal(NetNS.enter(ns, bare), 7, 'a function without a prototype chain');
});

// A fresh mount namespace with an empty /run (so no /run/netns): NetNS.add makes the directory
// and its mounts as `ip netns add` does. Each prints the mounts made after its own /run, and the
// directory's mode (made under umask 0, so that the mode asked for is the mode given).
const NETNS_JS = fileURLToPath(new URL('../src/netns/netns.js', import.meta.url));
// Only what comes after the last /run mounted (ours; the test command's own /run, and other tests'
// namespaces under it, come before).
const MOUNTS = `stat -c '%a' /run/netns && awk '$5 == "/run" { n = 0 } $5 ~ /^\\/run\\/netns/ { o = ""; for (i = 7; $i != "-"; i++) o = o " " $i; sub(/:[0-9]+/, "", o); out[n++] = $5 o " " $(i + 1) } END { for (j = 0; j < n; j++) print out[j] }' /proc/self/mountinfo`;
const freshRun = (script: string, ro = false): string => execFileSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c',
  `umask 0 && mount -t tmpfs ${ro ? '-o ro ' : ''}fresh /run && ${script}`], { encoding: 'utf8' });
const node = (code: string): string => `node --input-type=module -e '${`import { NetNS } from ${JSON.stringify(NETNS_JS)}; ${code}`}'`;

t.test('NetNS.add where /run/netns does not exist: made, bound onto itself and shared, as ip does', kernel, async (t) => {
  const ours = freshRun(`${node('console.log(JSON.stringify([await NetNS.list(), await NetNS.identify()])); await NetNS.add("x");')} && ${MOUNTS}`);
  const [listed, ...mounts] = ours.trim().split('\n');
  t.equal(listed, '[[],[]]', 'list and identify without /run/netns: nothing');
  t.same(mounts, freshRun(`ip netns add x && ${MOUNTS}`).trim().split('\n'));
  t.same(mounts, ['755', '/run/netns shared tmpfs', '/run/netns/x shared nsfs'], 'what ip makes: /run/netns (rwxr-xr-x) bound onto itself, shared; x bound on a file there');
  const ro = freshRun(`${node('await NetNS.add("x").catch((e) => console.log(e.name, e.errno, e.message));')}`, true);
  t.equal(ro.trim(), 'NetlinkError 30 namespace "x": cannot create /run/netns: Read-only file system');
});

t.test('the rename dance: a temporary name no one would choose; a failure names the link and deletes it', async (t) => {
  t.match(temporaryName(), /^rtnl[0-9a-f]{8}$/);
  const deleted: unknown[] = [];
  const inside: InsideLinks = {
    get: async () => ({ index: 5 }) as Awaited<ReturnType<InsideLinks['get']>>,
    set: async () => { throw errorFor({ errno: E.EEXIST, text: 'RTNETLINK answers: File exists' }); },
    delete: async (ref) => { deleted.push(ref); throw new Error('gone already'); },
  };
  await t.rejects(renameInside(inside, 'rtnl00000000', 'mv0'), refused('ExistsError', E.EEXIST, 'link "mv0": RTNETLINK answers: File exists'));
  t.same(deleted, ['rtnl00000000'], 'deleted under its temporary name; a failed rollback does not hide the first error');
  const plain = new RangeError('not a kernel error');
  await t.rejects(renameInside({ ...inside, set: async () => { throw plain; } }, 'rtnl00000000', 'mv0'), plain);
});
