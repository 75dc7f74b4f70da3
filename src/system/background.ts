import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { execa } from 'execa';
import { atomicWrite } from './files.js';

// A long-running command inside a namespace (a probe, a capture, a server), stopped by
// its own pid with the signal that makes it print its summary.
export interface Background {
  readonly pid: number | undefined;
  // Resolves once the process printed its first line (servers say "ready").
  ready(): Promise<void>;
  // Resolves with the exit code when the process ends by itself (or is stopped).
  readonly exited: Promise<number>;
  stop(signal?: NodeJS.Signals): Promise<string>;
  // What the process wrote on stderr, once it has stopped.
  stderr(): string;
}

export function startInNamespace(ns: string, file: string, args: readonly string[]): Background {
  const child = execa('ip', ['netns', 'exec', ns, file, ...args], {
    reject: false,
    buffer: true,
    stdin: 'ignore',
  });
  let firstLine: Promise<void> | undefined;
  let err = '';
  return {
    pid: child.pid,
    exited: child.then((r) => r.exitCode ?? -1),
    ready() {
      firstLine ??= new Promise<void>((resolve, reject) => {
        child.stdout?.once('data', () => resolve());
        void child.then((r) =>
          reject(new Error(`${file} in ${ns} exited ${r.exitCode}: ${String(r.stderr).trim()}`)),
        );
      });
      return firstLine;
    },
    stderr: () => err,
    async stop(signal: NodeJS.Signals = 'SIGINT') {
      child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      const r = await child;
      clearTimeout(t);
      err = String(r.stderr);
      return String(r.stdout);
    },
  };
}

// Starts a detached daemon (it outlives this process) with stdout and stderr appended to
// a log file, writes its pid file, and returns the pid.
export async function startDaemon(
  argv: readonly string[],
  logFile: string,
  pidFile: string,
): Promise<number> {
  const fd = openSync(logFile, 'a');
  try {
    const [file, ...args] = argv;
    const child = spawn(file as string, args, { detached: true, stdio: ['ignore', fd, fd] });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${file}`);
    await atomicWrite(pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}
