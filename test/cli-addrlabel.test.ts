// `rtnl addrlabel` against `ip addrlabel` on twin namespaces: the same output, exit status and
// error for each line, and the same table after it.
import t, { type Test } from 'tap';
import { RTNL, sameLines, split } from './helpers/cli.js';
import { ip, kernel, scratchNetns, vethPair } from './helpers/kernel.js';

/** The table as ip lists it. */
const state = (ns: string): string => ip(['addrlabel', 'list'], { netns: ns });

/** A namespace with a veth pair, v0 and v1. */
function twin(t: Test): string {
  const ns = scratchNetns(t, 'cal');
  vethPair(ns, 'v0', 'v1', false);
  return ns;
}

t.test('add, del, list and flush as ip reads and prints them', kernel, async (t) => {
  await sameLines(t, split(`
    addrlabel
    addrlabel list
    -j addrlabel list
    -j -p addrlabel show
    addrlabel add prefix 2001:db8::5/32 label 100
    addrlabel add prefix 2001:db8::/32 label 100
    addrlabel add prefix 2001:db8::/32 label 101 dev v0
    addrlabel a prefix 2001:db8:1::/48 label 0x10
    addrlabel add prefix 2001:db8:2::/48
    addrlabel add label 5
    addrlabel add prefix 2001:db8:2::/48 label 4294967295
    addrlabel add prefix 2001:db8:2::/48 label x
    addrlabel add prefix 2001:db8:2::/48 label 5 dev nosuch
    addrlabel add prefix nonsense label 5
    addrlabel ls
    -j addrlabel
    addrlabel del prefix 2001:db8::/32 label 1
    addrlabel del prefix 2001:db8::/32 label 100
    addrlabel d prefix 2001:db8::/32 label 101 dev v0
    addrlabel show x
    addrlabel flush x
    addrlabel foo
    addrlabel help
    addrlabel flush
    addrlabel
    -j addrlabel
  `), twin, state, RTNL);
});

t.test('where rtnl says otherwise: a word ip passes over, an IPv4 prefix, another family', kernel, async (t) => {
  const ns = twin(t);
  const before = state(ns);
  t.same(await RTNL.run(['-n', ns, 'addrlabel', 'add', 'prefix', '2001:db8::/32', 'label', '5', 'lable', '6']),
    { status: 255, stdout: '', stderr: 'Argument "lable" is unknown, try "rtnl addrlabel help".\n' }, 'a word ip passes over: refused');
  t.same(await RTNL.run(['-n', ns, 'addrlabel', 'add', 'prefix', '192.0.2.0/24', 'label', '5']),
    { status: 2, stdout: '', stderr: 'address labels are for IPv6 prefixes\n' }, 'an IPv4 prefix: refused before sending (the kernel refuses it by its policy)');
  t.same(await RTNL.run(['-n', ns, '-4', 'addrlabel']), { status: 255, stdout: '', stderr: "rtnl: address labels are IPv6's\n" }, '-4: refused before asking');
  t.equal(state(ns), before, 'nothing changed');
});
