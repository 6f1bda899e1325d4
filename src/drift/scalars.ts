/**
 * Every declared scalar, not only the ones a type's specs know: each top-level property of the
 * declaration that the specs do not read is compared with the configuration item's field of the
 * same name (`allocated_storage`, `AllocatedStorage` and `allocatedStorage` are one name). Literal
 * strings, numbers and booleans compare after type normalization (`"50"` is 50, `"true"` is true);
 * values left to variables, parameters or expressions are not compared and said so; a property
 * Config does not record under that name is listed as not recorded. Nested blocks are left to the
 * specs. Such differences are benign: the specs classify everything security-relevant.
 */
import type { Collector } from './collector.js';
import { isUnknown, type PObject } from './partial.js';
import { looksSecret } from './redact.js';

type Scalar = string | number | boolean;

const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** The same name however the code or Config spells it: `block_public_acls`, `BlockPublicAcls`, `blockPublicAcls`. */
export const nameKey = (name: string): string => name.replace(/[^A-Za-z0-9]/g, '').toLowerCase();

const NUMBER = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A scalar in the one form both sides compare in: `"true"`/`"false"` as booleans, numeric text as
 * a number, other text in lower case (AWS lower-cases identifiers the code may capitalize: an
 * engine `MySQL` is recorded `mysql`).
 */
export function normalizeScalar(value: Scalar): Scalar {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  if (NUMBER.test(text)) return Number(text);
  return text.toLowerCase();
}

/** Properties whose declared value may be a prefix of the live one: RDS accepts `engine_version = "8.0"` and runs 8.0.35. */
const PREFIX_OF_LIVE: ReadonlySet<string> = new Set(['engineversion']);

/** True when the code's value and the live value are the same setting. */
export function sameScalar(declared: Scalar, live: Scalar, name = ''): boolean {
  const d = normalizeScalar(declared);
  const l = normalizeScalar(live);
  if (d === l) return true;
  return (
    PREFIX_OF_LIVE.has(nameKey(name)) &&
    String(live)
      .toLowerCase()
      .startsWith(`${String(declared).toLowerCase()}.`)
  );
}

/**
 * Records `props`' top-level scalars that the type's specs did not `read`, against `configuration`.
 * Names that look like secrets are never compared (their values would land in the report).
 */
export function compareScalars(props: PObject, read: ReadonlySet<string>, configuration: PObject, out: Collector): void {
  const live = new Map(Object.entries(configuration).map(([k, v]) => [nameKey(k), [k, v] as const]));
  for (const [name, declared] of Object.entries(props)) {
    if (read.has(name) || looksSecret(name, declared)) continue;
    if (isUnknown(declared)) {
      out.noteUnknown(name, declared);
      continue;
    }
    // Nested blocks and maps are the specs' business.
    if (!isScalar(declared)) continue;
    const found = live.get(nameKey(name));
    if (found === undefined || !isScalar(found[1])) {
      out.notRecorded.push(name);
      continue;
    }
    const [field, value] = found;
    if (sameScalar(declared, value, name)) continue;
    out.add({
      path: field,
      label: name,
      declared,
      live: value,
      category: undefined,
      weakens: false,
      recorded: { declared, live: value },
    });
  }
}

/**
 * `props` as the type's `declared` sees it, and the names it read: what it reads its specs
 * compare; the rest is for `compareScalars`.
 */
export function readTracked(props: PObject): { readonly props: PObject; readonly read: ReadonlySet<string> } {
  const read = new Set<string>();
  const note = (key: string | symbol): void => {
    if (typeof key === 'string') read.add(key);
  };
  const tracked = new Proxy(props, {
    get: (target, key, receiver) => (note(key), Reflect.get(target, key, receiver) as unknown),
    has: (target, key) => (note(key), Reflect.has(target, key)),
    getOwnPropertyDescriptor: (target, key) => (note(key), Reflect.getOwnPropertyDescriptor(target, key)),
  });
  return { props: tracked, read };
}
