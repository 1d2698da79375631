// SR-IOV virtual functions: this machine has no SR-IOV device, so what can be shown here is the
// asking. `rt.link.list({ vfs: true })` and `get()` ask the kernel for VFs (RTEXT_FILTER_VF) as
// `ip link show` does, and rtnl's listings ask as ip's do (strace reads both requests). How VFs
// decode and print is shown with bytes written by hand (test/link-codec.test.ts) and a file that
// ip and rtnl print alike (test/cli-monitor-file.test.ts).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { InvalidArgumentError, RtNetlink } from '../src/index.js';
import { BIN } from './helpers/cli.js';
import { kernel, scratchNetns, vethPair } from './helpers/kernel.js';

const RTEXT_FILTER_VF = 1;

/**
 * The IFLA_EXT_MASK values of the RTM_GETLINK requests (type 0x12) a command sends, from the
 * bytes strace shows (it cannot decode a socket opened in another namespace): the attribute is
 * length 8, type 29 (0x1d), then the mask.
 */
function extMasks(words: string[]): number[] {
  const r = spawnSync('strace', ['-f', '-xx', '-e', 'trace=sendto,sendmsg', '-s', '4096', ...words], { encoding: 'utf8' });
  return r.stderr.split('\n').filter((l) => /nlmsg_type=(0x12|RTM_GETLINK)\b/.test(l))
    .flatMap((l) => [...l.matchAll(/\\x08\\x00\\x1d\\x00\\x([0-9a-f]{2})\\x00\\x00\\x00/g)].map((m) => parseInt(m[1], 16)));
}

t.test('rt.link.list({ vfs: true }) and get() ask for VFs; a link without any has neither numVf nor vfInfoList; vfs is true or false', kernel, async (t) => {
  const ns = scratchNetns(t, 'vfs');
  vethPair(ns, 'va', 'vb');
  const rt = await RtNetlink.open({ netns: ns });
  t.teardown(() => rt.close());
  const listed = await rt.link.list({ vfs: true });
  t.same(listed.map((l) => l.name).sort(), ['lo', 'va', 'vb']);
  t.ok(listed.every((l) => l.numVf === undefined && l.vfInfoList === undefined), 'no device here has VFs');
  t.equal((await rt.link.get('va', { vfs: true, stats: false })).name, 'va');
  await t.rejects(rt.link.list({ vfs: 'yes' } as never), { constructor: InvalidArgumentError, message: 'link filter: vfs is true or false, not "yes"' });
  await t.rejects(rt.link.get('va', { vfs: 1 } as never), { constructor: InvalidArgumentError, message: 'link "va": vfs is true or false, not 1' });
});

t.test('rtnl link show and address show ask the kernel for VFs, as ip does', kernel, async (t) => {
  const ns = scratchNetns(t, 'vfr');
  for (const words of [['link', 'show'], ['link', 'show', 'lo'], ['address', 'show'], ['-s', 'link', 'show']]) {
    const ours = extMasks([BIN, '-n', ns, ...words]);
    const theirs = extMasks(['ip', '-n', ns, ...words]);
    t.ok(theirs.length > 0 && theirs.every((m) => m & RTEXT_FILTER_VF), `ip ${words.join(' ')}: masks ${theirs.join(', ')}`);
    t.ok(ours.length > 0 && ours.every((m) => m & RTEXT_FILTER_VF), `rtnl ${words.join(' ')}: masks ${ours.join(', ')}`);
  }
});
