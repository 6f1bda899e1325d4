/**
 * Values as cloudmend evaluates them from Terraform or CloudFormation, for decisions that must fail
 * closed: known JSON values, plus three kinds of not-quite-known value that every consumer has to
 * face explicitly rather than mistake for a literal:
 * - `Ref`: a value from outside the code being judged, known by name only (a resource's
 *   attribute, a data source's result, another stack's export);
 * - `Either`: one of several values, cloudmend cannot tell which (both branches of a conditional
 *   whose condition it cannot evaluate, every instance of a `for_each`);
 * - `Unknown`: anything else cloudmend could not evaluate, with the reason.
 * Inside strings, a `Ref` is written as `REF_MARK + name + REF_MARK`, so that ARNs and policy text
 * built from references keep their shape (`arn:aws:s3:::<ref>/*`).
 */

export class Unknown {
  constructor(readonly why: string) {}
}

export class Ref {
  constructor(readonly name: string) {}
}

export class Either {
  constructor(readonly options: readonly Val[]) {}
}

export type Val = null | boolean | number | string | readonly Val[] | { readonly [key: string]: Val } | Unknown | Ref | Either;

/** Written around a reference's name inside a string. NUL never occurs in IaC text cloudmend accepts. */
export const REF_MARK = '\u0000';

/**
 * Stands for a value cloudmend could not evaluate inside text it writes itself (the JSON that
 * `jsonencode` makes), so that the rest of the text stays readable: `"\u0000?\u0000"`.
 */
export const UNKNOWN_MARK = `${REF_MARK}?${REF_MARK}`;

/** At most this many alternatives are followed; more is `Unknown`. */
export const MAX_OPTIONS = 64;

export function isObject(v: Val | undefined): v is { readonly [key: string]: Val } {
  return (
    v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Unknown) && !(v instanceof Ref) && !(v instanceof Either)
  );
}

export function isList(v: Val | undefined): v is readonly Val[] {
  return Array.isArray(v);
}

/** A string with references marked by name. */
export function refText(name: string): string {
  return `${REF_MARK}${name}${REF_MARK}`;
}

/** True when the string holds a reference. */
export function hasRef(s: string): boolean {
  return s.includes(REF_MARK);
}

/** A reference marked in a string, its name captured. */
const MARKED = new RegExp(`${REF_MARK}([^${REF_MARK}]*)${REF_MARK}`, 'g');

/** The names of the references in a string. */
export function refsIn(s: string): string[] {
  return [...s.matchAll(MARKED)].map((m) => m[1] ?? '');
}

/** The string with each marked reference replaced by what `by` makes of its name. */
export function replaceRefs(s: string, by: (name: string) => string): string {
  return s.replace(MARKED, (_, name: string) => by(name));
}

/** Every value `v` may be: an `Either` opened, nested ones too, up to `MAX_OPTIONS` (beyond: one `Unknown`). */
export function optionsOf(v: Val): Val[] {
  if (!(v instanceof Either)) return [v];
  const out = v.options.flatMap(optionsOf);
  return out.length > MAX_OPTIONS ? [new Unknown('too many alternatives to follow')] : out;
}

/** One value from options: the only one, or an `Either` of the distinct ones. */
export function either(options: readonly Val[]): Val {
  const distinct: Val[] = [];
  for (const o of options.flatMap(optionsOf)) if (!distinct.some((d) => sameVal(d, o))) distinct.push(o);
  if (distinct.length > MAX_OPTIONS) return new Unknown('too many alternatives to follow');
  return distinct.length === 1 ? (distinct[0] as Val) : new Either(distinct);
}

/** True when `v` holds no `Unknown` anywhere (references and alternatives are known for what they are). */
export function isDetermined(v: Val): boolean {
  if (v instanceof Unknown) return false;
  if (v instanceof Either) return v.options.every(isDetermined);
  if (Array.isArray(v)) return v.every(isDetermined);
  if (isObject(v)) return Object.values(v).every(isDetermined);
  return true;
}

/** True when `v` is plain JSON: no `Unknown`, `Ref` (marked strings included) or `Either`. */
export function isLiteral(v: Val): boolean {
  if (v instanceof Unknown || v instanceof Ref || v instanceof Either) return false;
  if (typeof v === 'string') return !hasRef(v);
  if (Array.isArray(v)) return v.every(isLiteral);
  if (isObject(v)) return Object.values(v).every(isLiteral);
  return true;
}

/** A stable text for a value: equal values, equal keys; for comparing before and after. */
export function keyOf(v: Val): string {
  if (v instanceof Unknown) return `?(${v.why})`;
  if (v instanceof Ref) return `ref(${v.name})`;
  if (v instanceof Either) return `either(${v.options.map(keyOf).sort().join('|')})`;
  if (Array.isArray(v)) return `[${v.map(keyOf).join(',')}]`;
  if (isObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${keyOf(v[k] ?? null)}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

export function sameVal(a: Val, b: Val): boolean {
  return keyOf(a) === keyOf(b);
}

/** A value as a reviewer reads it in a message: references as `${name}`, short. */
export function shownVal(v: Val, max = 80): string {
  const text = ((): string => {
    if (v instanceof Unknown) return `(a value cloudmend cannot evaluate: ${v.why})`;
    if (v instanceof Ref) return `\${${v.name}}`;
    if (v instanceof Either) return `one of ${v.options.map((o) => shownVal(o, max)).join(' or ')}`;
    if (typeof v === 'string') return JSON.stringify(replaceRefs(v, (name) => `\${${name}}`));
    return (
      JSON.stringify(v, (_, x: unknown) =>
        x instanceof Ref ? `\${${x.name}}` : x instanceof Unknown ? '(unknown)' : x instanceof Either ? '(one of several)' : x,
      ) ?? 'null'
    );
  })();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The value as text where a string is expected: strings as they are, references marked, scalars printed. */
export function asText(v: Val): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Ref) return refText(v.name);
  return undefined;
}

/**
 * How a boolean setting reads, as Terraform and CloudFormation convert it: `true`/`"true"` (any
 * case) is true, `false`/`"false"` is false; anything else is `undefined` (unknown).
 */
export function truth(v: Val): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  return undefined;
}

/** True when the setting may be true: true, or cloudmend cannot rule it out. */
export function mayBeTrue(v: Val | undefined): boolean {
  if (v === undefined || v === null) return false;
  return optionsOf(v).some((o) => truth(o) !== false);
}

/** True when the setting may be false or absent: false, absent, or cloudmend cannot rule it out. */
export function mayBeFalse(v: Val | undefined): boolean {
  if (v === undefined || v === null) return true;
  return optionsOf(v).some((o) => truth(o) !== true);
}
