import { L3haError } from '../errors.js';

// Paths that reach keepalived.conf or the notify command line. keepalived splits that line
// on whitespace and treats quotes and backslashes itself, so such a path would run a
// different command. Checked after relative paths are resolved: the config file's own
// directory can bring a space the field never had.

// Quotes, backslashes, any whitespace (newlines too) and control characters.
const UNSAFE = /["'`\\\s\p{Cc}]/u;

export function isSafePath(path: string): boolean {
  return !UNSAFE.test(path);
}

// One error per unsafe path; the value is printed JSON-escaped, so a newline shows as \n.
export function unsafePathErrors(file: string, paths: readonly (readonly [string, string])[]): L3haError[] {
  return paths
    .filter(([, path]) => !isSafePath(path))
    .map(
      ([field, path]) =>
        new L3haError(
          'L3HA_UNSAFE_PATH',
          'resolved path holds a quote, whitespace, backslash or control character',
          { file, field, value: path },
        ),
    );
}
