import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import { L3haError } from '../errors.js';

// Opening files that someone other than l3ha could have put in place. Nothing here follows a
// symlink it was told not to, or blocks on a fifo: every open is O_NONBLOCK and the fd is
// fstat-ed before a byte is read or written.

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = constants;

export function kindOf(st: Stats): string {
  if (st.isFile()) return 'regular file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symbolic link';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'character device';
  return st.isBlockDevice() ? 'block device' : 'special file';
}

// `uid 1000, mode 0664`: what an insecure-file error reports.
export const ownerAndMode = (st: Stats): string =>
  `uid ${st.uid}, mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')}`;

// True when only root can change the file or directory: owned by uid 0, not group/other writable.
export const rootOnlyWritable = (st: Stats): boolean => st.uid === 0 && (st.mode & 0o022) === 0;

export function insecureError(file: string, st: Stats, what: string): L3haError {
  return new L3haError(
    'L3HA_INSECURE_FILE',
    `${what} must be owned by root and not writable by group or others`,
    { file, value: ownerAndMode(st) },
  );
}

export const notRegular = (file: string, kind: string): L3haError =>
  new L3haError('L3HA_NOT_REGULAR_FILE', `not a regular file: a ${kind} is refused, not followed or read`, {
    file,
  });

const unreadable = (file: string, err: unknown): L3haError =>
  new L3haError('L3HA_FILE_UNREADABLE', `cannot read: ${(err as Error).message}`, { file });

const tooLarge = (file: string, maxBytes: number, got: string): L3haError =>
  new L3haError('L3HA_FILE_TOO_LARGE', `file is larger than ${maxBytes} bytes`, { file, value: got });

export interface ReadOptions {
  readonly maxBytes: number;
  // Refuse a symlink (O_NOFOLLOW) rather than read its target.
  readonly noFollow: boolean;
  // Refuse a file anyone but root can write.
  readonly rootOwned: boolean;
  readonly what?: string;
}

// Reads a config file's text: O_RDONLY|O_NONBLOCK (|O_NOFOLLOW), then fstat on the fd, so a
// fifo never hangs, a device is never read, and the size cap holds even for a growing file.
export function readFileSafely(file: string, o: ReadOptions): string {
  if (o.noFollow) {
    let pre: Stats;
    try {
      pre = lstatSync(file);
    } catch (err) {
      throw unreadable(file, err);
    }
    // Not even opened: opening some devices has effects of its own.
    if (!pre.isFile()) throw notRegular(file, kindOf(pre));
  }
  let fd: number;
  try {
    fd = openSync(file, O_RDONLY | O_NONBLOCK | (o.noFollow ? O_NOFOLLOW : 0));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw notRegular(file, 'symbolic link');
    throw unreadable(file, err);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw notRegular(file, kindOf(st));
    if (o.rootOwned && !rootOnlyWritable(st)) throw insecureError(file, st, o.what ?? 'the file');
    if (st.size > o.maxBytes) throw tooLarge(file, o.maxBytes, `${st.size} bytes`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(64 * 1024, o.maxBytes + 1 - total));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > o.maxBytes) throw tooLarge(file, o.maxBytes, `more than ${o.maxBytes} bytes`);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (err) {
    if (err instanceof L3haError) throw err;
    throw unreadable(file, err);
  } finally {
    closeSync(fd);
  }
}
