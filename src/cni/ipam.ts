// IPAM delegation, as SPEC.md "Delegated plugins" says: the plugin named by `ipam.type` is found
// in CNI_PATH and executed with the same environment (CNI_COMMAND as given) and the same network
// configuration on stdin. The only command the project runs, because the specification says so.
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { CNI_ERRORS, CniError, readResult, type CniEnv, type Result } from './spec.js';

/** The executable of plugin `type` in CNI_PATH; an error naming the path when there is none. */
export function findPlugin(type: string, path: string[]): string {
  if (!/^[A-Za-z0-9._-]+$/.test(type)) throw new CniError(CNI_ERRORS.INVALID_CONFIG, `invalid plugin name "${type}"`);
  for (const dir of path) {
    const file = join(dir, type);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch { /* not here */ }
  }
  throw new CniError(CNI_ERRORS.PLUGIN, `failed to find plugin "${type}" in path [${path.join(' ')}]`);
}

/** Whether the IPAM plugin speaks `version` (its VERSION answer): STATUS and GC are CNI 1.1's. */
export function ipamSpeaks(type: string, version: string, env: CniEnv): boolean {
  try {
    const out = execFileSync(findPlugin(type, env.path), [], { input: '{}', encoding: 'utf8', env: { ...process.env, CNI_COMMAND: 'VERSION' } });
    return ((JSON.parse(out) as { supportedVersions?: string[] }).supportedVersions ?? []).includes(version);
  } catch {
    return false;
  }
}

/**
 * Runs the IPAM plugin for `command` with `conf` (the configuration as received) on stdin; the
 * result it prints, read into the 1.0.0 shape (ADD), or nothing (DEL, CHECK, GC, STATUS). Its error
 * JSON becomes a CniError with its code.
 */
export function execIpam(type: string, command: CniEnv['command'], conf: string, env: CniEnv): Result | undefined {
  const file = findPlugin(type, env.path);
  let stdout: string;
  try {
    stdout = execFileSync(file, [], {
      input: conf, encoding: 'utf8', stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, CNI_COMMAND: command },
    });
  } catch (e) {
    const out = String((e as { stdout?: string }).stdout ?? '');
    let err: { code?: number; msg?: string; details?: string } = {};
    try {
      err = JSON.parse(out) as typeof err;
    } catch { /* not JSON: said below */ }
    throw new CniError(err.code ?? CNI_ERRORS.PLUGIN, err.msg ?? `IPAM plugin "${type}" failed: ${(e as Error).message}`, err.details);
  }
  if (command !== 'ADD') return undefined;
  try {
    return readResult(JSON.parse(stdout), `IPAM plugin "${type}"'s result`);
  } catch (e) {
    // 999, as the reference: 6 (DECODE_FAILURE) and 1 (INCOMPATIBLE_VERSION) are for what this
    // plugin was given, not for what it ran.
    const why = e instanceof CniError ? e.message : `IPAM plugin "${type}" printed no JSON result: ${(e as Error).message}`;
    throw new CniError(CNI_ERRORS.PLUGIN, why);
  }
}
