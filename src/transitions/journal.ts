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

const EVENTS: ReadonlySet<string> = new Set(['hook', 'transition', 'replay', 'garp', 'split', 'heal']);
const OPTIONAL_STRINGS = ['from', 'to', 'source'] as const;
const OPTIONAL_NUMBERS = ['priority', 'replayMs', 'garpsSent', 'conntrackDeleted'] as const;

// True for a value with the shape of a journal line; anything else (a torn last line, a
// line by hand, a line of another version) is not trusted by its readers.
export function isJournalEntry(v: unknown): v is JournalEntry {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const e = v as Record<string, unknown>;
  if (typeof e.time !== 'string' || typeof e.router !== 'string') return false;
  if (typeof e.event !== 'string' || !EVENTS.has(e.event)) return false;
  if (OPTIONAL_STRINGS.some((k) => e[k] !== undefined && typeof e[k] !== 'string')) return false;
  if (OPTIONAL_NUMBERS.some((k) => e[k] !== undefined && typeof e[k] !== 'number')) return false;
  if (e.cancelled !== undefined && typeof e.cancelled !== 'boolean') return false;
  if (e.errors !== undefined && !(Array.isArray(e.errors) && e.errors.every((x) => typeof x === 'string')))
    return false;
  return true;
}

export interface ParsedJournal {
  readonly entries: JournalEntry[];
  // Lines that were not journal entries and were left out.
  readonly skipped: number;
}

// Parses journal text, skipping and counting lines that are not whole journal entries.
export function parseJournalCounted(text: string): ParsedJournal {
  const entries: JournalEntry[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      v = undefined;
    }
    if (isJournalEntry(v)) entries.push(v);
    else skipped++;
  }
  return { entries, skipped };
}

// Parses journal text, skipping lines that are not whole journal entries (a torn last line).
export function parseJournal(text: string): JournalEntry[] {
  return parseJournalCounted(text).entries;
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
