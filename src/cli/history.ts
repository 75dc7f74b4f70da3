import { routerPaths } from '../config/paths.js';
import { L3haError } from '../errors.js';
import { readJournal } from '../system/journal-file.js';
import { type JournalEntry, parseJournalCounted } from '../transitions/journal.js';
import { loadAll } from './context.js';

// `l3ha history [ROUTER]`: the transitions journal, oldest first.
export function runHistory(opts: { config: string; router?: string; json?: boolean }): number {
  const loaded = loadAll(opts.config);
  const ids = loaded.routers.map((r) => r.spec.id);
  if (opts.router && !ids.includes(opts.router)) {
    throw new L3haError('L3HA_ROUTER_NOT_FOUND', 'no such router served by this node', {
      field: 'router',
      value: opts.router,
    });
  }
  const entries: JournalEntry[] = [];
  let skipped = 0;
  for (const id of opts.router ? [opts.router] : ids) {
    const parsed = parseJournalCounted(readJournal(routerPaths(loaded.agent, id).journal));
    entries.push(...parsed.entries);
    skipped += parsed.skipped;
  }
  entries.sort((a, b) => a.time.localeCompare(b.time));
  // A torn or foreign line is left out, not fatal; say how many, on stderr so --json stays JSON.
  if (skipped > 0) process.stderr.write(`note: skipped ${skipped} malformed journal line(s)\n`);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    return 0;
  }
  for (const e of entries) {
    const parts = [e.time, e.router.padEnd(11), e.event.padEnd(10)];
    if (e.event === 'transition')
      parts.push(`${e.from ?? '?'} -> ${e.to} (${e.source}) replay ${e.replayMs ?? '-'} ms`);
    else if (e.event === 'hook') parts.push(`${e.to} prio ${e.priority}`);
    else if (e.event === 'garp') parts.push(`${e.garpsSent} sent${e.cancelled ? ', cancelled' : ''}`);
    else parts.push(e.to ?? '');
    if (e.errors?.length) parts.push(`errors: ${e.errors.join('; ')}`);
    process.stdout.write(`${parts.join('  ')}\n`);
  }
  return 0;
}
