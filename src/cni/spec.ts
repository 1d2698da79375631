// The CNI specification's side of a plugin, with no kernel and no netlink in it: the
// environment (CNI_*), the network configuration, versions, results and their conversion
// between versions, and errors as JSON. https://github.com/containernetworking/cni SPEC.md
// (1.0.0, with the 0.3.x and 0.4.0 result shapes the conversion rules describe).

/** Versions this plugin speaks, oldest first (VERSION lists them). */
export const SUPPORTED_VERSIONS = ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] as const;
export type CniVersion = (typeof SUPPORTED_VERSIONS)[number];

/** Well-known error codes (SPEC.md "Error"); 100 and up are the plugin's own. */
export const CNI_ERRORS = {
  INCOMPATIBLE_VERSION: 1,
  UNSUPPORTED_FIELD: 2,
  CONTAINER_UNKNOWN: 3,
  INVALID_ENV: 4,
  IO_FAILURE: 5,
  DECODE_FAILURE: 6,
  INVALID_CONFIG: 7,
  TRY_AGAIN_LATER: 11,
  /** The plugin's own: the kernel or IPAM refused. */
  PLUGIN: 999,
} as const;

/** A failure the plugin reports as the spec's error JSON on stdout, with a non-zero exit. */
export class CniError extends Error {
  constructor(readonly code: number, msg: string, readonly details = '') {
    super(msg);
  }

  /**
   * SPEC.md's error object, without `cniVersion` (optional there): the reference plugin, 1.1.1,
   * writes none, and this plugin answers as it does.
   */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { code: this.code, msg: this.message };
    if (this.details) out.details = this.details;
    return out;
  }
}

export type Command = 'ADD' | 'DEL' | 'CHECK' | 'VERSION' | 'STATUS' | 'GC';
const COMMANDS: readonly Command[] = ['ADD', 'DEL', 'CHECK', 'VERSION', 'STATUS', 'GC'];

/** The CNI_* environment, checked as each command needs it. */
export interface CniEnv {
  command: Command;
  containerId: string;
  /** A path to the container's network namespace; may be empty on DEL. */
  netns: string;
  ifName: string;
  /** CNI_ARGS, `K=V;K=V`. */
  args: Record<string, string>;
  /** Directories holding plugins (IPAM ones among them). */
  path: string[];
}

/** Reads CNI_* as SPEC.md "Parameters" says: which are required by which command. */
export function readEnv(env: Record<string, string | undefined>): CniEnv {
  const command = env.CNI_COMMAND as Command;
  if (!COMMANDS.includes(command)) throw new CniError(CNI_ERRORS.INVALID_ENV, `unknown CNI_COMMAND: ${String(env.CNI_COMMAND ?? '')}`);
  const out: CniEnv = {
    command,
    containerId: env.CNI_CONTAINERID ?? '',
    netns: env.CNI_NETNS ?? '',
    ifName: env.CNI_IFNAME ?? '',
    args: parseArgs(env.CNI_ARGS ?? ''),
    path: (env.CNI_PATH ?? '').split(':').filter((p) => p !== ''),
  };
  const need: Array<[keyof CniEnv, string]> = [];
  if (command === 'ADD' || command === 'CHECK' || command === 'DEL') need.push(['containerId', 'CNI_CONTAINERID'], ['ifName', 'CNI_IFNAME'], ['path', 'CNI_PATH']);
  if (command === 'ADD' || command === 'CHECK') need.push(['netns', 'CNI_NETNS']);
  for (const [key, name] of need) {
    const v = out[key];
    if (v === '' || (Array.isArray(v) && v.length === 0)) throw new CniError(CNI_ERRORS.INVALID_ENV, `required env variables [${name}] missing`);
  }
  return out;
}

/** CNI_ARGS: `IgnoreUnknown=1;MAC=02:...`. */
export function parseArgs(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of s.split(';')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    if (at <= 0) throw new CniError(CNI_ERRORS.INVALID_ENV, `invalid CNI_ARGS pair "${pair}"`);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

/** The configuration keys every plugin reads (SPEC.md "Network configuration"). */
export interface NetConf {
  cniVersion: string;
  name: string;
  type: string;
  ipam?: { type?: string; [k: string]: unknown };
  dns?: Dns;
  runtimeConfig?: Record<string, unknown>;
  prevResult?: unknown;
  [k: string]: unknown;
}

/** Parses stdin as a network configuration; a DECODE_FAILURE or INVALID_CONFIG naming the problem. */
export function parseConf(text: string): NetConf {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new CniError(CNI_ERRORS.DECODE_FAILURE, `failed to load netconf: ${(e as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new CniError(CNI_ERRORS.DECODE_FAILURE, 'failed to load netconf: not a JSON object');
  const c = v as NetConf;
  for (const key of ['cniVersion', 'name', 'type'] as const) {
    if (c[key] !== undefined && typeof c[key] !== 'string') throw new CniError(CNI_ERRORS.INVALID_CONFIG, `${key} must be a string`);
  }
  if (c.ipam !== undefined && (typeof c.ipam !== 'object' || c.ipam === null)) throw new CniError(CNI_ERRORS.INVALID_CONFIG, 'ipam must be an object');
  c.cniVersion ??= '0.1.0';
  return c;
}

/** A key a plugin reads, as the reference plugins declare it: where it is, Go's name for it, its Go type. */
export type ConfField = readonly [path: readonly string[], goName: string, type: 'string' | 'int' | 'bool' | '[]string'];

/** JSON's name for a value, as Go's encoding/json gives it in a type error: a number with its value when it was for a number. */
function jsonKind(v: unknown, type: ConfField[2]): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return type === 'int' ? `number ${String(v)}` : 'number';
  return typeof v === 'string' ? 'string' : 'object';
}

/** Whether a JSON value decodes into the Go type (null decodes into any: Go leaves the field as it was). */
function fits(v: unknown, type: ConfField[2]): boolean {
  if (v === null) return true;
  if (type === 'string') return typeof v === 'string';
  if (type === 'bool') return typeof v === 'boolean';
  if (type === 'int') return Number.isSafeInteger(v);
  return Array.isArray(v) && v.every((x) => x === null || typeof x === 'string');
}

/**
 * The keys of a configuration as Go's encoding/json would decode them into the reference's
 * struct: one of another type is the reference's error, in its words (code 999): `failed to load
 * netconf: json: cannot unmarshal number into Go struct field NetConf.master of type string`.
 * A null is taken as the key left out, as Go leaves the field at its zero value.
 */
export function checkTypes(conf: NetConf, fields: readonly ConfField[]): void {
  for (const [path, goName, type] of fields) {
    let holder: Record<string, unknown> | undefined;
    let v: unknown = conf;
    // A key of something that is no object reads as absent: its own type is checked at its own path.
    for (const key of path) {
      holder = v as Record<string, unknown> | undefined;
      v = holder?.[key];
    }
    if (v === null) delete holder![path[path.length - 1]];
    if (v === undefined || fits(v, type)) continue;
    const kind = type === '[]string' && Array.isArray(v) ? jsonKind(v.find((x) => x !== null && typeof x !== 'string'), 'string') : jsonKind(v, type);
    const into = type === '[]string' && Array.isArray(v) ? 'string' : type;
    throw new CniError(CNI_ERRORS.PLUGIN, `failed to load netconf: json: cannot unmarshal ${kind} into Go struct field ${goName} of type ${into}`);
  }
}

/** The version a reply is written in: the configuration's, when this plugin speaks it. */
export function checkVersion(v: string): CniVersion {
  if (!(SUPPORTED_VERSIONS as readonly string[]).includes(v)) {
    throw new CniError(CNI_ERRORS.INCOMPATIBLE_VERSION, `incompatible CNI versions`, `config is "${v}", plugin supports ${JSON.stringify(SUPPORTED_VERSIONS)}`);
  }
  return v as CniVersion;
}

export interface Dns { nameservers?: string[]; domain?: string; search?: string[]; options?: string[] }
export interface Interface { name: string; mac?: string; mtu?: number; sandbox?: string }
export interface IpConfig { address: string; gateway?: string; interface?: number }
export interface Route { dst: string; gw?: string }

/** A result in its 1.0.0 shape, the one the plugin works with; `toVersion` writes the others. */
export interface Result {
  cniVersion: string;
  interfaces?: Interface[];
  ips?: IpConfig[];
  routes?: Route[];
  dns?: Dns;
}

/**
 * Reads a result of any version this plugin speaks (an IPAM plugin's, a prevResult) into the
 * 1.0.0 shape: 0.3.x and 0.4.0 carry `version` on each IP, which 1.0.0 dropped.
 */
export function readResult(v: unknown, what = 'result'): Result {
  if (typeof v !== 'object' || v === null) throw new CniError(CNI_ERRORS.DECODE_FAILURE, `${what} is not a JSON object`);
  const r = v as Record<string, unknown>;
  const version = typeof r.cniVersion === 'string' ? r.cniVersion : '';
  if (!(SUPPORTED_VERSIONS as readonly string[]).includes(version)) {
    throw new CniError(CNI_ERRORS.INCOMPATIBLE_VERSION, `${what} has cniVersion "${version}", which this plugin cannot read`);
  }
  const ips = (Array.isArray(r.ips) ? r.ips : []) as Array<IpConfig & { version?: string }>;
  const out: Result = { cniVersion: version };
  if (Array.isArray(r.interfaces)) out.interfaces = r.interfaces as Interface[];
  out.ips = ips.map(({ version: _v, ...ip }) => ip);
  if (Array.isArray(r.routes)) out.routes = r.routes as Route[];
  if (r.dns !== undefined) out.dns = r.dns as Dns;
  return out;
}

/**
 * A 1.0.0-shaped result written for `version`: 0.3.0 – 0.4.0 add `"version": "4"|"6"` to each
 * IP (from its address); fields the version lacks are left out, empty ones too, as libcni does.
 */
export function toVersion(r: Result, version: CniVersion): Record<string, unknown> {
  const old = version.startsWith('0.');
  const out: Record<string, unknown> = { cniVersion: version };
  if (r.interfaces?.length) out.interfaces = r.interfaces;
  if (r.ips?.length) {
    out.ips = r.ips.map((ip) => (old ? { version: ip.address.includes(':') ? '6' : '4', ...ip } : ip));
  }
  if (r.routes?.length) out.routes = r.routes;
  out.dns = r.dns ?? {};
  return out;
}

/** VERSION's answer. */
export function versionInfo(): Record<string, unknown> {
  return { cniVersion: '1.1.0', supportedVersions: SUPPORTED_VERSIONS };
}
