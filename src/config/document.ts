import { parseDocument, type YAMLError } from 'yaml';
import { L3haError } from '../errors.js';

// Turns the text of one config file into a plain value, or a coded error naming the file.
// Every way a document can be bad is an input error (exit 2): a syntax error, a duplicate
// key, an alias bomb, nesting deep enough to exhaust the stack (lesson 36).

export const MAX_FILE_BYTES = 1024 * 1024;
// No config nests deeper than a handful of levels; 64 leaves room and bounds every walk.
export const MAX_DEPTH = 64;
export const MAX_ALIASES = 100;
// Bracket nesting the text scan refuses before parsing; far above MAX_DEPTH, so that a
// bracket inside a plain scalar never refuses a sane file (the parsed value is checked too).
const MAX_FLOW_SCAN = 1000;

// Parses YAML (or JSON, for .json files). Rejects empty, oversized and ill-formed documents.
export function parseConfigText(file: string, text: string): unknown {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_FILE_BYTES) {
    throw new L3haError('L3HA_FILE_TOO_LARGE', `file is larger than ${MAX_FILE_BYTES} bytes`, {
      file,
      value: `${bytes} bytes`,
    });
  }
  if (text.trim() === '') throw new L3haError('L3HA_FILE_EMPTY', 'file is empty', { file });
  // The yaml parser takes seconds to run out of stack on 200,000 brackets; refuse them first.
  if (flowDepth(text) > MAX_FLOW_SCAN) throw tooComplex(file, 'nests too deep to parse');
  const json = file.endsWith('.json');
  // JSON.parse keeps the last of two equal keys; the YAML parser (JSON is YAML) finds them.
  if (json) parseJson(file, text);
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const first = doc.errors[0];
  if (first) throw yamlError(file, text, first, json ? 'JSON' : 'YAML');
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    if (err instanceof RangeError) throw tooComplex(file, 'nests too deep to parse', err);
    if (err instanceof ReferenceError)
      throw tooComplex(file, `expands more than ${MAX_ALIASES} aliases`, err);
    throw err;
  }
  if (value === null || value === undefined)
    throw new L3haError('L3HA_FILE_EMPTY', 'file holds no document', { file });
  if (depthOf(value) > MAX_DEPTH) throw tooComplex(file, `nests deeper than ${MAX_DEPTH} levels`);
  return value;
}

function parseJson(file: string, text: string): void {
  try {
    JSON.parse(text);
  } catch (err) {
    if (err instanceof RangeError) throw tooComplex(file, 'nests too deep to parse', err);
    // V8 quotes the start of the text ("root:x:0:0"...): keep the message, drop the quote.
    const message = (err as Error).message.replace(/"(?:[^"\\]|\\.)*"(?:\.\.\.)?/g, '"..."');
    throw new L3haError('L3HA_SYNTAX', `JSON syntax error: ${message}`, { file });
  }
}

function yamlError(file: string, text: string, e: YAMLError, kind: string): L3haError {
  if (e.code === 'RESOURCE_EXHAUSTION' || /call stack/i.test(e.message))
    return tooComplex(file, 'nests too deep to parse', e);
  const at = e.pos[0];
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const col = at - before.lastIndexOf('\n');
  const where = `at line ${line}, column ${col}`;
  if (e.code === 'DUPLICATE_KEY') {
    const key = keyAt(text, at);
    return new L3haError('L3HA_SYNTAX', `duplicate key ${where}; keys must be unique`, {
      file,
      field: key,
      value: key,
    });
  }
  return new L3haError('L3HA_SYNTAX', `${kind} syntax error ${where}: ${firstLine(e.message)}`, { file });
}

// The key written at an offset: a quoted string or a plain scalar up to the colon.
function keyAt(text: string, at: number): string {
  const rest = text.slice(at, at + 200);
  const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(rest) ?? /^'((?:[^']|'')*)'/.exec(rest);
  if (quoted) return quoted[1] as string;
  return (/^[^:,{}[\]\n]*/.exec(rest)?.[0] ?? '').trim();
}

function tooComplex(file: string, what: string, cause?: unknown): L3haError {
  return new L3haError('L3HA_DOCUMENT_TOO_COMPLEX', `document ${what}`, {
    file,
    field: '(document)',
    value: what,
    cause,
  });
}

// How deeply a parsed value nests, walked without recursion; stops counting past the limit.
function depthOf(root: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    max = Math.max(max, d);
    if (max > MAX_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

// The deepest nesting of [ and { in the text, outside quoted strings and comments.
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (c === '"' && text[i] === '\\') i++;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] as string))) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '[' || c === '{') {
      depth++;
      if (depth > max) max = depth;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return max;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
