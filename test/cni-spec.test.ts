// The CNI specification's side of the plugin, without a kernel: environment, configuration,
// versions, results converted between versions, errors.
import t from 'tap';
import { CniError, checkTypes, checkVersion, parseArgs, parseConf, readEnv, readResult, toVersion, versionInfo } from '../src/cni/spec.js';

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
  const jsonError = ((): string => { try { return JSON.parse('{"cniVersion":') as string; } catch (e) { return (e as Error).message; } })();
  t.throws(() => parseConf('{"cniVersion":'), { code: 6, message: `failed to load netconf: ${jsonError}` }, 'JSON\'s own words');
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
  t.strictSame(toVersion({ cniVersion: '1.0.0', interfaces: [{ name: 'eth0' }] }, '1.0.0'), { cniVersion: '1.0.0', interfaces: [{ name: 'eth0' }], dns: {} }, 'empty lists left out, dns always');
  t.throws(() => readResult({ cniVersion: '9.9.9' }), { code: 1 });
  t.throws(() => readResult('x'), { code: 6 });
  t.strictSame(new CniError(7, 'bad', 'why').toJSON(), { code: 7, msg: 'bad', details: 'why' });
});

t.test('the edges mutation testing found untested: each required variable, CNI_ARGS pairs, conf and result shapes, error JSON', async (t) => {
  const failure = (f: () => unknown): unknown => { try { f(); return 'ok'; } catch (x) { return x instanceof CniError ? [x.code, x.message] : x; } };
  for (const cmd of ['ADD', 'CHECK', 'DEL']) {
    for (const [name, missing] of [['CNI_CONTAINERID', undefined], ['CNI_IFNAME', ''], ['CNI_PATH', '::']] as const) {
      t.same(failure(() => readEnv({ ...env, CNI_COMMAND: cmd, [name]: missing })), [4, `required env variables [${name}] missing`], `${cmd} needs ${name}`);
    }
  }
  t.same(failure(() => readEnv({ ...env, CNI_COMMAND: 'CHECK', CNI_NETNS: '' })), [4, 'required env variables [CNI_NETNS] missing'], 'CHECK needs CNI_NETNS');
  t.equal(failure(() => readEnv({ CNI_COMMAND: 'STATUS' })), 'ok', 'STATUS needs none of them');
  t.same(readEnv({ ...env, CNI_PATH: ':/a::/b:' }).path, ['/a', '/b'], 'empty CNI_PATH entries dropped');
  t.same(readEnv({ ...env, CNI_CONTAINERID: 'abc' }).containerId, 'abc');
  t.same(readEnv({ CNI_COMMAND: 'VERSION' }), { command: 'VERSION', containerId: '', netns: '', ifName: '', args: {}, path: [] }, 'absent variables are empty');
  t.same(parseArgs('A=1;;B=x=y;C='), { A: '1', B: 'x=y', C: '' }, 'the first = splits; empty pairs skipped');
  t.same(failure(() => parseArgs('=1')), [4, 'invalid CNI_ARGS pair "=1"'], 'a pair without a key');
  t.same(failure(() => parseArgs('A=1;B')), [4, 'invalid CNI_ARGS pair "B"']);
  for (const text of ['null', '"x"', '7', '[]']) t.same(failure(() => parseConf(text)), [6, 'failed to load netconf: not a JSON object'], `conf ${text}`);
  t.same(failure(() => parseConf('{"ipam":null}')), [7, 'ipam must be an object']);
  t.same(failure(() => parseConf('{"ipam":3}')), [7, 'ipam must be an object']);
  t.same(parseConf('{"ipam":{"type":"static"}}'), { ipam: { type: 'static' }, cniVersion: '0.1.0' }, 'a version the spec defaults to');
  for (const v of [null, 'x', 3]) t.same(failure(() => readResult(v, 'prevResult')), [6, 'prevResult is not a JSON object']);
  t.same(failure(() => readResult({})), [1, 'result has cniVersion "", which this plugin cannot read']);
  t.strictSame(readResult({ cniVersion: '1.0.0' }), { cniVersion: '1.0.0', ips: [] }, 'absent lists stay absent (no key), ips empty');
  t.strictSame(readResult({ cniVersion: '1.0.0', interfaces: [{ name: 'eth0', sandbox: '/x' }] }).interfaces, [{ name: 'eth0', sandbox: '/x' }], 'interfaces kept');
  t.same(readResult({ cniVersion: '1.0.0', interfaces: 'x', routes: 'y', dns: { nameservers: ['192.0.2.53'] } }), { cniVersion: '1.0.0', ips: [], dns: { nameservers: ['192.0.2.53'] } }, 'non-lists dropped, dns kept');
  t.strictSame(toVersion({ cniVersion: '1.0.0', interfaces: [], ips: [], routes: [{ dst: '0.0.0.0/0' }] }, '0.3.1'), { cniVersion: '0.3.1', routes: [{ dst: '0.0.0.0/0' }], dns: {} });
  t.strictSame(new CniError(7, 'bad').toJSON(), { code: 7, msg: 'bad' }, 'no cniVersion, no details when there are none');
  t.equal(new CniError(7, 'bad').details, '');
});

t.test('the keys\' types as Go decodes them into the reference\'s struct: its words, code 999; a null as the key left out', async (t) => {
  const fields = [[['master'], 'NetConf.master', 'string'], [['mtu'], 'NetConf.mtu', 'int'], [['linkInContainer'], 'NetConf.linkInContainer', 'bool'],
    [['runtimeConfig', 'mac'], '.runtimeConfig.mac', 'string'], [['flags'], 'NetConf.flags', '[]string']] as const;
  const failure = (c: Record<string, unknown>): unknown => {
    try { checkTypes({ cniVersion: '1.0.0', name: 'n', type: 't', ...c }, fields); return 'ok'; } catch (x) { return x instanceof CniError ? [x.code, x.message] : x; }
  };
  const words = (v: string, field: string, type: string): unknown => [999, `failed to load netconf: json: cannot unmarshal ${v} into Go struct field ${field} of type ${type}`];
  t.same(failure({ master: 5 }), words('number', 'NetConf.master', 'string'), 'a number, without its value where a string was due (Go\'s words)');
  t.same(failure({ master: {} }), words('object', 'NetConf.master', 'string'));
  t.same(failure({ master: [] }), words('array', 'NetConf.master', 'string'));
  t.same(failure({ master: true }), words('bool', 'NetConf.master', 'string'));
  t.same(failure({ mtu: '1400' }), words('string', 'NetConf.mtu', 'int'));
  t.same(failure({ mtu: 1.5 }), words('number 1.5', 'NetConf.mtu', 'int'));
  t.same(failure({ mtu: 1e300 }), words('number 1e+300', 'NetConf.mtu', 'int'));
  t.same(failure({ linkInContainer: 'yes' }), words('string', 'NetConf.linkInContainer', 'bool'));
  t.same(failure({ runtimeConfig: { mac: 7 } }), words('number', '.runtimeConfig.mac', 'string'));
  t.same(failure({ flags: 'nopromisc' }), words('string', 'NetConf.flags', '[]string'));
  t.same(failure({ mtu: [] }), words('array', 'NetConf.mtu', 'int'));
  t.same(failure({ flags: [null, 3] }), words('number', 'NetConf.flags', 'string'), 'a null element passed over, as Go takes it');
  t.same(failure({ flags: ['nopromisc', 3] }), words('number', 'NetConf.flags', 'string'), 'an element: Go names the element\'s type');
  for (const ok of [{}, { master: 'eth0', mtu: -1, linkInContainer: false, runtimeConfig: 'x', flags: ['a', null] }, { runtimeConfig: { mac: 'x' } }]) {
    t.equal(failure(ok), 'ok', JSON.stringify(ok));
  }
  const c: Record<string, unknown> = { cniVersion: '1.0.0', name: 'n', type: 't', master: null, runtimeConfig: { mac: null } };
  checkTypes(c as never, fields);
  t.same(c, { cniVersion: '1.0.0', name: 'n', type: 't', runtimeConfig: {} }, 'nulls taken out: the keys left out');
});
