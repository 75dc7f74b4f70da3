import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A private scratch directory that is removed afterwards, whatever happens inside.
export async function withScratchDir<T>(
  fn: (dir: string, write: (name: string, text: string) => Promise<string>) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'l3ha-'));
  const write = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text, { mode: 0o600 });
    return path;
  };
  try {
    return await fn(dir, write);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
