// The transitions journal: one JSON object per line in
// stateDir/routers/<id>/transitions.jsonl. Pure formatting and parsing.

export type JournalSource = 'hook' | 'observed' | 'resync';

export interface JournalEntry {
  readonly time: string;
  readonly event: 'hook' | 'transition' | 'replay' | 'garp' | 'split' | 'heal';
  readonly router: string;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly source?: JournalSource | undefined;
  readonly priority?: number | undefined;
  readonly replayMs?: number | undefined;
  readonly garpsSent?: number | undefined;
  readonly cancelled?: boolean | undefined;
  readonly conntrackDeleted?: number | undefined;
  readonly errors?: readonly string[] | undefined;
}

// The agent rotates a journal past this size (to transitions.jsonl.1, one generation kept).
export const JOURNAL_MAX_BYTES = 1024 * 1024;
// A hook never rotates (lesson 17); it stops appending to a journal past this size, which
// only a journal the agent has not rotated for a long time (agent down, router flapping) reaches.
export const HOOK_JOURNAL_MAX_BYTES = 2 * JOURNAL_MAX_BYTES;
// stateDir/notify-refused.log has no agent to rotate it: the hook rotates it to .1 past this
// size. Two hooks rotating at once can lose one generation of refusals, never a journal line.
export const REFUSED_LOG_MAX_BYTES = 256 * 1024;

export function formatEntry(e: JournalEntry): string {
  return `${JSON.stringify(e)}\n`;
}

// Parses journal text, skipping lines that are not whole JSON objects (a torn last line).
export function parseJournal(text: string): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const v = JSON.parse(line) as JournalEntry;
      // Only lines with the fields every reader relies on (a line without `router` crashed
      // `history`); anything else is foreign and skipped.
      const ok =
        v &&
        typeof v === 'object' &&
        typeof v.time === 'string' &&
        typeof v.router === 'string' &&
        typeof v.event === 'string' &&
        (v.errors === undefined || (Array.isArray(v.errors) && v.errors.every((e) => typeof e === 'string')));
      if (ok) out.push(v);
    } catch {
      // a torn or foreign line: skip it
    }
  }
  return out;
}

// The journal line of a finished MASTER replay.
export function replayEntry(
  router: string,
  r: { readonly ms: number; readonly conntrackDeleted: number; readonly errors: readonly string[] },
  now: number,
): JournalEntry {
  return {
    time: new Date(now).toISOString(),
    event: 'replay',
    router,
    to: 'MASTER',
    replayMs: r.ms,
    conntrackDeleted: r.conntrackDeleted,
    errors: r.errors,
  };
}
