import { execa } from 'execa';
import { L3haError } from '../errors.js';

// The one way l3ha runs a command: argv only, never a shell.

export interface RunOptions {
  readonly input?: string;
  readonly timeoutMs?: number;
  // When true (the default) a non-zero exit throws L3HA_COMMAND_FAILED.
  readonly check?: boolean;
}

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export interface CommandRunner {
  run(file: string, args: readonly string[], options?: RunOptions): Promise<CommandResult>;
  // Hands each stdout line to onLine as it arrives and keeps none of them, for output of
  // any size (a conntrack table). Runners without it are used through run().
  lines?(
    file: string,
    args: readonly string[],
    onLine: (line: string) => void,
    options?: Pick<RunOptions, 'timeoutMs'>,
  ): Promise<{ readonly exitCode: number; readonly stderr: string }>;
}

// Runs commands with execa. shell is always false; argv elements are passed verbatim.
export class ExecaRunner implements CommandRunner {
  async run(file: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const result = await execa(file, args, {
      reject: false,
      shell: false,
      timeout: options.timeoutMs ?? 30_000,
      killSignal: 'SIGKILL',
      stripFinalNewline: false,
      ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
    });
    const out: CommandResult = {
      stdout: String(result.stdout ?? ''),
      stderr: String(result.stderr ?? ''),
      exitCode: result.exitCode ?? (result.timedOut ? 124 : 1),
    };
    if ((options.check ?? true) && out.exitCode !== 0) {
      throw new L3haError(
        'L3HA_COMMAND_FAILED',
        `${[file, ...args].join(' ')} exited ${out.exitCode}${result.timedOut ? ' (timed out)' : ''}: ${out.stderr.trim()}`,
      );
    }
    return out;
  }

  async lines(
    file: string,
    args: readonly string[],
    onLine: (line: string) => void,
    options: Pick<RunOptions, 'timeoutMs'> = {},
  ): Promise<{ exitCode: number; stderr: string }> {
    const child = execa(file, args, {
      reject: false,
      shell: false,
      timeout: options.timeoutMs ?? 30_000,
      killSignal: 'SIGKILL',
      stdin: 'ignore',
      buffer: { stdout: false, stderr: true },
      maxBuffer: { stderr: 64 * 1024 },
    });
    for await (const line of child.iterable({ from: 'stdout' })) onLine(String(line));
    const r = await child;
    return { exitCode: r.exitCode ?? (r.timedOut ? 124 : 1), stderr: String(r.stderr ?? '') };
  }
}

// Runs a command inside a network namespace (`ip netns exec`), or here when ns is ''.
export function inNamespace(
  runner: CommandRunner,
  ns: string,
  file: string,
  args: readonly string[],
  options?: RunOptions,
): Promise<CommandResult> {
  if (ns === '') return runner.run(file, args, options);
  return runner.run('ip', ['netns', 'exec', ns, file, ...args], options);
}
