/**
 * IAM policy documents wherever IaC writes them: JSON values (CloudFormation), Terraform
 * `jsonencode(...)`, heredoc or string JSON, and `data "aws_iam_policy_document"` blocks. Statements
 * come back normalized (lists everywhere) so skills can ask "is this public?", "is this admin?".
 */
import { attribute, blocks, type HclBody } from '../iac/terraform/hcl-structure.js';
import { readHclValue, staticValue } from '../iac/terraform/hcl-expr.js';
import type { TfModule, TfResource } from '../iac/terraform/module.js';
import { tfString } from './helpers.js';

export interface Statement {
  readonly sid?: string | undefined;
  readonly effect: 'Allow' | 'Deny';
  /** `*`, or principals by type (`AWS`, `Service`, `Federated`, `CanonicalUser`). */
  readonly principal?: '*' | Readonly<Record<string, readonly string[]>> | undefined;
  readonly notPrincipal?: boolean;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  /** Operator → key → values, as in JSON policies. */
  readonly condition: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly version?: string | undefined;
  readonly statements: readonly Statement[];
}

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
}

function principalOf(value: unknown): Statement['principal'] {
  if (value === undefined) return undefined;
  if (value === '*') return '*';
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, list(v)]));
  }
  return { AWS: list(value) };
}

function conditionOf(value: unknown): Statement['condition'] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([op, keys]) => [
      op,
      keys && typeof keys === 'object' && !Array.isArray(keys)
        ? Object.fromEntries(Object.entries(keys as Record<string, unknown>).map(([k, v]) => [k, list(v)]))
        : {},
    ]),
  );
}

/** A policy from its JSON value or JSON text; undefined when it is not a readable policy. */
export function parsePolicy(value: unknown): PolicyDocument | undefined {
  let doc = value;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      return undefined;
    }
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const { Version, Statement: raw } = doc as { Version?: unknown; Statement?: unknown };
  const items = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : undefined;
  if (!items) return undefined;
  const statements: Statement[] = [];
  for (const s of items) {
    if (!s || typeof s !== 'object') return undefined;
    const st = s as Record<string, unknown>;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') return undefined;
    statements.push({
      sid: typeof st.Sid === 'string' ? st.Sid : undefined,
      effect: st.Effect,
      principal: principalOf(st.Principal ?? st.NotPrincipal),
      notPrincipal: st.NotPrincipal !== undefined,
      actions: list(st.Action),
      notActions: list(st.NotAction),
      resources: list(st.Resource),
      notResources: list(st.NotResource),
      condition: conditionOf(st.Condition),
    });
  }
  return { version: typeof Version === 'string' ? Version : undefined, statements };
}

function stringList(module: TfModule, body: HclBody, name: string): string[] {
  const attr = attribute(body, name);
  const value = attr ? staticValue(readHclValue(attr.expr), module.resolve) : undefined;
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];
}

/** The statements of a `data "aws_iam_policy_document"` block, as far as they are static. */
export function policyFromDataSource(module: TfModule, data: TfResource): PolicyDocument {
  const statements = blocks(data.block.body, 'statement').map((s): Statement => {
    const principals: Record<string, string[]> = {};
    for (const p of blocks(s.body, 'principals')) {
      const type = tfString(module, p.body, 'type') ?? 'AWS';
      principals[type] = [...(principals[type] ?? []), ...stringList(module, p.body, 'identifiers')];
    }
    const condition: Record<string, Record<string, string[]>> = {};
    for (const c of blocks(s.body, 'condition')) {
      const test = tfString(module, c.body, 'test') ?? '';
      const variable = tfString(module, c.body, 'variable') ?? '';
      condition[test] = { ...(condition[test] ?? {}), [variable]: stringList(module, c.body, 'values') };
    }
    const star = Object.keys(principals).length === 1 && principals.AWS?.length === 1 && principals.AWS[0] === '*';
    return {
      sid: tfString(module, s.body, 'sid'),
      effect: tfString(module, s.body, 'effect') === 'Deny' ? 'Deny' : 'Allow',
      principal: Object.keys(principals).length === 0 ? undefined : star ? '*' : principals,
      actions: stringList(module, s.body, 'actions'),
      notActions: stringList(module, s.body, 'not_actions'),
      resources: stringList(module, s.body, 'resources'),
      notResources: stringList(module, s.body, 'not_resources'),
      condition,
    };
  });
  return { version: tfString(module, data.block.body, 'version'), statements };
}

export type TfPolicy =
  | { readonly form: 'static'; readonly document: PolicyDocument }
  | { readonly form: 'data-source'; readonly document: PolicyDocument; readonly data: TfResource }
  | { readonly form: 'unknown' };

/**
 * The policy in attribute `name` of a Terraform block: static JSON (jsonencode, heredoc, string)
 * or a reference to a policy document data source in the same module.
 */
export function tfPolicy(module: TfModule, body: HclBody, name: string): TfPolicy | undefined {
  const attr = attribute(body, name);
  if (!attr) return undefined;
  const expr = readHclValue(attr.expr);
  const value = staticValue(expr, module.resolve);
  const document = value === undefined ? undefined : parsePolicy(value);
  if (document) return { form: 'static', document };
  if (expr.type === 'reference') {
    const m = /^(data\.aws_iam_policy_document\.[A-Za-z0-9_-]+)\.json$/.exec(expr.path);
    const data = m ? module.resources.find((r) => r.address === m[1]) : undefined;
    if (data) return { form: 'data-source', document: policyFromDataSource(module, data), data };
  }
  return { form: 'unknown' };
}

/** True for a principal that means anyone: `*` or `{AWS: "*"}`. */
export function isPublicPrincipal(principal: Statement['principal']): boolean {
  if (principal === undefined) return false;
  if (principal === '*') return true;
  return Object.values(principal).some((ids) => ids.includes('*'));
}

/** True when `patterns` (IAM wildcards) cover `action` (`s3:GetObject`). */
export function coversAction(patterns: readonly string[], action: string): boolean {
  return patterns.some((p) =>
    new RegExp(
      `^${p
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
      'i',
    ).test(action),
  );
}

/**
 * Stands in for what `lenientResolver` could not resolve. A string containing it is unknown:
 * callers never count it as a match (a principal `*`, a bucket ARN), only as "fixed but unread".
 */
export const OPAQUE = '\u0000unresolved\u0000';

/**
 * A resolver for reading policies leniently: variables and locals as the module resolves them,
 * references the caller can value (`known`, such as a bucket's ARN) by that value, and anything
 * else as `OPAQUE`, so that one reference cloudmend cannot follow (a role ARN in a principal) does
 * not hide the rest of the document. Use as `tfPolicy({ ...module, resolve: lenientResolver(module) }, ...)`.
 */
export function lenientResolver(module: TfModule, known: (path: string) => string | undefined = () => undefined): TfModule['resolve'] {
  return (path) => {
    const value = known(path);
    if (value !== undefined) return { type: 'literal', value };
    return module.resolve(path) ?? { type: 'literal', value: OPAQUE };
  };
}
