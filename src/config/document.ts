import { parseDocument } from 'yaml';
import { L3haError } from '../errors.js';

// Turns the text of one config file into a plain value, or a coded error naming the file.

export const MAX_FILE_BYTES = 1024 * 1024;

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
  if (file.endsWith('.json')) return parseJson(file, text);
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const [line, col] = first.linePos?.[0] ? [first.linePos[0].line, first.linePos[0].col] : [0, 0];
    throw new L3haError(
      'L3HA_SYNTAX',
      `YAML syntax error at line ${line}, column ${col}: ${firstLine(first.message)}`,
      {
        file,
      },
    );
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (value === null || value === undefined)
    throw new L3haError('L3HA_FILE_EMPTY', 'file holds no document', { file });
  return value;
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    // V8 quotes the start of the text ("root:x:0:0"...): keep the message, drop the quote.
    const message = (err as Error).message.replace(/"(?:[^"\\]|\\.)*"(?:\.\.\.)?/g, '"..."');
    throw new L3haError('L3HA_SYNTAX', `JSON syntax error: ${message}`, { file });
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
