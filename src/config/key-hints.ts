/**
 * For "unrecognized key" errors: the keys allowed at that place in the schema and the nearest one,
 * so `defualtBranch` answers with `did you mean "defaultBranch"?`.
 */
import type { z } from 'zod';

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType };

function defOf(schema: z.ZodType): Def {
  return schema._zod.def;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    const inner = def.type === 'pipe' ? def.in : def.innerType;
    if (!inner) return current;
    current = inner;
  }
}

/** The keys an object schema allows at `path`, or undefined when the path is not an object. */
export function allowedKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let current: z.ZodType | undefined = schema;
  for (const key of path) {
    const def = defOf(unwrap(current));
    current = def.type === 'object' ? def.shape?.[String(key)] : def.type === 'array' ? def.element : undefined;
    if (!current) return undefined;
  }
  const def = defOf(unwrap(current));
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** A message for unknown `keys` at `path`: the nearest allowed key when one is close, else the list. */
export function unknownKeyHint(schema: z.ZodType, path: readonly PropertyKey[], keys: readonly string[]): string {
  const allowed = allowedKeysAt(schema, path) ?? [];
  return keys
    .map((key) => {
      const nearest = allowed.map((a) => ({ a, d: distance(key, a) })).sort((x, y) => x.d - y.d)[0];
      const guess = nearest && nearest.d <= Math.max(2, Math.floor(key.length / 3)) ? ` did you mean "${nearest.a}"?` : '';
      return `unknown key "${key}";${guess} allowed here: ${allowed.join(', ')}`;
    })
    .join('; ');
}
