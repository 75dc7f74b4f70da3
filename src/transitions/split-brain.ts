import type { Role } from '../plan/role.js';

// Routers that are MASTER here and on the peer at once. Pure.
export function splitRouters(
  mine: Readonly<Record<string, Role>>,
  peer: Readonly<Record<string, string>>,
): string[] {
  return Object.keys(mine)
    .filter((id) => mine[id] === 'MASTER' && peer[id] === 'MASTER')
    .sort();
}

export interface SplitChange {
  readonly started: string[];
  readonly healed: string[];
}

export function diffSplit(before: ReadonlySet<string>, now: readonly string[]): SplitChange {
  const nowSet = new Set(now);
  return {
    started: now.filter((id) => !before.has(id)),
    healed: [...before].filter((id) => !nowSet.has(id)).sort(),
  };
}
