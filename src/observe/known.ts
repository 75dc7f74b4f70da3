import { join } from 'node:path';
import type { RouterPaths } from '../config/paths.js';
import type { AgentConfig } from '../config/schema-agent.js';
import { exists, listDir } from '../system/files.js';

// Router ids that this node has state for (stateDir/routers/<id>), wanted or not.
export function knownIds(agent: Pick<AgentConfig, 'stateDir'>): string[] {
  return listDir(join(agent.stateDir, 'routers'));
}

// The files a router left on this node, for its teardown.
export function leftoverFiles(paths: RouterPaths): string[] {
  return [paths.dir, paths.pid, paths.vrrpPid].filter(exists);
}
