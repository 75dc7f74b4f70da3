import { watch } from 'chokidar';

// Watches a directory and calls onChange once per burst of events (debounced).
// Watchers only say "look again"; the reconcile loop decides what changed.
export function watchDir(dir: string, debounceMs: number, onChange: () => void): { close(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      onChange();
    }, debounceMs);
  };
  const w = watch(dir, {
    ignoreInitial: true,
    depth: 0,
    awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 25 },
  });
  w.on('all', fire);
  return {
    async close() {
      if (timer) clearTimeout(timer);
      await w.close();
    },
  };
}
