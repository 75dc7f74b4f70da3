import { fileURLToPath } from 'node:url';

// The built CLI entry point (dist/cli/main.js), found from src/ and dist/ alike: both
// sit two levels below the package root. Used to start agents and for the notify hook.
export const L3HA_MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
