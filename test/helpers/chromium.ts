import { execa } from 'execa';

// Headless Chromium (Debian's `chromium`, from deploy/install-deps.sh) on a local file,
// with a profile directory of its own so runs beside each other do not share a lock.

const BASE = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run'];

export async function chromium(profileDir: string, args: readonly string[]) {
  const r = await execa('chromium', [...BASE, `--user-data-dir=${profileDir}`, ...args], {
    reject: false,
    timeout: 60_000,
  });
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

// Lines of Chromium's log that report a page error: an uncaught exception or a console
// message (with --enable-logging=stderr every console call is logged as
// `INFO:CONSOLE:LINE] "message", source: URL`).
export const pageErrors = (log: string): string[] =>
  log.split('\n').filter((l) => /Uncaught|:CONSOLE[:(]/.test(l));
