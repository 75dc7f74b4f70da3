import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
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
  // How it ended, once it has: "exit N" or the signal's name.
  ended?(): string | undefined;
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

// The same, with stdout written straight to the file `output` and stderr to `output.err`
// (the child holds the file descriptors, no pipe): a probe writing 10,000 lines a second
// fills a pipe in a tenth of a second and then blocks, so it stops probing whenever its
// reader is starved of CPU. A file never blocks it. ready() resolves once it has started.
export function startToFile(ns: string, file: string, args: readonly string[], output: string): Background {
  const fds = [openSync(output, 'w', 0o600), openSync(`${output}.err`, 'w', 0o600)];
  const child = spawn('ip', ['netns', 'exec', ns, file, ...args], { stdio: ['ignore', fds[0], fds[1]] });
  for (const fd of fds) closeSync(fd);
  let how: string | undefined;
  const exited = new Promise<number>((resolve) => {
    child.once('error', () => resolve(-1));
    child.once('exit', (code, sig) => {
      how = sig ?? `exit ${code}`;
      resolve(code ?? -1);
    });
  });
  let err = '';
  return {
    pid: child.pid,
    exited,
    ended: () => how,
    ready: () =>
      child.pid === undefined ? Promise.reject(new Error(`${file} did not start`)) : Promise.resolve(),
    stderr: () => err,
    async stop(signal: NodeJS.Signals = 'SIGINT') {
      child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
      err = readFileSync(`${output}.err`, 'utf8');
      return readFileSync(output, 'utf8');
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
