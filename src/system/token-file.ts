import { readFileSync, statSync } from 'node:fs';
import { L3haError } from '../errors.js';

// Reads the shared token, refusing a file anyone but root could read or write.
export function readToken(file: string): string {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(file);
  } catch (err) {
    throw new L3haError('L3HA_FILE_UNREADABLE', `cannot read token: ${(err as Error).message}`, {
      file,
      field: 'peerLink.tokenFile',
    });
  }
  if (!st.isFile() || (st.mode & 0o077) !== 0 || st.uid !== 0) {
    throw new L3haError('L3HA_INSECURE_TOKEN_FILE', 'token file must be root-owned with mode 0600', {
      file,
      field: 'peerLink.tokenFile',
      value: `mode ${(st.mode & 0o777).toString(8)} uid ${st.uid}`,
    });
  }
  const token = readFileSync(file, 'utf8').trim();
  if (token.length < 16)
    throw new L3haError('L3HA_INVALID_VALUE', 'token must be at least 16 characters', {
      file,
      field: 'peerLink.tokenFile',
    });
  return token;
}
