import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from './logger.js';

// One long-lived `ip -o monitor address link all-nsid` for every router namespace on the
// node: each address keepalived (or anyone) adds or removes, and each link change, in any
// namespace the root has an nsid for, arrives as one line. No polling, no process per
// router. It is restarted with a delay if it exits, and stopped by its own pid. Whenever
// events may have been missed (before it runs, when it exits, or when ip reports an error
// such as a receive buffer overrun on stderr), onLost is called.
// How long after ip starts its events are taken to flow (it subscribes at once).
export const LISTEN_GRACE_MS = 100;

export class AddressWatch {
  private child: ChildProcess | undefined;
  private stopped = false;
  private restart: NodeJS.Timeout | undefined;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly log: Logger,
    private readonly on: { readonly lost: () => void; readonly live: () => void } = {
      lost: () => {},
      live: () => {},
    },
    private readonly restartMs = 1000,
  ) {}

  start(): void {
    if (this.stopped) return;
    const child = spawn('ip', ['-o', 'monitor', 'address', 'link', 'all-nsid'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (l) => this.onLine(l));
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (l) => {
      this.log.warn({ err: l }, 'address watch reported an error; every kernel reading is re-read');
      this.on.lost();
      this.on.live();
    });
    // ip subscribes right after it starts; LISTEN_GRACE_MS covers that before readings count.
    let grace: NodeJS.Timeout | undefined;
    child.once('spawn', () => {
      grace = setTimeout(() => this.on.live(), LISTEN_GRACE_MS);
    });
    const ended = (why: Record<string, unknown>) => {
      if (grace) clearTimeout(grace);
      this.on.lost();
      if (this.stopped) return;
      this.log.warn({ ...why, retryInMs: this.restartMs }, 'address watch ended; restarting');
      this.restart = setTimeout(() => this.start(), this.restartMs);
    };
    let done = false;
    child.once('error', (err) => {
      if (done) return;
      done = true;
      ended({ err: err.message });
    });
    child.once('exit', (code) => {
      if (done) return;
      done = true;
      ended({ code });
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  stop(): void {
    this.stopped = true;
    if (this.restart) clearTimeout(this.restart);
    this.child?.kill('SIGTERM');
  }
}
