// The CNI macvlan plugin over the library: the configuration keys of containernetworking's
// macvlan plugin (master, mode, mtu, linkInContainer, mac, ipam) plus the library's own (macvtap,
// source mode's MACs, flags, bcqueuelen, bcCutoff). Spec handling is in spec.ts, IPAM in ipam.ts;
// the links, addresses and routes are made by Macvlan.create and rt.* here.
import { setTimeout as sleep } from 'node:timers/promises';
import { MACVLAN_FLAGS, MACVLAN_MODES, type MacvlanFlag, type MacvlanMode } from '../../codecs/route/link-kinds/macvlan.js';
import { NetlinkError, NotFoundError } from '../errors.js';
import { Macvlan } from '../macvlan.js';
import { RtNetlink } from '../rtnetlink.js';
import { execIpam, ipamSpeaks } from './ipam.js';
import {
  CNI_ERRORS, CniError, checkTypes, checkVersion, parseConf, readEnv, readResult, toVersion, versionInfo,
  type CniEnv, type CniVersion, type ConfField, type IpConfig, type NetConf, type Result,
} from './spec.js';

/** The keys this plugin reads. */
export interface MacvlanConf extends NetConf {
  master?: string;
  mode?: string;
  mtu?: number;
  linkInContainer?: boolean;
  mac?: string;
  /** rtnl's own: 'macvtap' for a macvtap. */
  kind?: string;
  /** rtnl's own: source mode's MAC list, macvlan flags, queue lengths. */
  sourceMacs?: string[];
  flags?: string[];
  bcqueuelen?: number;
  bcCutoff?: number;
}

/** Its keys' types: the reference's (master... runtimeConfig.mac, as Go names them), then the library's own. */
const FIELDS: readonly ConfField[] = [
  [['master'], 'NetConf.master', 'string'], [['mode'], 'NetConf.mode', 'string'], [['mtu'], 'NetConf.mtu', 'int'],
  [['mac'], 'NetConf.mac', 'string'], [['linkInContainer'], 'NetConf.linkInContainer', 'bool'], [['ipam', 'type'], 'IPAM.ipam.type', 'string'],
  [['runtimeConfig', 'mac'], '.runtimeConfig.mac', 'string'], [['kind'], 'NetConf.kind', 'string'], [['sourceMacs'], 'NetConf.sourceMacs', '[]string'],
  [['flags'], 'NetConf.flags', '[]string'], [['bcqueuelen'], 'NetConf.bcqueuelen', 'int'], [['bcCutoff'], 'NetConf.bcCutoff', 'int'],
];

/** What a command prints on stdout, and its exit status. */
export interface Outcome { stdout: string; status: number }

/** Go's json.MarshalIndent(v, "", "    "), as the reference plugins print. */
const pretty = (v: unknown): string => JSON.stringify(v, null, 4);

/** Runs one CNI command from its CNI_* environment; never throws: failures are the spec's error JSON and status 1. */
export async function run(processEnv: Record<string, string | undefined>, stdin: string): Promise<Outcome> {
  try {
    const env = readEnv(processEnv);
    if (env.command === 'VERSION') return { stdout: JSON.stringify(versionInfo()), status: 0 };
    const conf = parseConf(stdin) as MacvlanConf;
    const version = checkVersion(conf.cniVersion); // skel's, before the plugin's own decoding
    checkTypes(conf, FIELDS);
    const result = await COMMANDS[env.command](env, conf, version, stdin);
    return { stdout: result ? pretty(result) : '', status: 0 };
  } catch (e) {
    const err = e instanceof CniError ? e : new CniError(CNI_ERRORS.PLUGIN, e instanceof Error ? e.message : String(e));
    return { stdout: pretty(err.toJSON()), status: 1 };
  }
}

type Handler = (env: CniEnv, conf: MacvlanConf, version: CniVersion, stdin: string) => Promise<Record<string, unknown> | undefined>;
const COMMANDS: Record<Exclude<CniEnv['command'], 'VERSION'>, Handler> = { ADD: add, DEL: del, CHECK: check, STATUS: status, GC: gc };

/** The mode, flags and MAC, checked as the reference checks them (unknown mode: its words). */
function options(env: CniEnv, c: MacvlanConf): { mode: MacvlanMode; flags?: MacvlanFlag[]; mac?: string; kind: 'macvlan' | 'macvtap' } {
  const mode = c.mode === undefined || c.mode === '' ? 'bridge' : c.mode;
  if (!Object.hasOwn(MACVLAN_MODES, mode)) throw new CniError(CNI_ERRORS.PLUGIN, `unknown macvlan mode: ${JSON.stringify(mode)}`);
  for (const f of c.flags ?? []) if (!Object.hasOwn(MACVLAN_FLAGS, f)) throw new CniError(CNI_ERRORS.INVALID_CONFIG, `unknown macvlan flag: ${JSON.stringify(f)}`);
  if (c.kind !== undefined && c.kind !== 'macvlan' && c.kind !== 'macvtap') throw new CniError(CNI_ERRORS.INVALID_CONFIG, `kind is macvlan or macvtap, not ${JSON.stringify(c.kind)}`);
  // The MAC: runtimeConfig.mac, then CNI_ARGS MAC=, then the configuration's.
  const mac = (c.runtimeConfig?.mac as string | undefined) ?? env.args.MAC ?? c.mac;
  return { mode: mode as MacvlanMode, flags: c.flags as MacvlanFlag[] | undefined, mac, kind: c.kind === 'macvtap' ? 'macvtap' : 'macvlan' };
}

/**
 * The master: named, or, as the reference finds it, the link of the first default route of the
 * main table, IPv4's before IPv6's (an IPv6-only host has one too).
 */
async function master(c: MacvlanConf, where: string | undefined): Promise<string> {
  if (c.master) return c.master;
  const rt = await RtNetlink.open(where === undefined ? {} : { netns: where });
  try {
    const route = (await rt.route.list({ names: true })).find((r) => r.dst === 'default' && r.dev !== undefined);
    if (!route?.dev) throw new CniError(CNI_ERRORS.PLUGIN, 'no default route interface found');
    return route.dev;
  } finally {
    rt.close();
  }
}

async function add(env: CniEnv, c: MacvlanConf, version: CniVersion, stdin: string): Promise<Record<string, unknown>> {
  const o = options(env, c);
  const parentNetns = c.linkInContainer ? env.netns : undefined;
  const parent = await master(c, parentNetns);
  const ipamType = c.ipam?.type;
  let ipam: Result | undefined;
  if (ipamType) {
    const got = execIpam(ipamType, 'ADD', stdin, env);
    ipam = got;
    if (!got?.ips?.length) {
      execIpam(ipamType, 'DEL', stdin, env);
      throw new CniError(CNI_ERRORS.PLUGIN, 'IPAM plugin returned missing IP config');
    }
  }
  const ips: IpConfig[] = (ipam?.ips ?? []).map((ip) => ({ interface: 0, address: ip.address, ...(ip.gateway ? { gateway: ip.gateway } : {}) }));
  const gatewayOf = (v6: boolean): string | undefined => ips.find((ip) => ip.address.includes(':') === v6 && ip.gateway)?.gateway;
  let mv: Macvlan;
  try {
    // All or nothing: a failure removes the link (the reference leaves it) and releases the address.
    mv = await Macvlan.create({
      kind: o.kind, parent, parentNetns, name: env.ifName, netns: env.netns, mode: o.mode, address: o.mac, mtu: c.mtu,
      flags: o.flags, bcqueuelen: c.bcqueuelen, bcCutoff: c.bcCutoff, sourceMacs: c.sourceMacs,
      addresses: ips.map((ip) => ip.address), arpNotify: true, up: true,
      // As the reference plugin's links come out (through its Go library): qlen 0, IPv4 broadcast set.
      txqlen: 0, broadcast: true,
      routes: (ipam?.routes ?? []).map((r) => ({ dst: r.dst, gateway: r.gw ?? gatewayOf(r.dst.includes(':')) })),
    });
    if (gatewayOf(true)) await settle(env.netns, env.ifName).catch(async (e: unknown) => { await mv.delete(); throw e; });
  } catch (e) {
    if (ipamType) execIpam(ipamType, 'DEL', stdin, env);
    throw new CniError(CNI_ERRORS.PLUGIN, e instanceof Error ? e.message : String(e));
  }
  const result: Result = {
    cniVersion: version,
    interfaces: [{ name: env.ifName, mac: mv.mac ?? '', sandbox: env.netns }],
    ips, routes: ipam?.routes, dns: c.dns ?? ipam?.dns,
  };
  return toVersion(result, version);
}

/** How long ADD waits for DAD to end: the reference's ipam.ConfigureIface waits 5 s. */
const SETTLE_MS = 5000;

/**
 * Waits until no IPv6 address of the link is tentative, as the reference does when an IPv6
 * gateway is given, so that the addresses work when ADD answers. DAD failed: an error; still
 * tentative at the deadline: an error only if the link is up (down, DAD has not begun). As the
 * reference's current source, not Debian's 1.1.1, which waits 10 s and ignores the outcome.
 */
async function settle(netns: string, dev: string): Promise<void> {
  const unsettled = (why: string): Error => new Error(`failed to settle addresses for "${dev}": ${why}`);
  const rt = await RtNetlink.open({ netns });
  try {
    for (const deadline = Date.now() + SETTLE_MS; ;) {
      const addrs = await rt.address.list({ dev, family: 'inet6' });
      const failed = addrs.find((a) => a.flags.includes('dadfailed'));
      if (failed) throw unsettled(`link ${dev} has address ${failed.cidr.split('/')[0]} in DADFAILED state`);
      if (!addrs.some((a) => a.flags.includes('tentative'))) return;
      if (Date.now() > deadline) {
        if ((await rt.link.get(dev, { stats: false })).operstate !== 'up') return;
        throw unsettled(`link ${dev} still has tentative addresses after ${SETTLE_MS / 1000} seconds`);
      }
      await sleep(50);
    }
  } finally {
    rt.close();
  }
}

/** DEL: the address released, the link deleted; nothing there (or no namespace) is not an error. */
async function del(env: CniEnv, c: MacvlanConf, _version: CniVersion, stdin: string): Promise<undefined> {
  if (c.ipam?.type) execIpam(c.ipam.type, 'DEL', stdin, env);
  if (env.netns === '') return undefined;
  let rt: RtNetlink;
  try {
    rt = await RtNetlink.open({ netns: env.netns });
  } catch (e) {
    if (e instanceof NotFoundError) return undefined; // the namespace is gone, and the link with it
    throw e;
  }
  try {
    await rt.link.delete(env.ifName);
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  } finally {
    rt.close();
  }
  return undefined;
}

/** CHECK: the link is there as configured and as the previous result says. */
async function check(env: CniEnv, c: MacvlanConf, _version: CniVersion, stdin: string): Promise<undefined> {
  if (c.prevResult === undefined) throw new CniError(CNI_ERRORS.INVALID_CONFIG, 'Required prevResult missing');
  const prev = readResult(c.prevResult, 'prevResult');
  if (c.ipam?.type) execIpam(c.ipam.type, 'CHECK', stdin, env);
  const o = options(env, c);
  let mv: Macvlan;
  try {
    mv = await Macvlan.get(env.ifName, { netns: env.netns });
  } catch (e) {
    throw new CniError(CNI_ERRORS.PLUGIN, e instanceof NetlinkError ? e.message : String(e));
  }
  const fail = (msg: string): never => { throw new CniError(CNI_ERRORS.PLUGIN, msg); };
  if (mv.kind !== o.kind) fail(`Interface ${env.ifName} is a ${mv.kind}, not a ${o.kind}`);
  if (mv.mode !== o.mode) fail(`Interface ${env.ifName} has mode ${String(mv.mode)}, configured ${o.mode}`);
  const iface = prev.interfaces?.find((i) => i.name === env.ifName && i.sandbox === env.netns);
  if (!iface) fail(`prevResult has no interface ${env.ifName} in ${env.netns}`);
  if (iface?.mac && iface.mac !== mv.mac) fail(`Interface ${env.ifName} Mac ${iface.mac} doesn't match container Mac: ${mv.mac ?? ''}`);
  for (const ip of prev.ips ?? []) {
    if (!mv.addresses.includes(ip.address)) fail(`Failed to match addr ${ip.address} on interface ${env.ifName}`);
  }
  const rt = await RtNetlink.open({ netns: env.netns });
  try {
    const routes = await rt.route.list({ dev: env.ifName });
    for (const r of prev.routes ?? []) {
      // As the reference: a route of the same family and destination; its gateway too when given,
      // except for a default route.
      const isDefault = r.dst === '0.0.0.0/0' || r.dst === '::/0';
      const family = r.dst.includes(':') ? 'inet6' : 'inet';
      const found = routes.some((x) => x.family === family && x.dst === (isDefault ? 'default' : r.dst) && (isDefault || r.gw === undefined || x.gateway === r.gw));
      if (!found) fail(`Failed to match route ${r.dst} on interface ${env.ifName}`);
    }
  } finally {
    rt.close();
  }
  return undefined;
}

/** STATUS (CNI 1.1): ready when the master exists and the IPAM plugin, if it speaks 1.1, says it is. */
async function status(env: CniEnv, c: MacvlanConf, _version: CniVersion, stdin: string): Promise<undefined> {
  const name = await master(c, undefined);
  const rt = await RtNetlink.open();
  try {
    await rt.link.get(name, { stats: false });
  } catch (e) {
    throw new CniError(50, `master ${name} is not available: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    rt.close();
  }
  if (c.ipam?.type && ipamSpeaks(c.ipam.type, '1.1.0', env)) execIpam(c.ipam.type, 'STATUS', stdin, env);
  return undefined;
}

/** GC (CNI 1.1): links live and die with their namespaces; an IPAM plugin that speaks 1.1 releases what is stale. */
async function gc(env: CniEnv, c: MacvlanConf, _version: CniVersion, stdin: string): Promise<undefined> {
  if (c.ipam?.type && ipamSpeaks(c.ipam.type, '1.1.0', env)) execIpam(c.ipam.type, 'GC', stdin, env);
  return undefined;
}

