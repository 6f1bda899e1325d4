/**
 * The one comparison engine: for each spec of a type, declared fact against live fact. The rules
 * every type shares live here:
 * - only what the code declares is compared, except live additions a spec marks as security
 *   relevant (an undeclared ingress rule, a public access block turned off);
 * - an unknown declared value is "anything": never a difference, listed in `unknown` instead, unless
 *   even its known shape cannot match (a role ARN naming another role);
 * - a value Config does not record is listed in `notRecorded`, never a difference.
 */
import { Collector, toJson } from './collector.js';
import { comparePolicies, comparePolicy } from './engine-policy.js';
import { hasUnknown, isUnknown, matches, stableKey, textOf, Unknown, type Json, type Partial } from './partial.js';
import { looksSecret, REDACTED } from './redact.js';
import { MapFact, type Fact, type MapSpec, type ScalarSpec, type SetSpec, type Spec } from './types.js';

function compareScalar(spec: ScalarSpec, declared: Partial | undefined, live: Partial | undefined, out: Collector): void {
  const norm = (v: Json): Json => (spec.normalize && v !== null ? spec.normalize(v) : v);
  if (declared === undefined) {
    if (live === undefined || hasUnknown(live) || !spec.undeclared) return;
    const reason = spec.undeclared(norm(live as Json));
    if (reason)
      out.add({
        path: spec.path,
        label: spec.label,
        declared: null,
        live: toJson(live),
        category: spec.category,
        weakens: true,
        undeclared: reason,
      });
    return;
  }
  if (live === undefined) {
    out.notRecorded.push(spec.path);
    return;
  }
  if (hasUnknown(declared)) {
    // A known shape that cannot match is still a provable difference.
    if (!matches(declared, live))
      out.add({
        path: spec.path,
        label: spec.label,
        declared: toJson(declared),
        live: toJson(live),
        category: spec.category,
        weakens: false,
      });
    else if (!(isUnknown(declared) && declared.pattern)) out.noteUnknown(spec.path, declared);
    return;
  }
  const d = norm(declared as Json);
  const l = norm(live as Json);
  if (stableKey(d) === stableKey(l)) return;
  out.add({
    path: spec.path,
    label: spec.label,
    declared: d,
    live: l,
    category: spec.category,
    weakens: spec.weakens?.(d, l) ?? false,
    recorded: { declared: declared as Json, live: live as Json },
  });
}

function compareSet(spec: SetSpec, declared: Partial | undefined, live: Partial | undefined, out: Collector): void {
  if (isUnknown(declared)) return out.noteUnknown(spec.path, declared);
  if (live === undefined || isUnknown(live)) {
    if (declared !== undefined) out.notRecorded.push(spec.path);
    return;
  }
  const liveItems = Array.isArray(live) ? (live as readonly Json[]) : [];
  const declaredItems = Array.isArray(declared) ? (declared as readonly Partial[]) : [];
  const exact = new Map(declaredItems.filter((i) => !hasUnknown(i)).map((i) => [stableKey(i), i as Json]));
  const patterns = declaredItems.filter(hasUnknown);
  const liveKeys = new Map(liveItems.map((i) => [stableKey(i), i]));
  for (const p of patterns)
    if (!liveItems.some((l) => matches(p, l))) out.noteUnknown(`${spec.path}[${spec.itemLabel(p)}]`, isUnknown(p) ? p : undefined);
  if (declared !== undefined) {
    for (const [key, item] of exact) {
      if (!liveKeys.has(key))
        out.add({
          path: `${spec.path}[${spec.itemLabel(item)}]`,
          label: `${spec.label} ${spec.itemLabel(item)}`,
          declared: item,
          live: null,
          category: spec.category(item),
          weakens: spec.weakens(item, 'removed'),
          element: true,
        });
    }
  }
  for (const [key, item] of liveKeys) {
    if (exact.has(key) || patterns.some((p) => matches(p, item))) continue;
    if (declared === undefined && !spec.undeclared?.(item)) continue;
    const label = `${spec.label} ${spec.itemLabel(item)}`;
    out.add({
      path: `${spec.path}[${spec.itemLabel(item)}]`,
      label,
      declared: null,
      live: item,
      category: spec.category(item),
      weakens: spec.weakens(item, 'added'),
      undeclared: declared === undefined ? 'a live addition that matters for security even though the code leaves it out' : undefined,
      element: true,
    });
  }
}

function compareMap(spec: MapSpec, declared: Fact, live: Fact, out: Collector): void {
  if (declared === undefined) return;
  if (!(declared instanceof MapFact)) return out.noteUnknown(spec.path, declared);
  if (!(live instanceof MapFact)) return void out.notRecorded.push(spec.path);
  // An unknown's source text can hold a literal too (`"postgres://app:pw@${var.host}"`).
  const secret = (key: string, ...values: (Partial | undefined)[]): boolean =>
    spec.redact === true && values.some((v) => looksSecret(key, isUnknown(v) ? v.source : v));
  const value = (v: Partial | undefined, hide: boolean): Json => (v === undefined ? null : hide ? REDACTED : toJson(v));
  const keys = new Set([...Object.keys(declared.entries), ...Object.keys(live.entries)]);
  for (const key of [...keys].sort()) {
    const d = declared.entries[key];
    const l = live.entries[key];
    const hide = secret(key, d, l);
    const path = `${spec.path}.${key}`;
    const differ = (): void =>
      out.add({
        path,
        label: `${spec.label} ${key}`,
        declared: d === undefined ? null : value(d, hide),
        live: value(l, hide),
        category: spec.category,
        weakens: false,
      });
    if (d === undefined) {
      if (declared.open || spec.ignoreLive?.(key)) continue;
      differ();
    } else if (hasUnknown(d)) {
      if (l !== undefined && !matches(d, l)) differ();
      else if (!(isUnknown(d) && d.pattern)) out.noteUnknown(path, hide ? new Unknown('redacted') : d);
    } else if (l === undefined || textOf(d) !== textOf(l)) differ();
  }
}

/** Compares every spec of a type; the collector holds the differences and what could not be compared. */
export function compareFacts(
  specs: readonly Spec[],
  declared: Readonly<Record<string, Fact>>,
  live: Readonly<Record<string, Fact>>,
): Collector {
  const out = new Collector();
  for (const spec of specs) {
    const d = declared[spec.path];
    const l = live[spec.path];
    switch (spec.kind) {
      case 'scalar':
        compareScalar(spec, d instanceof MapFact ? undefined : d, l instanceof MapFact ? undefined : l, out);
        break;
      case 'set':
        compareSet(spec, d instanceof MapFact ? undefined : d, l instanceof MapFact ? undefined : l, out);
        break;
      case 'map':
        compareMap(spec, d, l, out);
        break;
      case 'policy':
        comparePolicy(spec, d instanceof MapFact ? undefined : d, l instanceof MapFact ? undefined : l, out);
        break;
      case 'policies':
        comparePolicies(spec, d, l, out);
        break;
    }
  }
  return out;
}
