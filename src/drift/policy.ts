/**
 * IAM policy documents in one canonical form, so that documents IAM treats as the same compare
 * equal: a single statement or a list, a string or a one-element list, any order of statements
 * and of list elements, actions and condition keys in any case, `{"AWS": "*"}` or `"*"`, an
 * account id or its root ARN. Unknown leaves (from code) survive normalization, so a declared
 * document with an unresolved ARN still matches the live statement it produced.
 */
import { decodePolicyText } from './item.js';
import { isObject, isUnknown, listOf, stableKey, Unknown, type Json, type Partial, type PObject } from './partial.js';

export interface NormalPolicy {
  readonly version: Partial;
  /** Canonical statements, deduplicated, in a stable order. */
  readonly statements: readonly Partial[];
}

const ROOT_ARN = /^arn:[^:]+:iam::(\d{12}):root$/;

/** A list canonicalized: scalars as strings, duplicates dropped, sorted, unknown elements last. */
function canonList(value: Partial | undefined, map: (s: string) => string = (s) => s): Partial | undefined {
  const list = listOf(value);
  if (list === undefined || isUnknown(list)) return list;
  const knownItems = new Set<string>();
  const unknowns: Partial[] = [];
  for (const item of list) {
    if (isUnknown(item)) unknowns.push(item);
    else if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') knownItems.add(map(String(item)));
    else knownItems.add(stableKey(item));
  }
  return [...[...knownItems].sort(), ...unknowns];
}

function canonPrincipal(value: Partial | undefined): Partial | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === '*' || isUnknown(value)) return value;
  if (!isObject(value)) return canonList(value);
  const keys = Object.keys(value);
  const aws = listOf(value.AWS);
  // `{"AWS": "*"}` and `"*"` grant the same: anyone.
  if (keys.length === 1 && Array.isArray(aws) && aws.length === 1 && aws[0] === '*') return '*';
  const out: Record<string, Partial> = {};
  for (const key of keys.sort()) {
    // IAM stores an account id as its root ARN; compare the account.
    const v = canonList(value[key], key === 'AWS' ? (s) => ROOT_ARN.exec(s)?.[1] ?? s : undefined);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function canonCondition(value: Partial | undefined): Partial | undefined {
  if (value === undefined || value === null || isUnknown(value) || !isObject(value)) return value ?? undefined;
  const out: Record<string, Partial> = {};
  for (const op of Object.keys(value).sort()) {
    const keys = value[op];
    if (!isObject(keys)) {
      out[op] = keys ?? null;
      continue;
    }
    const inner: Record<string, Partial> = {};
    // Condition keys are case-insensitive; values are not.
    for (const key of Object.keys(keys)) inner[key.toLowerCase()] = canonList(keys[key]) ?? [];
    out[op] = Object.fromEntries(
      Object.keys(inner)
        .sort()
        .map((k) => [k, inner[k] ?? null]),
    );
  }
  return out;
}

/** One statement in canonical form; an unknown statement stays unknown. */
export function normalizeStatement(statement: Partial): Partial {
  if (!isObject(statement)) return isUnknown(statement) ? statement : new Unknown('unreadable statement');
  const out: Record<string, Partial> = {};
  const set = (key: string, value: Partial | undefined): void => {
    if (value !== undefined) out[key] = value;
  };
  if (statement.Sid !== '' && statement.Sid !== null) set('Sid', statement.Sid);
  set('Effect', statement.Effect);
  set('Principal', canonPrincipal(statement.Principal));
  set('NotPrincipal', canonPrincipal(statement.NotPrincipal));
  // Action names are case-insensitive in IAM.
  set(
    'Action',
    canonList(statement.Action, (s) => s.toLowerCase()),
  );
  set(
    'NotAction',
    canonList(statement.NotAction, (s) => s.toLowerCase()),
  );
  set('Resource', canonList(statement.Resource));
  set('NotResource', canonList(statement.NotResource));
  const condition = canonCondition(statement.Condition);
  if (condition !== undefined && !(isObject(condition) && Object.keys(condition).length === 0)) out.Condition = condition;
  return out;
}

/**
 * A policy from its object, JSON text or URL-encoded JSON text. Undefined when there is none,
 * unknown when the code's document cannot be read statically or the text is not a policy.
 */
export function normalizePolicy(doc: Partial | undefined): NormalPolicy | Unknown | undefined {
  const value = decodePolicyText(doc);
  if (value === undefined || value === null || value === '') return undefined;
  if (isUnknown(value)) return value;
  if (!isObject(value)) return new Unknown('a policy that is not a JSON object');
  const statements = listOf(value.Statement);
  if (isUnknown(statements)) return statements;
  const byKey = new Map<string, Partial>();
  for (const s of statements ?? []) {
    const n = normalizeStatement(s);
    byKey.set(isUnknown(n) ? `unknown#${byKey.size}` : stableKey(n), n);
  }
  const sorted = [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
  // A document without Version is read with the 2008 language version.
  return { version: value.Version ?? '2008-10-17', statements: sorted };
}

function strings(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];
}

/** True when `statement` grants to anyone, without a condition narrowing who. */
export function isPublicStatement(statement: Json): boolean {
  if (!isObject(statement) || statement.Effect !== 'Allow' || statement.Condition !== undefined) return false;
  const p = statement.Principal;
  return p === '*' || (isObject(p) && strings(p.AWS).includes('*'));
}

/** A short name for a statement in a difference path: its Sid, or effect, first action and who. */
export function statementLabel(statement: Partial): string {
  if (!isObject(statement)) return 'statement (unknown)';
  if (typeof statement.Sid === 'string') return statement.Sid;
  const actions = strings((statement.Action ?? statement.NotAction) as Json);
  const what =
    actions.length === 0 ? '' : ` ${statement.NotAction ? 'not ' : ''}${actions[0]}${actions.length > 1 ? ` +${actions.length - 1}` : ''}`;
  const p = statement.Principal;
  const who =
    p === '*'
      ? ' for *'
      : isObject(p)
        ? ` for ${Object.entries(p)
            .map(([k, v]) => `${k}:${strings(v as Json).join('|')}`)
            .join(' ')}`
        : '';
  return `${typeof statement.Effect === 'string' ? statement.Effect : '?'}${what}${who}`;
}

function glob(pattern: string, value: string, caseless: boolean): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    caseless ? 'is' : 's',
  );
  return re.test(value);
}

function covered(narrow: Json | undefined, wide: Json | undefined, caseless: boolean): boolean {
  const w = strings(wide);
  return strings(narrow).every((n) => w.some((p) => glob(p, n, caseless)));
}

function principalCovered(narrow: Json | undefined, wide: Json | undefined): boolean {
  if (wide === '*') return true;
  if (narrow === '*' || !isObject(narrow)) return narrow === undefined || stableKey(narrow) === stableKey(wide);
  if (!isObject(wide)) return false;
  return Object.entries(narrow).every(([type, ids]) => covered(ids, wide[type], false));
}

/** Every condition of `wide` is also in `narrow`, with no more values: `narrow` applies in fewer cases. */
function conditionsNarrower(narrow: Json | undefined, wide: Json | undefined): boolean {
  if (!isObject(wide)) return true;
  const n = isObject(narrow) ? narrow : {};
  return Object.entries(wide).every(([op, keys]) => {
    const nk = n[op];
    return (
      isObject(keys) &&
      isObject(nk) &&
      Object.entries(keys).every(([key, values]) => nk[key] !== undefined && covered(nk[key], values, false))
    );
  });
}

/** True when statement `a` allows (or denies) no more than `b`. Conservative: unsure is false. */
function narrowerOrEqual(a: PObject, b: PObject): boolean {
  for (const key of ['NotAction', 'NotResource', 'NotPrincipal']) if (stableKey(a[key]) !== stableKey(b[key])) return false;
  return (
    covered(a.Action as Json, b.Action as Json, true) &&
    covered(a.Resource as Json, b.Resource as Json, false) &&
    principalCovered(a.Principal as Json, b.Principal as Json) &&
    conditionsNarrower(a.Condition as Json, b.Condition as Json)
  );
}

/**
 * Whether a statement change leaves the live policy less restrictive than the code: a new Allow,
 * a lost Deny, an Allow that grew or a Deny that shrank (or anything cloudmend cannot order).
 */
export function statementWeakens(change: 'added' | 'removed' | 'changed', declared: Json | undefined, live: Json | undefined): boolean {
  if (change === 'added') return isObject(live) && live.Effect !== 'Deny';
  if (change === 'removed') return isObject(declared) && declared.Effect === 'Deny';
  if (!isObject(declared) || !isObject(live)) return true;
  if (declared.Effect !== live.Effect) return live.Effect !== 'Deny';
  return live.Effect === 'Deny' ? !narrowerOrEqual(declared, live) : !narrowerOrEqual(live, declared);
}
