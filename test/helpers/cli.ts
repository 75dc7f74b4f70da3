import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

// Runs the built CLI (dist/, built by `npm test`'s pretest) as an operator would.
export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export async function l3ha(
  args: readonly string[],
  options: { input?: string; env?: Record<string, string> } = {},
) {
  const r = await execa(process.execPath, [CLI, ...args], {
    reject: false,
    timeout: 120_000,
    ...(options.input !== undefined ? { input: options.input } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}
