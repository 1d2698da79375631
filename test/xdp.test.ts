// XDP programs on links: attached and detached by rt.link.set() and `rtnl link set ... xdp*`,
// read back typed (`xdp: { attached: 'generic', progId }`) and named as ip names them (the
// program's name and tag from bpf(2), bpfProgram()). The program is the smallest one that
// passes every packet, loaded and pinned by test/helpers/xdp-program.py; ip is the oracle for
// every line. The kernel passes over IFLA_XDP at creation: rtnl refuses it there.
import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import { BusyError, ExistsError, InvalidArgumentError, NotFoundError, RtNetlink, bpfProgram } from '../src/index.js';
import { openPinned } from '../src/api/bpf.js';
import { RTNL, sameLines, split } from './helpers/cli.js';
import { fdCount, ip, ipJson, kernel, scratchNetns } from './helpers/kernel.js';
import { pinnedProgram } from './helpers/xdp.js';

/** The links as ip -d -j lists them (their counters left out): the programs' ids, names and tags among them. */
const state = (ns: string): string => JSON.stringify(JSON.parse(ip(['-d', '-j', 'link', 'show'], { netns: ns })), (k, v: unknown) => (k === 'stats64' ? undefined : v));

/** A veth pair va, vb with fixed addresses, so that twins print alike. */
function pair(t: Test): string {
  const ns = scratchNetns(t, 'xdp');
  ip(['link', 'add', 'va', 'address', '02:00:00:00:00:01', 'type', 'veth', 'peer', 'name', 'vb', 'address', '02:00:00:00:00:02'], { netns: ns });
  return ns;
}

t.test('rtnl link set ... xdp*, and the listings, print and do what ip does', kernel, async (t) => {
  const { path } = pinnedProgram(t);
  await sameLines(t, split(`
    link set va xdpgeneric pinned ${path}
    link show va
    -d link show va
    -j -d link show va
    link show
    addr show va
    -d addr show va
    -j addr show va
    -o link show va
    -br link show va
    link set va xdpgeneric pinned ${path}
    -force link set va xdpgeneric pinned ${path}
    link set va xdpdrv pinned ${path}
    link set va xdp off up
    link set va xdp bogus
    link set va xdp
    link set va xdp obj ${path}
    link set va xdp pinned ${path}-missing
    link set dev nosuch xdp pinned ${path}-missing
    link set va xdp off
    -d link show va
    link set va xdpgeneric off
    link show va
    link set vb xdpdrv pinned ${path} section s program p verbose up
    -d link show vb
    -j link show
    link set vb xdpdrv none
    link show vb
  `).filter((l) => l.join(' ') !== `link set va xdp obj ${path}`), pair, state);
});

t.test('xdp pinned m:NAME is NAME in the xdp directory of the bpf filesystem ip works in (TC_BPF_MNT, else the first mounted)', kernel, async (t) => {
  const { mount } = pinnedProgram(t, 'rtnl_m', 'xdp');
  const env = process.env.TC_BPF_MNT;
  process.env.TC_BPF_MNT = mount;
  t.teardown(() => {
    if (env === undefined) delete process.env.TC_BPF_MNT;
    else process.env.TC_BPF_MNT = env;
  });
  await sameLines(t, split(`
    link set va xdpgeneric pinned m:rtnl_m
    -d link show va
    link set va xdpgeneric off
    link set vb xdp pinned m:nosuch
    link set vb xdp pinned m:
    link set vb xdp pinned m
  `), pair, state);
  // Where TC_BPF_MNT is no bpf filesystem ip mounts one there; rtnl mounts nothing, and the program cannot be in a new one.
  process.env.TC_BPF_MNT = '/proc';
  const mounts = readFileSync('/proc/self/mounts', 'utf8');
  t.same(await RTNL.run(['link', 'set', 'lo', 'xdp', 'pinned', 'm:x']), { status: 255, stdout: '', stderr: "Couldn't retrieve pinned program 'm:x': No such file or directory\n" });
  t.equal(readFileSync('/proc/self/mounts', 'utf8'), mounts, 'nothing mounted');
});

t.test('an object file is not loaded: refused by name; at creation xdp is refused, where the kernel would pass over it', kernel, async (t) => {
  const { path } = pinnedProgram(t);
  const ns = pair(t);
  const fds = fdCount();
  t.same(await RTNL.run(['-n', ns, 'link', 'set', 'va', 'xdp', 'obj', `${path}.o`]), {
    status: 1, stdout: '', stderr: 'rtnl: xdp object FILE is not supported (rtnl loads no program: load and pin it, then xdp pinned FILE)\n',
  });
  const add = await RTNL.run(['-n', ns, 'link', 'add', 'vc', 'xdpgeneric', 'pinned', path, 'type', 'veth', 'peer', 'name', 'vd']);
  t.same(add, { status: 255, stdout: '', stderr: 'rtnl: protodown, protodown_reason, carrier, vf and xdp are taken by "link set" only (the kernel passes over them at creation)\n' });
  t.notMatch(ip(['link', 'show'], { netns: ns }), / vc@| vd@/, 'nothing made');
  // The pinned program is opened as the words are read: closed again whatever follows.
  t.equal((await RTNL.run(['-n', ns, 'link', 'set', 'va', 'xdpgeneric', 'pinned', path, 'vb'])).status, 255, 'a second device: refused after the program was opened');
  t.equal(fdCount(), fds, 'no descriptor left open');
});

t.test('rt.link.set({ xdp }) attaches and detaches; the link reads it back typed; bpfProgram() names the program as ip does', kernel, async (t) => {
  const prog = pinnedProgram(t, 'rtnl_typed');
  const ns = pair(t);
  const rt = await RtNetlink.open({ netns: ns });
  t.teardown(() => rt.close());
  const fds = fdCount();
  await rt.link.set('va', { xdp: { program: prog.path, mode: 'generic' } });
  const va = await rt.link.get('va');
  t.same(va.xdp, { attached: 'generic', progId: prog.id, genericProgId: prog.id }, 'IFLA_XDP: the mode and the program, also by mode');
  const [listed] = ipJson<Array<{ xdp: { prog: { id: number; name: string; tag: string; jited: number } } }>>(['-d', 'link', 'show', 'va'], { netns: ns });
  const ours = bpfProgram(prog.id);
  t.same({ id: ours.id, name: ours.name, tag: ours.tag, jited: ours.jited ? 1 : 0 }, { id: listed.xdp.prog.id, name: listed.xdp.prog.name, tag: listed.xdp.prog.tag, jited: listed.xdp.prog.jited });
  t.equal(ours.name, 'rtnl_typed');
  t.match(ip(['-d', 'link', 'show', 'va'], { netns: ns }), `load_time ${ours.loadTime} created_by_uid ${ours.createdByUid} `, 'the load time and owner ip prints with -d');
  t.match(JSON.parse(JSON.stringify(va)), { xdp: { attached: 'generic', progId: prog.id } }, 'a link with a program serialises');

  await t.rejects(rt.link.set('va', { xdp: { program: prog.path, mode: 'generic' } }), {
    constructor: BusyError, code: 'EBUSY', kernelMessage: 'XDP program already attached', message: /link "va".*XDP program already attached/,
  }, 'one attached already: refused, as ip without -force');
  await t.rejects(rt.link.set('va', { xdp: { program: prog.path, mode: 'drv' } }), { constructor: ExistsError, code: 'EEXIST', kernelMessage: "Native and generic XDP can't be active at the same time" });
  // A descriptor the caller holds, replacing the program (force).
  const held = openPinned(prog.path, 'test');
  await rt.link.set('va', { xdp: { program: held.fd, mode: 'generic', force: true } });
  held[Symbol.dispose]();
  t.equal((await rt.link.get('va')).xdp?.genericProgId, prog.id);
  await rt.link.set('va', { xdp: { program: null, mode: 'generic' } });
  t.same((await rt.link.get('va')).xdp, { attached: 'none' }, 'detached: the kernel says none');
  t.notMatch(ip(['link', 'show', 'va'], { netns: ns }), /xdp/);

  // The driver's mode (veth has one), the kernel's choice without a mode.
  await rt.link.set('vb', { xdp: { program: prog.path } });
  t.same((await rt.link.get('vb')).xdp, { attached: 'drv', progId: prog.id, drvProgId: prog.id });
  await rt.link.set('vb', { xdp: { program: null } });
  t.equal((await rt.link.get('vb')).xdp?.attached, 'none');
  t.equal(fdCount(), fds, 'the pinned program opened for each request is closed');
});

t.test('a bad xdp change is refused by name before anything is sent; a missing pin and a missing program are NotFoundErrors', kernel, async (t) => {
  const prog = pinnedProgram(t);
  const ns = pair(t);
  const rt = await RtNetlink.open({ netns: ns });
  t.teardown(() => rt.close());
  const fds = fdCount();
  const bad: Array<[unknown, RegExp]> = [
    [{}, /link "va": xdp\.program is missing/],
    [{ program: -1 }, /xdp\.program is a descriptor \(an integer from 0\), a pinned path or null, not -1/],
    [{ program: 1.5 }, /not 1\.5/],
    [{ program: true }, /not true/],
    [{ program: null, mode: 'skb' }, /unknown xdp mode "skb" \(known: drv, generic, offload\)/],
    [{ program: null, force: 'yes' }, /xdp\.force is true or false, not "yes"/],
    [{ program: prog.path, modes: 'generic' }, /link "va": xdp: unknown option "modes" \(did you mean mode\?\)/],
    ['off', /link "va": xdp: expected an object, not string/],
  ];
  for (const [xdp, message] of bad) {
    await t.rejects(rt.link.set('va', { xdp } as never), { constructor: InvalidArgumentError, code: 'EINVAL', message }, JSON.stringify(xdp));
  }
  await t.rejects(rt.link.add({ name: 'vc', kind: 'veth', xdp: { program: prog.path } } as never), {
    constructor: InvalidArgumentError, message: 'link "vc": xdp is for a link that exists (link.set()): the kernel passes over it at creation',
  });
  await t.rejects(rt.link.set('va', { xdp: { program: `${prog.path}-missing` } }), {
    constructor: NotFoundError, message: `link "va": cannot open the program pinned at ${prog.path}-missing: No such file or directory`,
  });
  t.notMatch(ip(['link', 'show', 'va'], { netns: ns }), /xdp/, 'nothing attached');
  t.equal(fdCount(), fds, 'no descriptor left open');
  t.throws(() => bpfProgram(0), { constructor: InvalidArgumentError, message: 'BPF program 0: a program id is an integer from 1 to 4294967295' });
  t.throws(() => bpfProgram(0xffffffff), { constructor: NotFoundError, message: 'BPF program 4294967295: cannot open it: No such file or directory' });
});
