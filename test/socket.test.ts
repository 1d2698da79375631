// The netlink socket's own behaviour against the kernel: how it is opened (a protocol the kernel
// lacks, the receive buffer asked for), joining and leaving groups, a closed socket, and a
// datagram too big for the receive buffer, an idle socket letting its process exit.
import t, { type Test } from 'tap';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { Client } from '../src/client.js';
import { RtNetlink, NetlinkError } from '../src/index.js';
import { SOL_SOCKET, SO_RCVBUF } from '../src/socket/constants.js';
import { sys } from '../src/socket/libc.js';
import { NetlinkSocket } from '../src/socket/netlink-socket.js';
import { fillRouteTable, ip, kernel, scratchNetns } from './helpers/kernel.js';

const RTNLGRP_LINK = 1;
const RTM_NEWLINK = 16;

/** The receive buffer the kernel gave `fd` (twice what was asked: its bookkeeping's share). */
function receiveBuffer(t: Test, fd: number): number {
  const v = new Uint8Array(4);
  t.equal(sys.getsockopt(fd, SOL_SOCKET, SO_RCVBUF, v, [4]), 0, 'getsockopt');
  return new DataView(v.buffer).getInt32(0, true);
}

t.test('a netlink protocol the kernel does not have: the open fails, naming the call', kernel, async (t) => {
  const e = (() => { try { return new Client({ protocol: 31 }); } catch (x) { return x; } })();
  t.type(e, NetlinkError);
  t.match((e as NetlinkError).message, /^socket\(AF_NETLINK\): Protocol not supported/);
  t.equal((e as NetlinkError).code, 'EPROTONOSUPPORT');
});

t.test('the receive buffer asked for is the one given, beyond the limit unprivileged sockets have', kernel, async (t) => {
  // rmem_max caps SO_RCVBUF (208 KiB by default, raised on some machines): a size above it
  // needs SO_RCVBUFFORCE, as root.
  const rmemMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
  const asked = rmemMax + (1 << 20);
  const c = new Client({ receiveBuffer: asked });
  t.teardown(() => c.close());
  t.equal(receiveBuffer(t, c.fd), 2 * asked, `rmem_max (${rmemMax}) + 1 MiB asked, twice that given`);
  const d = new Client();
  t.teardown(() => d.close());
  t.equal(receiveBuffer(t, d.fd), 2 * 4 * 1024 * 1024, 'by default 4 MiB');
  // As monitor() opens its socket: the option present but undefined is the default too.
  const e = new Client({ receiveBuffer: undefined });
  t.teardown(() => e.close());
  t.equal(receiveBuffer(t, e.fd), 2 * 4 * 1024 * 1024, 'receiveBuffer: undefined, 4 MiB');
});

t.test('groups joined after open bring their notifications; left, they stop', kernel, async (t) => {
  const ns = scratchNetns(t, 'grp');
  await using rt = await RtNetlink.open({ netns: ns });
  const heard: number[] = [];
  rt.client.onNotification((m) => heard.push(m.header.type));
  rt.client.keepAlive(true);
  rt.client.joinGroup(RTNLGRP_LINK);
  ip(['link', 'add', 'g0', 'type', 'veth', 'peer', 'name', 'g1'], { netns: ns });
  await new Promise((r) => setTimeout(r, 50));
  t.ok(heard.length >= 2, `joined: ${heard.length} link notifications`);
  rt.client.leaveGroup(RTNLGRP_LINK);
  heard.length = 0;
  ip(['link', 'add', 'h0', 'type', 'veth', 'peer', 'name', 'h1'], { netns: ns });
  await new Promise((r) => setTimeout(r, 50));
  t.equal(heard.length, 0, 'left: none');
  rt.client.keepAlive(false);
});

t.test('allNsid: a numbered namespace\'s notifications come with its id, read here or in the thread pool alike; this namespace\'s without', kernel, async (t) => {
  const ns = scratchNetns(t, 'san');
  const peer = scratchNetns(t, 'sap');
  const second = scratchNetns(t, 'sas');
  ip(['netns', 'set', peer, '7'], { netns: ns });
  ip(['netns', 'set', second, '8'], { netns: ns });
  const netnsFd = openSync(`/run/netns/${ns}`, 'r');
  t.teardown(() => closeSync(netnsFd));
  for (const [reads, pool] of [['here', false], ['in the pool', true]] as const) {
    const got: Array<number | undefined> = [];
    const sock = NetlinkSocket.open({ netnsFd, groups: [RTNLGRP_LINK], allNsid: true }, {
      onDatagram: (d, nsid) => { if (new DataView(d.buffer).getUint16(4, true) === RTM_NEWLINK) got.push(nsid); },
      onError: (e) => t.fail(e.message),
    });
    t.teardown(() => sock.close()); // a failed test leaves no socket keeping the namespace alive
    sock.readOffThread(pool);
    // Each read gives the kernel the whole room for ancillary data again: one that came without
    // (this namespace's) leaves none in its slots for the next otherwise. Each pair read apart.
    const pairs: Array<[string, string]> = [[peer, 'p'], [ns, 'h'], [peer, 'r']];
    for (const [i, [where, name]] of pairs.entries()) {
      ip(['link', 'add', `${name}${pool ? 1 : 0}`, 'type', 'veth', 'peer', 'name', `${name}${pool ? 1 : 0}p`], { netns: where });
      for (let w = 0; w < 200 && got.length < 2 * (i + 1); w++) await new Promise((r) => setTimeout(r, 10));
    }
    // Two peers' in one read: each slot's own id.
    ip(['link', 'add', `m${pool ? 1 : 0}`, 'type', 'veth', 'peer', 'name', `m${pool ? 1 : 0}p`], { netns: peer });
    ip(['link', 'add', `n${pool ? 1 : 0}`, 'type', 'veth', 'peer', 'name', `n${pool ? 1 : 0}p`], { netns: second });
    for (let w = 0; w < 200 && got.length < 10; w++) await new Promise((r) => setTimeout(r, 10));
    sock.close();
    t.same(got, [7, 7, undefined, undefined, 7, 7, 7, 7, 8, 8], `${reads}: the peers' links with their ids, this namespace's without`);
  }
});

t.test('allNsid: an overflow is reported as on any socket (the read that fails is not taken for one that read nothing)', kernel, async (t) => {
  const ns = scratchNetns(t, 'sao');
  const peer = scratchNetns(t, 'saq');
  ip(['netns', 'set', peer, '7'], { netns: ns });
  const netnsFd = openSync(`/run/netns/${ns}`, 'r');
  t.teardown(() => closeSync(netnsFd));
  const errors: string[] = [];
  let heard = 0;
  const sock = NetlinkSocket.open({ netnsFd, groups: [RTNLGRP_LINK], allNsid: true, receiveBuffer: 1024 }, {
    onDatagram: () => { heard++; },
    onError: (e) => errors.push(e.code),
  });
  t.teardown(() => sock.close());
  // The event loop is held while the peer makes links: the small buffer overflows before any read.
  for (let i = 0; i < 10; i++) ip(['link', 'add', `o${i}`, 'type', 'veth', 'peer', 'name', `o${i}p`], { netns: peer });
  for (let w = 0; w < 200 && errors.length === 0; w++) await new Promise((r) => setTimeout(r, 10));
  t.same(errors, ['ENOBUFS'], 'ENOBUFS, once');
  t.ok(heard > 0 && heard < 20, `what fitted read (${heard} of 20)`);
});

t.test('a request on a closed socket fails at once, saying so', kernel, async (t) => {
  const rt = await RtNetlink.open();
  rt.close();
  await t.rejects(rt.link.get(1), { code: 'EBADF', message: /socket is closed/ });
});

t.test('a datagram bigger than the receive buffer is reported lost, and the buffer grows for the next', kernel, async (t) => {
  const ns = scratchNetns(t, 'big');
  await using rt = await RtNetlink.open({ netns: ns });
  const errors: NetlinkError[] = [];
  rt.client.onError((e) => errors.push(e));
  rt.client.keepAlive(true);
  // Root may unicast to any port: 300,000 bytes (more than the 256 KiB buffer), twice.
  const big = 'import socket,sys; s=socket.socket(socket.AF_NETLINK,socket.SOCK_RAW,0); ' +
    's.setsockopt(socket.SOL_SOCKET,32,1<<20); s.bind((0,0)); ' + // SO_SNDBUFFORCE
    'd=(300000).to_bytes(4,"little")+bytes(299996); print(s.sendto(d,(int(sys.argv[1]),0)))';
  const send = (): string => execFileSync('ip', ['netns', 'exec', ns, 'python3', '-c', big, String(rt.client.port)], { encoding: 'utf8' }).trim();
  t.equal(send(), '300000', 'sent');
  await new Promise((r) => setTimeout(r, 50));
  t.equal(errors.length, 1, 'one error');
  t.equal(errors[0]?.code, 'EMSGSIZE');
  t.match(errors[0]?.message, /a 300000-byte datagram did not fit the receive buffer and was lost/);
  t.equal(send(), '300000', 'sent again');
  await new Promise((r) => setTimeout(r, 50));
  t.equal(errors.length, 1, 'the second fits, and is dropped as any datagram not from the kernel is');
  t.equal((await rt.link.get('lo')).name, 'lo', 'the socket goes on answering');
  rt.client.keepAlive(false);
});

t.test('a dump is read a few milliseconds at a time: the event loop turns meanwhile', kernel, async (t) => {
  const ns = scratchNetns(t, 'slice');
  fillRouteTable(ns, 20_000);
  await using rt = await RtNetlink.open({ netns: ns });
  let turns = 0;
  const timer = setInterval(() => { turns++; }, 1);
  t.teardown(() => clearInterval(timer));
  const routes = await rt.route.list({ table: 100, family: 'inet6' });
  clearInterval(timer);
  t.equal(routes.length, 20_000);
  t.ok(turns >= 5, `the loop turned ${turns} times while they were read`);
});

t.test('an open socket with nothing awaited lets the process exit', kernel, async (t) => {
  const index = new URL('../src/index.js', import.meta.url).pathname;
  // The child opens a session, asks once, and neither closes it nor leaves anything else to do.
  const idle = spawnSync(process.execPath, ['--input-type=module', '-e', `
    const { RtNetlink } = await import(${JSON.stringify(index)});
    const rt = await RtNetlink.open();
    console.log((await rt.link.get(1)).name);
  `], { encoding: 'utf8', timeout: 10_000 });
  t.equal(idle.signal, null, 'exited by itself (not killed after 10 s)');
  t.equal(idle.stdout, 'lo\n');
  t.equal(idle.status, 0);
});

/** A child process run to its end, without blocking this one's event loop. */
function runChild(file: string, args: string[]): Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    c.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    c.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

t.test('a process that ends by itself while notifications keep coming exits cleanly (its watchers closed at exit)', kernel, async (t) => {
  // Without the exit hook, koffi's handle fires during Node's teardown and aborts the process
  // (SIGABRT): seen in 1 run of 3 or so. Ten runs, each while a loop flips a link up and down.
  const ns = scratchNetns(t, 'exh');
  ip(['link', 'add', 'a0', 'type', 'veth', 'peer', 'name', 'b0'], { netns: ns });
  const flood = spawn('ip', ['-n', ns, '-batch', '-'], { stdio: ['pipe', 'ignore', 'ignore'] });
  const feed = (): void => { while (flood.stdin.write('link set a0 up\nlink set a0 down\n')); };
  flood.stdin.on('drain', feed);
  flood.stdin.on('error', () => undefined);
  feed();
  t.teardown(() => flood.kill());
  const index = new URL('../src/index.js', import.meta.url).pathname;
  for (let run = 0; run < 10; run++) {
    // Not spawnSync: this process's loop must go on feeding the flood meanwhile.
    const r = await runChild(process.execPath, ['--input-type=module', '-e', `
      const { RtNetlink } = await import(${JSON.stringify(index)});
      const rt = await RtNetlink.open({ netns: ${JSON.stringify(ns)}, groups: [1] });
      // Ends 20 ms after the first notification (the flood goes on), or says it heard none in 5 s:
      // a fixed 50 ms window heard nothing once under load, the flood's feeder being slow.
      let n = 0;
      const none = setTimeout(() => console.log('silent'), 5000);
      rt.client.onNotification(() => {
        if (n++ > 0) return;
        clearTimeout(none);
        setTimeout(() => console.log('heard'), 20);
      });
    `]);
    t.equal(r.signal, null, `run ${run}: no signal`);
    t.equal(r.status, 0, `run ${run}: exit 0 (${r.stderr.split('\n').find((l) => l.trim()) ?? ''})`);
    t.equal(r.stdout, 'heard\n', `run ${run}: notifications were coming`);
  }
});
