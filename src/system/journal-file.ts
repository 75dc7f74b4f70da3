import { appendFileSync, readFileSync, renameSync, statSync } from 'node:fs';

// Appends one line to a journal file. A single write(2) with O_APPEND, so lines from the
// agent and from concurrent notify hooks never interleave. When the file passes maxBytes
// it is rotated to <file>.1 (one generation kept), so the journal is size-capped. Only
// one process may rotate (the agent): hooks pass Infinity, so two rotations never race.
export function appendJournal(path: string, line: string, maxBytes: number): void {
  try {
    if (statSync(path).size > maxBytes) renameSync(path, `${path}.1`);
  } catch {
    // no file yet
  }
  appendFileSync(path, line, { mode: 0o640 });
}

// The journal's text, oldest first (rotated generation, then current).
export function readJournal(path: string): string {
  let text = '';
  for (const p of [`${path}.1`, path]) {
    try {
      text += readFileSync(p, 'utf8');
    } catch {
      // missing generation
    }
  }
  return text;
}
