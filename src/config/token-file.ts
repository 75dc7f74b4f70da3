import { readFileSync, statSync } from 'node:fs';
import { L3haError } from '../errors.js';

// The peer-link token file's rules, in one place: `l3ha check` and the agent's peer link
// both call readToken, so a file check passes is a file the agent accepts.

export const TOKEN_MIN_LENGTH = 16;
const FIELD = 'peerLink.tokenFile';

// Reads the shared token, refusing a file anyone but root could read or write, and a
// token shorter than TOKEN_MIN_LENGTH. Errors name the token file and the field.
export function readToken(file: string): string {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(file);
  } catch (err) {
    throw new L3haError('L3HA_FILE_UNREADABLE', `cannot read token: ${(err as Error).message}`, {
      file,
      field: FIELD,
      value: file,
    });
  }
  if (!st.isFile() || (st.mode & 0o077) !== 0 || st.uid !== 0) {
    const what = st.isFile()
      ? `mode ${(st.mode & 0o777).toString(8).padStart(4, '0')} uid ${st.uid}`
      : 'not a regular file';
    throw new L3haError(
      'L3HA_INSECURE_TOKEN_FILE',
      'token file must be a root-owned regular file with mode 0600',
      {
        file,
        field: FIELD,
        value: what,
      },
    );
  }
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new L3haError('L3HA_FILE_UNREADABLE', `cannot read token: ${(err as Error).message}`, {
      file,
      field: FIELD,
      value: file,
    });
  }
  // The value is the length only: the token is a secret.
  if (token.length < TOKEN_MIN_LENGTH) {
    throw new L3haError('L3HA_INSECURE_TOKEN_FILE', `token must be at least ${TOKEN_MIN_LENGTH} characters`, {
      file,
      field: FIELD,
      value: `${token.length} characters`,
    });
  }
  return token;
}

// The same rules as a list of errors, for `l3ha check`; none when there is no peer link.
export function tokenFileErrors(peerLink: { readonly tokenFile: string } | undefined): L3haError[] {
  if (!peerLink) return [];
  try {
    readToken(peerLink.tokenFile);
    return [];
  } catch (err) {
    if (err instanceof L3haError) return [err];
    throw err;
  }
}
