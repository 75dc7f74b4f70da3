import type { z } from 'zod';

// An optional field. YAML's `key:` with no value (null) counts as absent, as operators expect.
export function absentOr<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((v) => v ?? undefined);
}
