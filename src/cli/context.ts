import type { RouterEntry } from '../config/cross-check.js';
import { isSupported, listRouterFiles, loadAgentConfig, loadRouterSet } from '../config/load.js';
import { unsafePathErrors } from '../config/safe-path.js';
import type { AgentConfig } from '../config/schema-agent.js';
import { type L3haError, L3haErrors } from '../errors.js';
import { L3HA_MAIN } from '../system/self.js';

// What most commands start from: the validated agent config and router set.

export interface Loaded {
  readonly agentFile: string;
  readonly agent: AgentConfig;
  readonly routers: readonly RouterEntry[];
  readonly unsupported: readonly RouterEntry[];
  readonly errors: readonly L3haError[];
}

// The agent config's errors are thrown. So are the routers directory's, unless `dirErrors`
// is 'collect': then they are returned with the router files' errors (as the agent, which
// runs on with a directory it cannot trust and keeps its last good state, sees them).
export function loadAll(agentFile: string, o: { dirErrors?: 'throw' | 'collect' } = {}): Loaded {
  const agent = loadAgentConfig(agentFile);
  let files: string[] = [];
  const dirErrors: L3haError[] = [];
  try {
    files = listRouterFiles(agent.routersDir);
  } catch (err) {
    if (o.dirErrors !== 'collect' || !(err instanceof L3haErrors)) throw err;
    dirErrors.push(...err.errors);
  }
  const set = loadRouterSet(agent, files);
  return {
    agentFile,
    agent,
    routers: set.accepted.filter((r) => isSupported(agent, r.spec.id)),
    unsupported: set.accepted.filter((r) => !isSupported(agent, r.spec.id)),
    errors: [...dirErrors, ...set.errors],
  };
}

// The argv keepalived's notify hook runs: this node and this l3ha, unless configured.
// Configured paths were checked by the loader; the defaults are checked here, because an
// install path with a space would break the notify line of every keepalived.conf.
export function notifyCommand(agentFile: string, agent: AgentConfig): readonly string[] {
  if (agent.notifyCommand) return agent.notifyCommand;
  const argv = [process.execPath, L3HA_MAIN];
  const errors = unsafePathErrors(
    agentFile,
    argv.map((p, i) => [`notifyCommand[${i}] (default: this node and this l3ha)`, p] as const),
  );
  if (errors.length > 0) throw new L3haErrors(errors);
  return argv;
}
