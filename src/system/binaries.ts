import { constants } from 'node:fs';
import { access } from 'node:fs/promises';

const SEARCH = ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin', '/usr/local/bin'];

// The absolute path of an executable, or undefined when it is not installed.
export async function findBinary(nameOrPath: string): Promise<string | undefined> {
  const candidates = nameOrPath.startsWith('/') ? [nameOrPath] : SEARCH.map((d) => `${d}/${nameOrPath}`);
  for (const c of candidates) {
    try {
      await access(c, constants.X_OK);
      return c;
    } catch {
      // not here; try the next
    }
  }
  return undefined;
}
