import { appendJournal } from '../system/journal-file.js';
import { formatEntry, JOURNAL_MAX_BYTES, type JournalEntry } from '../transitions/journal.js';

// Appends one journal entry. The agent is the only writer that rotates (lesson 17).
export function writeJournal(path: string, entry: JournalEntry): void {
  appendJournal(path, formatEntry(entry), { rotateAt: JOURNAL_MAX_BYTES });
}
