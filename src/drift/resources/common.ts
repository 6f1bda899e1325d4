/**
 * Pieces every resource type uses: value normalizers (CloudFormation writes `"true"` and `"7"`),
 * directions for `weakens`, and tags.
 */
import type { Declaration } from '../declaration.js';
import type { ConfigItem } from '../item.js';
import { isObject, isUnknown, listOf, pick, type Json, type Partial, type PObject } from '../partial.js';
import { MapFact, type Fact, type MapSpec } from '../types.js';

/** `"true"` / `"false"` (CloudFormation YAML, Config) as booleans. */
export function toBool(value: Json): Json {
  if (value === 'true' || value === 'True') return true;
  if (value === 'false' || value === 'False') return false;
  return value;
}

/** Numeric strings as numbers. */
export function toNumber(value: Json): Json {
  return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
}

/** A KMS key named by id, key ARN, alias or alias ARN, as the part that identifies it (`key/<id>`, `alias/<name>`). */
export function kmsKey(value: Json): Json {
  if (typeof value !== 'string') return value;
  const m = /(?:^|:)(key\/[\w-]+|alias\/[\w/+=,.@-]+)$/.exec(value);
  if (m?.[1]) return m[1];
  return /^(mrk-)?[0-9a-f-]{32,36}$/i.test(value) ? `key/${value}` : value;
}

/** Direction helpers for `weakens`. */
export const secureWhenTrue = (declared: Json, live: Json): boolean => declared === true && live !== true;
export const secureWhenFalse = (declared: Json, live: Json): boolean => declared === false && live === true;
export const lowerIsWeaker = (declared: Json, live: Json): boolean =>
  typeof declared === 'number' && (live === null || (typeof live === 'number' && live < declared));
export const higherIsWeaker = (declared: Json, live: Json): boolean =>
  typeof declared === 'number' && typeof live === 'number' && live > declared;

/** `weakens` for values ranked from weakest to strongest; unranked values never weaken. */
export function rankWeakens(order: readonly Json[]): (declared: Json, live: Json) => boolean {
  return (declared, live) => {
    const d = order.indexOf(declared);
    const l = order.indexOf(live);
    return d >= 0 && l >= 0 && l < d;
  };
}

/** The first element of a list (Terraform blocks), or the value itself. */
export function first(value: Partial | undefined): Partial | undefined {
  const list = listOf(value);
  return list === undefined ? undefined : isUnknown(list) ? list : list[0];
}

/** Sets `facts[path]` only when the value is declared (or recorded). */
export function put(facts: Record<string, Fact>, path: string, value: Fact): void {
  if (value !== undefined) facts[path] = value;
}

export const TAGS_SPEC: MapSpec = { kind: 'map', path: 'tags', label: 'tag', ignoreLive: (key) => key.startsWith('aws:') };

function cfnTags(value: Partial | undefined): Fact {
  const list = listOf(value);
  if (list === undefined) return undefined;
  if (isUnknown(list)) return list;
  const entries: Record<string, Partial> = {};
  for (const tag of list) {
    const key = pick(tag, 'Key');
    if (typeof key === 'string') entries[key] = pick(tag, 'Value') ?? '';
  }
  // Open: stack-level tags reach every resource without appearing in the template.
  return new MapFact(entries, true);
}

/**
 * Declared tags: Terraform `tags` plus provider `default_tags` (resource tags win), or
 * CloudFormation `Tags`. Undefined when the code declares none.
 */
export function declaredTags(d: Declaration, value: Partial | undefined = d.kind === 'terraform' ? d.props.tags : d.props.Tags): Fact {
  if (d.kind === 'cloudformation') return cfnTags(value);
  if (isUnknown(value)) return value;
  const own: PObject = isObject(value) ? value : {};
  const defaults = d.defaultTags;
  if (value === undefined && (!defaults.known || Object.keys(defaults.tags).length === 0)) return undefined;
  return new MapFact({ ...defaults.tags, ...own }, !defaults.known);
}

export function liveTags(item: ConfigItem): Fact {
  return new MapFact(item.tags);
}
