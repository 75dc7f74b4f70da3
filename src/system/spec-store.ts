import { readFileSync } from 'node:fs';
import type { RouterEntry } from '../config/cross-check.js';
import { routerPaths } from '../config/paths.js';
import { parseSavedSpec, savedSpecText } from '../config/saved-spec.js';
import type { AgentConfig } from '../config/schema-agent.js';
import { atomicWriteSync } from './files.js';

// The last good spec of each router, kept in stateDir/routers/<id>/spec.json (root-only, as
// the rest of stateDir), so that it survives an agent restart.
export interface SpecStore {
  // The saved entries of these routers; a missing or unusable file is no entry.
  load(ids: readonly string[]): RouterEntry[];
  save(entry: RouterEntry): void;
}

export function specStore(agent: AgentConfig): SpecStore {
  return {
    load: (ids) =>
      ids.flatMap((id) => {
        let text: string;
        try {
          text = readFileSync(routerPaths(agent, id).spec, 'utf8');
        } catch {
          return [];
        }
        return parseSavedSpec(agent, id, text) ?? [];
      }),
    save: (entry) => atomicWriteSync(routerPaths(agent, entry.spec.id).spec, savedSpecText(entry), 0o600),
  };
}
