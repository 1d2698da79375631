// `rtnl netconf` against `ip netconf` on the same namespace: the same lines (text, -j, -j -p),
// errors and exit codes; and where rtnl says more than ip on purpose (a link with no settings for
// the family, a word ip passes over, -j for one family's entry).
import t from 'tap';
import { IP, RTNL, RTNL_BIN, ipOut, ok, sameAsIp, usageLine } from './helpers/cli.js';
import { kernel, scratchNetns } from './helpers/kernel.js';
import { netconfScene } from './helpers/netconf.js';

t.test('rtnl netconf prints what ip netconf prints', kernel, async (t) => {
  const ns = scratchNetns(t, 'cnc');
  netconfScene(ns);
  const shows = [
    ['netconf'], ['netconf', 'show'], ['netconf', 'list'], ['netconf', 'lst'], ['netconf', 's'], ['-4', 'netconf', 'show'], ['-6', 'netconf', 'show'],
    ['netconf', 'show', 'dev', 'v1'], ['-4', 'netconf', 'show', 'dev', 'v0'], ['-6', 'netconf', 'show', 'dev', 'v1'], ['netconf', 'show', 'dev', 'small'],
    ['netconf', 'show', 'dev', 'if1'], ['-0', 'netconf', 'show'], ['-f', 'inet6', 'netconf'],
  ];
  for (const args of shows) {
    await sameAsIp(t, ns, args);
    if (!(args.includes('dev') && args[0].startsWith('-'))) for (const fmt of [['-j'], ['-j', '-p']]) await sameAsIp(t, ns, [...fmt, ...args]);
  }
  await sameAsIp(t, ns, ['-4', 'netconf', 'show'], RTNL_BIN);
});

t.test('errors and exit codes are those of ip', kernel, async (t) => {
  const ns = scratchNetns(t, 'cnd');
  netconfScene(ns);
  for (const args of [['netconf', 'show', 'dev', 'nosuch'], ['netconf', 'frob'], ['netconf', 'help'], ['netconf', 'show', 'dev']]) {
    const [a, ...ours] = await Promise.all([IP, RTNL_BIN, RTNL].map((tool) => tool.run(['-n', ns, ...args])));
    for (const [tool, b] of [[RTNL_BIN, ours[0]], [RTNL, ours[1]]] as const) {
      t.equal(b.status, a.status, `${tool.name}: exit code of ${args.join(' ')}`);
      t.equal(usageLine(b.stderr), usageLine(a.stderr), `${tool.name}: message of ${args.join(' ')}`);
      t.equal(b.stdout, a.stdout, `${tool.name}: nothing printed: ${args.join(' ')}`);
    }
  }
});

t.test('where rtnl says more than ip, on purpose', kernel, async (t) => {
  const ns = scratchNetns(t, 'cne');
  netconfScene(ns);
  // A link with no IPv6 settings: ip prints nothing and succeeds; rtnl says why, exit 2.
  const args = ['-n', ns, '-6', 'netconf', 'show', 'dev', 'small'];
  t.same(await IP.run(args), { status: 0, stdout: '', stderr: '' }, 'ip: nothing');
  t.same(await RTNL_BIN.run(args), { status: 2, stdout: '', stderr: 'the link has no inet6 settings (the kernel keeps none under an MTU of 1280)\n' }, 'rtnl: why');
  // A word ip passes over: refused.
  t.equal(await ipOut(['netconf', 'show', 'frob'], ns), await ipOut(['netconf', 'show'], ns), 'ip shows everything');
  for (const tool of [RTNL_BIN, RTNL]) t.same(await tool.run(['-n', ns, 'netconf', 'show', 'frob']), { status: 255, stdout: '', stderr: 'Argument "frob" is unknown, try "rtnl netconf help".\n' }, `${tool.name} refuses it`);
  t.same(await RTNL.run(['-n', ns, '-4', 'netconf', 'show', 'dev', 'nosuch']), { status: 1, stdout: '', stderr: 'Device "nosuch" does not exist.\n' }, 'a family and a missing link');
  // -j with a family and a link: ip prints text; rtnl the JSON of that entry, as the listing has it.
  t.equal(await ipOut(['-j', '-4', 'netconf', 'show', 'dev', 'v0'], ns), await ipOut(['-4', 'netconf', 'show', 'dev', 'v0'], ns), 'ip: text');
  const listed = (JSON.parse(await ipOut(['-j', 'netconf', 'show', 'dev', 'v0'], ns)) as Array<{ family: string }>).filter((e) => e.family === 'inet');
  t.same(JSON.parse(await ok(RTNL_BIN, ['-n', ns, '-j', '-4', 'netconf', 'show', 'dev', 'v0'])), listed, 'rtnl: JSON');
});
