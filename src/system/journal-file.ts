import { closeSync, constants, fstatSync, openSync, renameSync, writeSync } from 'node:fs';
import { kindOf, notRegular, readFileSafely } from './safe-file.js';

// Journal-like files: appended to by the agent and by keepalived's notify hooks.
//
// Every open is O_WRONLY|O_APPEND|O_CREAT|O_NOFOLLOW|O_NONBLOCK, then fstat on the fd: a
// symlink in place is refused, not followed (its target is never written), and a fifo
// neither blocks the open (ENXIO without a reader) nor receives the line (refused after
// fstat), so a hook always returns promptly and keepalived is never delayed.
//
// Each line is one write(2) on an O_APPEND fd, so lines from the agent and from concurrent
// hooks never interleave (lesson 17). Two size limits:
// - rotateAt: past it the file is renamed to <file>.1 (one generation kept) before the
//   append. Only one process may rotate a given file: for the transitions journal that is
//   the agent, so two rotations never race.
// - stopAt: the line is not written when the file would pass it (the hook's hard cap on a
//   journal the agent is not there to rotate).

const FLAGS =
  constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;

export type AppendLimit = { readonly rotateAt: number } | { readonly stopAt: number };
export type AppendResult = 'written' | 'full';

function openForAppend(path: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, FLAGS, 0o640);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw notRegular(path, 'symbolic link');
    if (code === 'ENXIO') throw notRegular(path, 'fifo'); // a fifo with no reader
    throw err;
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    throw notRegular(path, kindOf(st));
  }
  return { fd, size: st.size };
}

// Appends one line; throws L3HA_NOT_REGULAR_FILE for a symlink, fifo or other non-file in place.
export function appendJournal(path: string, line: string, limit: AppendLimit): AppendResult {
  let f = openForAppend(path);
  try {
    if ('rotateAt' in limit && f.size > limit.rotateAt) {
      renameSync(path, `${path}.1`);
      closeSync(f.fd);
      f = { fd: -1, size: 0 };
      f = openForAppend(path);
    }
    if ('stopAt' in limit && f.size + Buffer.byteLength(line) > limit.stopAt) return 'full';
    writeSync(f.fd, line);
    return 'written';
  } finally {
    if (f.fd >= 0) closeSync(f.fd);
  }
}

// The most a journal generation is read: a hook may grow one past the agent's rotation.
export const JOURNAL_READ_MAX_BYTES = 8 * 1024 * 1024;

// The journal's text, oldest first (rotated generation, then current). A generation that
// is missing, not a regular file (never followed, never waited on) or too large is skipped.
export function readJournal(path: string): string {
  let text = '';
  for (const p of [`${path}.1`, path]) {
    try {
      text += readFileSafely(p, { maxBytes: JOURNAL_READ_MAX_BYTES, noFollow: true, rootOwned: false });
    } catch {
      // missing or refused generation
    }
  }
  return text;
}
