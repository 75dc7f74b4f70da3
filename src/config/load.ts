import { lstatSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { L3haError, L3haErrors } from '../errors.js';
import { insecureError, kindOf, readFileSafely, rootOnlyWritable } from '../system/safe-file.js';
import { checkAgent } from './check-agent.js';
import { checkAcross, type RouterEntry } from './cross-check.js';
import { MAX_FILE_BYTES, parseConfigText } from './document.js';
import { deepFreeze } from './freeze.js';
import { issuesToErrors } from './issues.js';
import { unsafePathErrors } from './safe-path.js';
import { type AgentConfig, agentSchema } from './schema-agent.js';
import { routerSchema } from './schema-router.js';

// Loads and validates config files. Reads only; never writes.

export const ROUTER_FILE = /\.(ya?ml|json)$/;

// Reads a config file's text without following a fifo into a hang or a device into a read
// (src/system/safe-file.ts). The agent config may be a symlink (config management often links
// it); a router file may not, and it and its directory must be writable by root alone.
export function readConfigFile(file: string): string {
  return readFileSafely(file, { maxBytes: MAX_FILE_BYTES, noFollow: false, rootOwned: false });
}

export function readRouterFileText(file: string): string {
  return readFileSafely(file, {
    maxBytes: MAX_FILE_BYTES,
    noFollow: true,
    rootOwned: true,
    what: 'a router file',
  });
}

// Validates an agent config value; throws L3haErrors listing every problem.
export function parseAgent(file: string, raw: unknown): AgentConfig {
  const result = agentSchema.safeParse(raw);
  if (!result.success) throw new L3haErrors(issuesToErrors(file, raw, result.error.issues));
  const errors = checkAgent(file, result.data);
  if (errors.length > 0) throw new L3haErrors(errors);
  const base = dirname(resolve(file));
  const data = result.data;
  data.routersDir = resolve(base, data.routersDir);
  data.stateDir = resolve(base, data.stateDir);
  data.runDir = resolve(base, data.runDir);
  const unsafe = unsafePathErrors(file, [
    ['routersDir', data.routersDir],
    ['stateDir', data.stateDir],
    ['runDir', data.runDir],
    ['keepalivedBinary', data.keepalivedBinary],
    ...(data.notifyCommand ?? []).map((p, i) => [`notifyCommand[${i}]`, p] as const),
  ]);
  if (unsafe.length > 0) throw new L3haErrors(unsafe);
  return deepFreeze(data);
}

// Loads, validates and freezes the agent config file.
export function loadAgentConfig(file: string): AgentConfig {
  try {
    return parseAgent(file, parseConfigText(file, readConfigFile(file)));
  } catch (err) {
    if (err instanceof L3haError) throw new L3haErrors([err]);
    throw err;
  }
}

// Parses one router file into an entry, or the errors that reject it.
export function parseRouterText(file: string, text: string): RouterEntry | L3haError[] {
  let raw: unknown;
  try {
    raw = parseConfigText(file, text);
  } catch (err) {
    if (err instanceof L3haError) return [err];
    throw err;
  }
  const result = routerSchema.safeParse(raw);
  if (!result.success) return issuesToErrors(file, raw, result.error.issues);
  return { file, spec: deepFreeze(result.data) };
}

export function loadRouterFile(file: string): RouterEntry | L3haError[] {
  try {
    return parseRouterText(file, readRouterFileText(file));
  } catch (err) {
    if (err instanceof L3haError) return [err];
    throw err;
  }
}

// The router files of a directory, sorted by name. The directory must be writable by root
// alone (it is stat-ed through a symlink), or nobody else can swap a file in after the checks.
export function listRouterFiles(dir: string): string[] {
  let names: string[];
  try {
    const st = statSync(dir);
    if (!st.isDirectory()) throw new Error(`not a directory (a ${kindOf(st)})`);
    if (!rootOnlyWritable(st)) throw insecureError(dir, st, 'the routers directory');
    names = readdirSync(dir);
  } catch (err) {
    if (err instanceof L3haError) throw new L3haErrors([err]);
    throw new L3haErrors([
      new L3haError('L3HA_FILE_UNREADABLE', `cannot list routers directory: ${(err as Error).message}`, {
        file: dir,
      }),
    ]);
  }
  return names
    .filter((n) => ROUTER_FILE.test(n) && !n.startsWith('.'))
    .sort()
    .map((n) => join(dir, n));
}

export interface RouterSet {
  readonly accepted: readonly RouterEntry[];
  readonly errors: readonly L3haError[];
}

// Parsed router files by path, each with the stat identity it was parsed at: a file whose
// inode, size and times are unchanged is not read or parsed again.
export type ParseCache = Map<string, { readonly key: string; readonly result: RouterEntry | L3haError[] }>;

// lstat: a symlink put in place of a file is a new identity, whatever it points at.
function statKey(file: string): string | undefined {
  try {
    const st = lstatSync(file, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return undefined;
  }
}

function loadCached(file: string, cache: ParseCache | undefined): RouterEntry | L3haError[] {
  const key = cache ? statKey(file) : undefined;
  const hit = key === undefined ? undefined : cache?.get(file);
  if (hit && hit.key === key) return hit.result;
  const result = loadRouterFile(file);
  if (cache && key !== undefined) cache.set(file, { key, result });
  return result;
}

export interface RouterSetOptions {
  // Files whose routers win conflicts (the agent's running routers).
  readonly first?: ReadonlySet<string>;
  // Then routers with these ids (the routers this node has state for after a restart).
  readonly firstIds?: ReadonlySet<string>;
  readonly cache?: ParseCache;
  // The last good entry of a file that no longer validates: checked across in its place, so
  // a new file cannot take the VRID, slot or addresses of a router kept at its last good spec.
  readonly lastGood?: ReadonlyMap<string, RouterEntry>;
}

// Validates a set of router files, each alone and then across each other.
export function loadRouterSet(
  agent: AgentConfig,
  files: readonly string[],
  o: RouterSetOptions = {},
): RouterSet {
  const first = o.first ?? new Set<string>();
  const firstIds = o.firstIds ?? new Set<string>();
  const ordered = [...files.filter((f) => first.has(f)), ...files.filter((f) => !first.has(f))];
  const entries: RouterEntry[] = [];
  const errors: L3haError[] = [];
  for (const file of ordered) {
    const r = loadCached(file, o.cache);
    if (!Array.isArray(r)) {
      entries.push(r);
      continue;
    }
    errors.push(...r);
    const kept = o.lastGood?.get(file);
    if (kept) entries.push(kept);
  }
  const present = new Set(files);
  if (o.cache) for (const f of [...o.cache.keys()]) if (!present.has(f)) o.cache.delete(f);
  const rank = (e: RouterEntry) => (first.has(e.file) ? 0 : firstIds.has(e.spec.id) ? 1 : 2);
  const across = checkAcross(
    agent,
    entries
      .map((e, i) => ({ e, i }))
      .sort((x, y) => rank(x.e) - rank(y.e) || x.i - y.i)
      .map((x) => x.e),
  );
  return { accepted: across.accepted, errors: [...errors, ...across.errors] };
}

// Glob match for supportedRouters: * and ? over router ids.
export function globMatch(glob: string, id: string): boolean {
  const re = new RegExp(`^${glob.replace(/[-]/g, '\\-').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(id);
}

export function isSupported(agent: AgentConfig, id: string): boolean {
  return agent.supportedRouters.some((g) => globMatch(g, id));
}
