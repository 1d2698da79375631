// The CNI specification's side of the plugin, without a kernel: environment, configuration,
// versions, results converted between versions, errors.
import t from 'tap';
import { CniError, checkVersion, parseArgs, parseConf, readEnv, readResult, toVersion, versionInfo } from '../src/cni/spec.js';

const env = { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'c1', CNI_NETNS: '/run/netns/x', CNI_IFNAME: 'eth0', CNI_PATH: '/a:/b', CNI_ARGS: 'IgnoreUnknown=1;MAC=02:00:00:00:00:01' };

t.test('the environment: each command\'s required variables, CNI_ARGS and CNI_PATH split', async (t) => {
  t.match(readEnv(env), { command: 'ADD', containerId: 'c1', netns: '/run/netns/x', ifName: 'eth0', path: ['/a', '/b'], args: { IgnoreUnknown: '1', MAC: '02:00:00:00:00:01' } });
  const code = (e: Record<string, string | undefined>): unknown => { try { readEnv(e); return 'ok'; } catch (x) { return [(x as CniError).code, (x as Error).message]; } };
  t.same(code({ ...env, CNI_IFNAME: undefined }), [4, 'required env variables [CNI_IFNAME] missing']);
  t.same(code({ ...env, CNI_NETNS: undefined }), [4, 'required env variables [CNI_NETNS] missing']);
  t.equal(code({ ...env, CNI_COMMAND: 'DEL', CNI_NETNS: undefined }), 'ok', 'DEL without a namespace is fine');
  t.same(code({ ...env, CNI_COMMAND: 'FOO' }), [4, 'unknown CNI_COMMAND: FOO']);
  t.equal(code({ CNI_COMMAND: 'VERSION' }), 'ok', 'VERSION needs nothing else');
  t.throws(() => parseArgs('novalue'), { code: 4 });
});

t.test('the configuration: JSON, key types, a version this plugin speaks', async (t) => {
  t.match(parseConf('{"cniVersion":"1.0.0","name":"n","type":"rtnl-macvlan","master":"eth0"}'), { cniVersion: '1.0.0', master: 'eth0' });
  t.throws(() => parseConf('{"cniVersion":'), { code: 6, message: /failed to load netconf/ });
  t.throws(() => parseConf('[1]'), { code: 6 });
  t.throws(() => parseConf('{"name":3}'), { code: 7, message: 'name must be a string' });
  t.throws(() => parseConf('{"ipam":"host-local"}'), { code: 7 });
  for (const v of ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0']) t.equal(checkVersion(v), v);
  t.throws(() => checkVersion('2.0.0'), { code: 1, message: 'incompatible CNI versions', details: /config is "2.0.0"/ });
  t.same(versionInfo(), { cniVersion: '1.1.0', supportedVersions: ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] });
});

t.test('results: read from any version into 1.0.0, written back with the IP versions 0.x carries', async (t) => {
  const old = { cniVersion: '0.3.1', ips: [{ version: '4', address: '192.0.2.2/24', gateway: '192.0.2.1' }, { version: '6', address: '2001:db8::2/64' }], routes: [{ dst: '0.0.0.0/0' }], dns: {} };
  const r = readResult(old);
  t.same(r.ips, [{ address: '192.0.2.2/24', gateway: '192.0.2.1' }, { address: '2001:db8::2/64' }], 'version dropped');
  const written = toVersion({ ...r, interfaces: [{ name: 'eth0', mac: 'aa', sandbox: '/x' }], ips: [{ interface: 0, address: '192.0.2.2/24', gateway: '192.0.2.1' }, { interface: 0, address: '2001:db8::2/64' }] }, '0.4.0');
  t.same(written.ips, [{ version: '4', interface: 0, address: '192.0.2.2/24', gateway: '192.0.2.1' }, { version: '6', interface: 0, address: '2001:db8::2/64' }]);
  t.same(Object.keys(JSON.parse(JSON.stringify(written)) as object), ['cniVersion', 'interfaces', 'ips', 'routes', 'dns'], 'keys in the reference\'s order');
  const current = toVersion(r, '1.0.0');
  t.same((current.ips as object[])[0], { address: '192.0.2.2/24', gateway: '192.0.2.1' }, '1.0.0 has no IP version');
  t.same(toVersion({ cniVersion: '1.0.0', interfaces: [{ name: 'eth0' }] }, '1.0.0'), { cniVersion: '1.0.0', interfaces: [{ name: 'eth0' }], dns: {} }, 'empty lists left out, dns always');
  t.throws(() => readResult({ cniVersion: '9.9.9' }), { code: 1 });
  t.throws(() => readResult('x'), { code: 6 });
  t.same(new CniError(7, 'bad', 'why').toJSON('1.0.0'), { cniVersion: '1.0.0', code: 7, msg: 'bad', details: 'why' });
});
