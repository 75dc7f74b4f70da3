import { readFileSync, writeFileSync } from 'node:fs';

const sysctlPath = (name: string): string => `/proc/sys/${name.replaceAll('.', '/')}`;

// Reads a numeric sysctl of the machine (/proc/sys); undefined when it cannot be read.
export function readSysctlNumber(name: string): number | undefined {
  try {
    const v = Number(readFileSync(sysctlPath(name), 'utf8').trim());
    return Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export const GC_THRESH3 = 'net.ipv4.neigh.default.gc_thresh3';

// The machine's limit of neighbour entries, shared by every namespace.
export const gcThresh3 = (): number | undefined => readSysctlNumber(GC_THRESH3);

// Runs fn with the given sysctls raised to at least the given values, then puts back the
// values it found (also when fn throws). For the bench's large labs (lesson 34).
export async function withSysctlsAtLeast<T>(want: Record<string, number>, fn: () => Promise<T>): Promise<T> {
  const found = new Map<string, number>();
  const write = (name: string, v: number) => writeFileSync(sysctlPath(name), `${v}\n`);
  try {
    for (const [name, v] of Object.entries(want)) {
      const old = readSysctlNumber(name);
      if (old === undefined || old >= v) continue;
      write(name, v);
      found.set(name, old);
    }
    return await fn();
  } finally {
    // gc_thresh1 <= 2 <= 3 must hold at every step: put them back in reverse order.
    for (const [name, old] of [...found].reverse()) write(name, old);
  }
}
