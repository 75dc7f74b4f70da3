// Ctrl-C or SIGTERM during a lab up, a drill or a bench: remove what the run started, say so in
// one line, and exit 130. The work in flight is not waited for; the cleanup runs twice, so a
// namespace or process the work started while the first pass ran is caught by the second.
export function onInterrupt(what: string, cleanup: () => Promise<void>): () => void {
  let started = false;
  const handler = (sig: NodeJS.Signals) => {
    if (started) return;
    started = true;
    process.stderr.write(`l3ha: ${sig}: removing ${what}\n`);
    const pass = () => cleanup().catch(() => undefined);
    void pass()
      .then(pass)
      .finally(() => process.exit(130));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

// Ctrl-C or SIGTERM ends a loop that runs until the operator stops it (`status --watch`):
// the signal aborts, a sleep in progress ends at once, and the command exits as it likes.
export function untilInterrupt(): {
  readonly signal: AbortSignal;
  sleep(ms: number): Promise<void>;
  release(): void;
} {
  const ac = new AbortController();
  const handler = () => ac.abort();
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: ac.signal,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        if (ac.signal.aborted) return resolve();
        const t = setTimeout(done, ms);
        function done() {
          clearTimeout(t);
          ac.signal.removeEventListener('abort', done);
          resolve();
        }
        ac.signal.addEventListener('abort', done);
      }),
    release() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
