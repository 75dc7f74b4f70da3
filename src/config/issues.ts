import type { z } from 'zod';
import { CATALOGUE, type ErrorCode, L3haError } from '../errors.js';

// Maps zod issues to catalogue errors that name the file, the field path and the bad value.

// The longest key a field path shows: keys are file content, so a message shows no more of
// them than this, and anything but a plain name JSON-escaped in brackets (["a b"]). A file
// that is not YAML at all (a line of /etc/shadow) is then never echoed as a "field name".
export const MAX_KEY_CHARS = 64;
const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

function showKey(key: string): string {
  const cut = key.length > MAX_KEY_CHARS ? `${key.slice(0, MAX_KEY_CHARS)}...` : key;
  return PLAIN_KEY.test(cut) ? cut : `[${JSON.stringify(cut)}]`;
}

// Formats a zod path as operators write it: gateway.addresses[0].
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const key = showKey(String(part));
      out += out === '' || key.startsWith('[') ? key : `.${key}`;
    }
  }
  return out || '(document)';
}

// The document itself as a bad value: its type only, never its text.
const docValue = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[part];
  }
  return cur;
}

function codeOf(issue: z.core.$ZodIssue, value: unknown): ErrorCode {
  if (issue.code === 'custom') {
    const code = (issue.params as { code?: string } | undefined)?.code;
    if (code && code in CATALOGUE) return code as ErrorCode;
  }
  if (issue.code === 'invalid_type' && value === undefined) return 'L3HA_MISSING_FIELD';
  return 'L3HA_INVALID_VALUE';
}

// One L3haError per problem; unknown keys give one error each.
export function issuesToErrors(
  file: string,
  input: unknown,
  issues: readonly z.core.$ZodIssue[],
): L3haError[] {
  const out: L3haError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        // No value: an unknown key's value is whatever the file holds, and the key says enough.
        out.push(new L3haError('L3HA_UNKNOWN_KEY', 'unknown key', { file, field: fieldPath(path) }));
      }
      continue;
    }
    const value = issue.path.length === 0 ? docValue(input) : valueAt(input, issue.path);
    if (issue.code === 'too_big' && issue.origin === 'array' && Array.isArray(value)) {
      // A documented cap (4,096 floating IPs, 256 routes, 32 ports, 16 addresses): the count
      // and the cap, never the list itself.
      const cap = `at most ${String(issue.maximum)} entries`;
      out.push(
        new L3haError('L3HA_TOO_MANY', cap, { file, field: fieldPath(issue.path), value: value.length }),
      );
      continue;
    }
    const code = codeOf(issue, value);
    const message = code === 'L3HA_MISSING_FIELD' ? 'required field is missing' : issue.message;
    const where =
      code === 'L3HA_MISSING_FIELD'
        ? { file, field: fieldPath(issue.path) }
        : { file, field: fieldPath(issue.path), value };
    out.push(new L3haError(code, message, where));
  }
  return out;
}

// Appends coded errors about one file to a list.
export function reporter(file: string, into: L3haError[]) {
  return (code: ErrorCode, msg: string, field: string, value: unknown): void => {
    into.push(new L3haError(code, msg, { file, field, value }));
  };
}
