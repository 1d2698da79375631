// A real container engine drives rtnl-cni-macvlan: Podman (Debian's, with runc and its CNI
// backend) runs busybox containers whose network our plugin makes, on a parent that is a veth in
// a namespace the test made. They see their macvlan, address and default route; two containers
// on a bridge-mode network reach each other, on a vepa-mode one they do not.
import t, { type Test } from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kernel, ip, scratchNetns } from './helpers/kernel.js';

const OURS = fileURLToPath(new URL('../../dist/bin/rtnl-cni-macvlan.cjs', import.meta.url));

/** Podman's folders, CNI configuration and a busybox root filesystem, under one temporary folder. */
interface Lab {
  podman: (...args: string[]) => { status: number | null; out: string };
  /** `podman run OPTIONS --rootfs ROOTFS COMMAND...`: the busybox root filesystem in place of an image. */
  run: (options: string[], command: string[]) => { status: number | null; out: string };
}

function lab(t: Test, ns: string): Lab {
  const dir = mkdtempSync(join(tmpdir(), 'rtnl-podman-'));
  const conf = join(dir, 'containers.conf');
  const podman = (...args: string[]): { status: number | null; out: string } => {
    // nsenter, not `ip netns exec` (which remounts /sys and hides the cgroup mounts podman needs).
    const r = spawnSync('nsenter', [`--net=/run/netns/${ns}`, 'podman', '--root', join(dir, 'root'), '--runroot', join(dir, 'run'),
      '--runtime', 'runc', '--cgroup-manager=cgroupfs', ...args], { encoding: 'utf8', env: { ...process.env, CONTAINERS_CONF: conf }, timeout: 120_000 });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  };
  // Registered before the lab is made: a failure while making it leaves nothing either.
  t.teardown(() => {
    if (existsSync(conf)) podman('rm', '-f', '-a');
    rmSync(dir, { recursive: true, force: true });
  });
  for (const d of ['cni', 'net', 'root', 'run', 'rootfs/bin', 'ipam']) mkdirSync(join(dir, d), { recursive: true });
  copyFileSync('/bin/busybox', join(dir, 'rootfs/bin/busybox'));
  for (const applet of execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n')) {
    if (applet && applet !== 'busybox') symlinkSync('busybox', join(dir, 'rootfs/bin', applet));
  }
  for (const f of readdirSync('/usr/lib/cni')) symlinkSync(join('/usr/lib/cni', f), join(dir, 'cni', f));
  symlinkSync(OURS, join(dir, 'cni', 'rtnl-macvlan'));
  for (const [name, mode, subnet] of [['macbridge', 'bridge', '192.0.2'], ['macvepa', 'vepa', '198.51.100']]) {
    writeFileSync(join(dir, 'net', `${name}.conflist`), JSON.stringify({
      cniVersion: '1.0.0', name, plugins: [{
        type: 'rtnl-macvlan', master: 'eth0', mode,
        ipam: { type: 'host-local', subnet: `${subnet}.0/24`, gateway: `${subnet}.1`, routes: [{ dst: '0.0.0.0/0' }], dataDir: join(dir, 'ipam') },
      }],
    }));
  }
  writeFileSync(conf, `[containers]\ndefault_ulimits = []\n[network]\nnetwork_backend = "cni"\ncni_plugin_dirs = ["${join(dir, 'cni')}"]\nnetwork_config_dir = "${join(dir, 'net')}"\n`);
  return { podman, run: (options, command) => podman('run', ...options, '--rootfs', join(dir, 'rootfs'), ...command) };
}

t.test('Podman runs containers on rtnl-cni-macvlan: macvlan, address, default route; bridge reaches, vepa does not', kernel, async (t) => {
  const ns = scratchNetns(t, 'pod');
  ip(['link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'wire'], { netns: ns });
  ip(['link', 'set', 'eth0', 'up'], { netns: ns });
  ip(['link', 'set', 'wire', 'up'], { netns: ns });
  const { podman, run } = lab(t, ns);

  const one = run(['--rm', '--network', 'macbridge'], ['/bin/sh', '-c', 'ip addr show eth0; ip route']);
  t.equal(one.status, 0, one.out);
  t.match(one.out, /inet 192\.0\.2\.\d+\/24/, 'the container has its address');
  t.match(one.out, /default via 192\.0\.2\.1 dev eth0/, 'and its default route');

  for (const [net, reach] of [['macbridge', true], ['macvepa', false]] as const) {
    const names = [`${net}-a`, `${net}-b`];
    for (const name of names) {
      const r = run(['-d', '--name', name, '--network', net], ['/bin/sleep', '120']);
      t.equal(r.status, 0, `${name} started: ${r.out}`);
    }
    const pid = podman('inspect', '--format', '{{.State.Pid}}', names[0]).out.trim();
    const details = execFileSync('nsenter', [`--net=/proc/${pid}/ns/net`, 'ip', '-d', 'link', 'show', 'eth0'], { encoding: 'utf8' });
    t.match(details, new RegExp(`macvlan mode ${net === 'macbridge' ? 'bridge' : 'vepa'} `), `${net}: a macvlan in ${net === 'macbridge' ? 'bridge' : 'vepa'} mode, seen from outside`);
    const other = podman('exec', names[1], '/bin/sh', '-c', "ip -4 addr show eth0 | sed -n 's/.*inet \\([0-9.]*\\).*/\\1/p'").out.trim();
    const ping = podman('exec', names[0], '/bin/ping', '-c', '1', '-W', '1', other);
    t.equal(ping.status === 0, reach, `${net}: ${names[0]} ${reach ? 'reaches' : 'does not reach'} ${names[1]} (${other})`);
    podman('rm', '-f', ...names);
  }
  t.same(ip(['-br', 'link', 'show'], { netns: ns }).split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0]).sort(), ['eth0@wire', 'lo', 'wire@eth0'], 'nothing left on the parent\'s side');
});
