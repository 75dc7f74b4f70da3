import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The built CLI entry point (dist/cli/main.js), found from src/ and dist/ alike: both
// sit two levels below the package root. Used to start agents and for the notify hook.
export const L3HA_MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

// V8 flags for the long-running agent. V8 grows its heap lazily and the agent's churn
// (renders, command output) is short-lived: without a cap the heap swells to 3-4x what is
// live before a full GC. The cap keeps RSS near the live set; the bench measures it.
export const AGENT_NODE_FLAGS = ['--max-old-space-size=96'];

// The version in the package.json beside dist/ (and src/): what `l3ha --version` prints.
export function l3haVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}
