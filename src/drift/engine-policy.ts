/**
 * Policy documents compared statement by statement: statements present on one side only are
 * differences, a statement whose Sid survives with another body is one "changed" difference, and a
 * declared statement with unknown leaves absorbs any live statement it could have produced.
 */
import { toJson, type Collector } from './collector.js';
import { hasUnknown, isUnknown, matches, stableKey, type Json, type Partial } from './partial.js';
import { isPublicStatement, normalizePolicy, statementLabel, statementWeakens, type NormalPolicy } from './policy.js';
import { MapFact, type Category, type Fact, type PolicyMapSpec, type PolicySpec } from './types.js';

const UNDECLARED = 'a statement that widens access, live only';

function categoryOf(statement: Json | undefined): Category {
  return statement !== undefined && isPublicStatement(statement) ? 'exposure' : 'iam';
}

function documentOf(policy: NormalPolicy): Json {
  return toJson({ Version: policy.version, Statement: policy.statements });
}

function compareStatements(spec: Pick<PolicySpec, 'path' | 'label'>, declared: NormalPolicy, live: NormalPolicy, out: Collector): void {
  const exact = new Map(declared.statements.filter((s) => !hasUnknown(s)).map((s) => [stableKey(s), s as Json]));
  const patterns = declared.statements.filter(hasUnknown);
  const liveByKey = new Map(live.statements.map((s) => [stableKey(s), s as Json]));
  const missing = [...exact].filter(([k]) => !liveByKey.has(k)).map(([, s]) => s);
  const extra = [...liveByKey].filter(([k, s]) => !exact.has(k) && !patterns.some((p) => matches(p, s))).map(([, s]) => s);
  for (const p of patterns)
    if (!live.statements.some((s) => matches(p, s)))
      out.noteUnknown(`${spec.path}.Statement[${statementLabel(p)}]`, isUnknown(p) ? p : undefined);
  const sid = (s: Json): string | undefined =>
    s && typeof s === 'object' && !Array.isArray(s) && typeof (s as { Sid?: unknown }).Sid === 'string'
      ? (s as { Sid: string }).Sid
      : undefined;
  for (const d of missing) {
    const pair = sid(d) === undefined ? -1 : extra.findIndex((e) => sid(e) === sid(d));
    const path = `${spec.path}.Statement[${statementLabel(d)}]`;
    if (pair >= 0) {
      const [l] = extra.splice(pair, 1) as [Json];
      out.add({
        path,
        label: `${spec.label} statement ${statementLabel(d)}`,
        declared: d,
        live: l,
        category: categoryOf(l) === 'exposure' ? 'exposure' : categoryOf(d),
        weakens: statementWeakens('changed', d, l),
        element: true,
      });
    } else {
      out.add({
        path,
        label: `${spec.label} statement ${statementLabel(d)}`,
        declared: d,
        live: null,
        category: categoryOf(d),
        weakens: statementWeakens('removed', d, undefined),
        element: true,
      });
    }
  }
  for (const l of extra) {
    out.add({
      path: `${spec.path}.Statement[${statementLabel(l)}]`,
      label: `${spec.label} statement ${statementLabel(l)}`,
      declared: null,
      live: l,
      category: categoryOf(l),
      weakens: statementWeakens('added', undefined, l),
      element: true,
    });
  }
}

/** Compares one document; `declared` and `live` are objects, JSON text or URL-encoded JSON text. */
export function comparePolicy(
  spec: Pick<PolicySpec, 'path' | 'label' | 'undeclared'>,
  declared: Partial | undefined,
  live: Partial | undefined,
  out: Collector,
): void {
  if (declared === undefined) {
    const ln = spec.undeclared && live !== undefined ? normalizePolicy(live) : undefined;
    if (!ln || isUnknown(ln)) return;
    for (const s of ln.statements as readonly Json[]) {
      if (!statementWeakens('added', undefined, s)) continue;
      out.add({
        path: `${spec.path}.Statement[${statementLabel(s)}]`,
        label: `${spec.label} statement ${statementLabel(s)}`,
        declared: null,
        live: s,
        category: categoryOf(s),
        weakens: true,
        undeclared: UNDECLARED,
        element: true,
      });
    }
    return;
  }
  const dn = normalizePolicy(declared);
  if (dn === undefined) return;
  if (isUnknown(dn)) return out.noteUnknown(spec.path, dn);
  const ln = live === undefined ? undefined : normalizePolicy(live);
  if (live === undefined || isUnknown(ln)) return void out.notRecorded.push(spec.path);
  if (ln === undefined) {
    // The whole document is gone: one difference, not one per statement.
    const weakens = dn.statements.some((s) => !hasUnknown(s) && statementWeakens('removed', s as Json, undefined));
    out.add({ path: spec.path, label: spec.label, declared: documentOf(dn), live: null, category: 'iam', weakens, element: true });
    return;
  }
  if (!hasUnknown(dn.version) && stableKey(dn.version) !== stableKey(ln.version)) {
    out.add({
      path: `${spec.path}.Version`,
      label: `${spec.label} language version`,
      declared: toJson(dn.version),
      live: toJson(ln.version),
      category: 'iam',
      weakens: false,
    });
  }
  compareStatements(spec, dn, ln, out);
}

/** Compares named documents (inline policies): per name, plus names only one side has. */
export function comparePolicies(spec: PolicyMapSpec, declared: Fact, live: Fact, out: Collector): void {
  if (!(live instanceof MapFact)) {
    if (declared !== undefined) out.notRecorded.push(spec.path);
    return;
  }
  if (declared !== undefined && !(declared instanceof MapFact)) return out.noteUnknown(spec.path, declared);
  for (const [name, doc] of Object.entries(declared?.entries ?? {})) {
    const path = `${spec.path}.${name}`;
    const l = live.entries[name];
    if (l !== undefined) {
      comparePolicy({ path, label: `${spec.label} ${name}` }, doc, l, out);
      continue;
    }
    const dn = normalizePolicy(doc);
    if (!dn || isUnknown(dn)) continue;
    const weakens = dn.statements.some((s) => !hasUnknown(s) && statementWeakens('removed', s as Json, undefined));
    out.add({ path, label: `${spec.label} ${name}`, declared: documentOf(dn), live: null, category: 'iam', weakens, element: true });
  }
  for (const [name, doc] of Object.entries(live.entries)) {
    if (declared?.entries[name] !== undefined || declared?.open) continue;
    const ln = normalizePolicy(doc);
    if (!ln || isUnknown(ln)) continue;
    const statements = ln.statements as readonly Json[];
    const weakens = statements.some((s) => statementWeakens('added', undefined, s));
    // Without any declared inline policy, only a live one that grants something is drift.
    if (declared === undefined && !weakens) continue;
    out.add({
      path: `${spec.path}.${name}`,
      label: `${spec.label} ${name}`,
      declared: null,
      live: documentOf(ln),
      category: statements.some((s) => categoryOf(s) === 'exposure') ? 'exposure' : 'iam',
      weakens,
      undeclared: declared === undefined ? 'an inline policy that grants access, live only' : undefined,
      element: true,
    });
  }
}
