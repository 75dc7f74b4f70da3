import { checkRouter, type RouterEntry } from './cross-check.js';
import { deepFreeze } from './freeze.js';
import type { AgentConfig } from './schema-agent.js';
import { routerSchema } from './schema-router.js';

// The last good spec of a router, as the agent keeps it under stateDir: the router file it
// came from and the validated spec. Pure.

export function savedSpecText(entry: RouterEntry): string {
  return `${JSON.stringify({ file: entry.file, spec: entry.spec })}\n`;
}

// The saved entry of router `id`, or undefined when the text is not one: not JSON, another
// router's, a spec this version or this agent config no longer accepts. A saved spec is
// never trusted more than a router file.
export function parseSavedSpec(agent: AgentConfig, id: string, text: string): RouterEntry | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (raw === null || typeof raw !== 'object') return undefined;
  const { file, spec } = raw as { file?: unknown; spec?: unknown };
  if (typeof file !== 'string') return undefined;
  const parsed = routerSchema.safeParse(spec);
  if (!parsed.success || parsed.data.id !== id) return undefined;
  const entry: RouterEntry = { file, spec: deepFreeze(parsed.data) };
  return checkRouter(agent, entry).length === 0 ? entry : undefined;
}
