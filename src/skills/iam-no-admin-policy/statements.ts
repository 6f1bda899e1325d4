/**
 * Policy statements one at a time, and which of them grant administrative access. A policy that
 * is only partly static (a `jsonencode` or heredoc with references to other resources) still has
 * statements cloudmend can read: those are checked and the rest skipped, so one dynamic ARN does
 * not hide an `Action: "*"` next to it.
 */
import { readHclValue, staticValue, type HclValue, type Resolver } from '../../iac/terraform/hcl-expr.js';
import { attribute, blocks, type HclBody } from '../../iac/terraform/hcl-structure.js';
import type { TfModule, TfResource } from '../../iac/terraform/module.js';
import { coversAction, parsePolicy, policyFromDataSource, tfPolicy, type Statement } from '../policy-document.js';

/** A statement and its position in the policy's `Statement` list. */
export interface Located {
  readonly statement: Statement;
  readonly index: number;
}

/** Stands for a value cloudmend cannot evaluate: never `*`, never a valid `Effect`. */
const UNKNOWN = Object.freeze({ 'cloudmend:unknown': true });
// A private-use character: JSON allows it unescaped in strings, and no policy contains it.
const MARK = '\uE000';

/** Statements of a JSON policy value or text, each read on its own; unreadable ones are left out. */
export function statementsOf(doc: unknown): Located[] {
  const whole = parsePolicy(doc);
  if (whole) return whole.statements.map((statement, index) => ({ statement, index }));
  let value = doc;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return [];
    }
  }
  const raw = value && typeof value === 'object' && !Array.isArray(value) ? (value as { Statement?: unknown }).Statement : undefined;
  const items = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return items.flatMap((item: unknown, index) => {
    const statement = parsePolicy({ Statement: [item] })?.statements[0];
    return statement ? [{ statement, index }] : [];
  });
}

function unmark(value: unknown): unknown {
  if (typeof value === 'string') return value.includes(MARK) ? UNKNOWN : value;
  if (Array.isArray(value)) return value.map(unmark);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unmark(v)]));
  return value;
}

/** An interpolated value's text, or the mark for one that is unknown (or not a scalar). */
function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : MARK;
}

/**
 * An HCL policy expression as a JSON-like value, with what cannot be evaluated replaced by
 * `UNKNOWN`: `jsonencode({...})` gives its object; a heredoc or string with interpolations is read
 * as JSON with each unknown interpolation standing for an unknown string.
 */
function looseValue(value: HclValue, resolve: Resolver, depth = 0): unknown {
  if (depth > 20) return UNKNOWN;
  if (value.type === 'call') {
    const [arg] = value.args;
    return value.name === 'jsonencode' && arg && value.args.length === 1 ? looseValue(arg, resolve, depth + 1) : UNKNOWN;
  }
  const known = staticValue(value, resolve);
  if (known !== undefined) return known;
  switch (value.type) {
    case 'tuple':
      return value.items.map((i) => looseValue(i, resolve, depth + 1));
    case 'object':
      return Object.fromEntries(value.entries.map((e) => [e.key, looseValue(e.value, resolve, depth + 1)]));
    case 'reference': {
      const target = resolve(value.path);
      return target ? looseValue(target, resolve, depth + 1) : UNKNOWN;
    }
    case 'template': {
      const text = value.parts.map((p) => (typeof p === 'string' ? p : scalarText(staticValue(p, resolve)))).join('');
      try {
        return unmark(JSON.parse(text));
      } catch {
        return UNKNOWN;
      }
    }
    default:
      return UNKNOWN;
  }
}

/** The readable statements of a Terraform `policy`-like attribute, and the data source it uses, if any. */
export function tfStatements(module: TfModule, body: HclBody, name: string): { located: Located[]; data?: TfResource } {
  const policy = tfPolicy(module, body, name);
  const attr = attribute(body, name);
  if (!policy || !attr) return { located: [] };
  if (policy.form === 'static') return { located: policy.document.statements.map((statement, index) => ({ statement, index })) };
  if (policy.form === 'data-source') return { located: dataSourceStatements(module, policy.data), data: policy.data };
  return { located: statementsOf(looseValue(readHclValue(attr.expr), module.resolve)) };
}

/** The statements of a policy document data source; one whose `effect` is not static is left out. */
export function dataSourceStatements(module: TfModule, data: TfResource): Located[] {
  const statementBlocks = blocks(data.block.body, 'statement');
  return policyFromDataSource(module, data)
    .statements.map((statement, index) => ({ statement, index }))
    .filter(({ index }) => {
      const effect = attribute(statementBlocks[index]?.body ?? { items: [] }, 'effect');
      return !effect || typeof staticValue(readHclValue(effect.expr), module.resolve) === 'string';
    });
}

/** IAM actions that let their holder grant itself any permission. */
const ESCALATION = [
  'iam:PutUserPolicy',
  'iam:PutRolePolicy',
  'iam:PutGroupPolicy',
  'iam:AttachUserPolicy',
  'iam:AttachRolePolicy',
  'iam:AttachGroupPolicy',
  'iam:CreatePolicyVersion',
];

/** Why a statement is administrative: `*` itself, or a `NotAction` that leaves an escalation path. */
export type Admin =
  | { readonly kind: 'action'; readonly action: string }
  | { readonly kind: 'notAction'; readonly excluded: string; readonly escalation: string };

/**
 * Whether a statement grants administrative access. `Allow` of `*` (or `*:*`) on resource `*` is
 * what the control flags. `Allow` with `NotAction` on `*` grants every other action: it is
 * reported too when the exceptions leave an IAM action that lets the holder grant itself `*`
 * (so PowerUserAccess-style policies that exclude `iam:*` are not). Statements with a principal
 * belong to resource policies and are not identity permissions.
 */
export function adminOf(s: Statement): Admin | undefined {
  if (s.effect !== 'Allow' || s.principal !== undefined || !s.resources.includes('*')) return undefined;
  const action = s.actions.find((a) => a === '*' || a === '*:*');
  if (action !== undefined) return { kind: 'action', action };
  // An exception cloudmend cannot read (a reference, an intrinsic) might be `iam:*`.
  if (s.actions.length > 0 || s.notActions.length === 0 || s.notActions.some((a) => !/^[\w*?:-]+$/.test(a))) return undefined;
  const escalation = ESCALATION.find((a) => !coversAction(s.notActions, a));
  return escalation === undefined ? undefined : { kind: 'notAction', excluded: s.notActions.join(', '), escalation };
}

/** How people find a statement: its Sid, else its position. */
export function labelOf({ statement, index }: Located): string {
  return statement.sid ? `"${statement.sid}"` : `#${index + 1}`;
}
