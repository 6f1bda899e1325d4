/**
 * Policy statements as sets of grants, one per (principal, action, resource) they name, so that two
 * versions of a policy compare by what they allow rather than by how they are written: a statement
 * split in two, reordered, or narrowed grants nothing new. A grant is covered by another when the
 * other names the same or a wider principal, action and resource and no condition of its own.
 */
import { coversAction, OPAQUE, type Statement } from '../skills/policy-document.js';

export interface Grant {
  readonly effect: 'Allow' | 'Deny';
  /** `*` for anyone; `''` for none (an identity policy); else `<type>:<id>`. */
  readonly principal: string;
  /** An action pattern, or `NotAction:<sorted list>` for everything else. */
  readonly action: string;
  /** A resource pattern, `NotResource:<sorted list>`, or `''` when the statement names none (a trust policy). */
  readonly resource: string;
  /** The condition as canonical JSON; `''` when there is none. */
  readonly condition: string;
}

/** JSON with object keys and string lists sorted, so equal conditions compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).sort().join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function principalsOf(s: Statement): string[] {
  // Allow with NotPrincipal grants everyone but the principals named.
  if (s.notPrincipal || s.principal === '*') return ['*'];
  if (s.principal === undefined) return [''];
  const ids = Object.entries(s.principal).flatMap(([type, list]) => list.map((id) => (id === '*' ? '*' : `${type}:${id}`)));
  return ids.length > 0 ? ids : ['?'];
}

function patterns(list: readonly string[], not: readonly string[], prefix: string, none: string): string[] {
  if (not.length > 0) return [`${prefix}:${[...not].sort().join(',')}`];
  return list.length > 0 ? [...new Set(list)] : [none];
}

/** The grants of one statement. */
export function grantsOf(s: Statement): Grant[] {
  const condition = Object.keys(s.condition).length > 0 ? canonical(s.condition) : '';
  const actions = patterns(s.actions, s.notActions, 'NotAction', '?');
  const resources = patterns(s.resources, s.notResources, 'NotResource', '');
  return principalsOf(s).flatMap((principal) => actions.flatMap((action) => resources.map((resource) => ({ effect: s.effect, principal, action, resource, condition }))));
}

/** IAM actions that let their holder grant itself more: any policy, any role's trust, new credentials. */
const ESCALATION = [
  'iam:PutUserPolicy', 'iam:PutRolePolicy', 'iam:PutGroupPolicy', 'iam:AttachUserPolicy', 'iam:AttachRolePolicy', 'iam:AttachGroupPolicy',
  'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:UpdateAssumeRolePolicy', 'iam:CreateAccessKey', 'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile', 'iam:AddUserToGroup', 'iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary',
];

/** A reference cloudmend could name but not follow. */
const NAMED = new RegExp(`${OPAQUE}[^\\0]+?${OPAQUE}`, 'g');

/** True for a value read from something cloudmend could not evaluate (not a reference it could name). */
export function unknown(value: string): boolean {
  return value.includes('cloudmend:unknown') || value === '?' || (value.includes(OPAQUE) && !new RegExp(`^(${OPAQUE}[^\0]+${OPAQUE}|[^\0])*$`).test(value));
}

/** Resources that mean every resource of a kind: `*`, `arn:aws:s3:::*`, `arn:aws:iam::123:role/*`; S3 objects (`bucket/*`) are one bucket's. */
function wideResource(r: string): boolean {
  if (r === '*' || r.startsWith('NotResource:') || /^arn:(\*|[^:]*:\*):/.test(r) || /^arn:[^:]*:[^:]*:[^:]*:[^:]*:\*$/.test(r)) return true;
  return !/^arn:[^:]*:s3:/.test(r) && /^arn:[^:]*:[^:]*:[^:]*:[^:]*:[\w-]+[/:]\*$/.test(r);
}

/**
 * What makes an Allow grant wide: a public principal, an action or resource wildcard, an action
 * cloudmend cannot read, IAM actions that escalate privileges, or passing any role.
 */
export function wideness(g: Grant): string[] {
  const reasons: string[] = [];
  if (g.principal === '*') reasons.push('principal *');
  const wildAction = g.action === '*' || /^[^:]*:\*$/.test(g.action) || g.action.startsWith('NotAction:');
  if (wildAction) reasons.push(`action ${g.action}`);
  else if (unknown(g.action) || g.action.includes(OPAQUE)) reasons.push('an action cloudmend cannot read');
  else {
    const escalation = ESCALATION.find((a) => coversAction([g.action], a));
    if (escalation !== undefined) reasons.push(`${g.action} lets its holder grant itself more access`);
    else if (coversAction([g.action], 'iam:PassRole') && g.resource !== '*' && /^arn:[^:]*:iam::[^:]*:role\/(.*\/)?\*$/.test(g.resource)) reasons.push('iam:PassRole on any role');
  }
  if (wideResource(g.resource)) reasons.push(`resource ${g.resource}`);
  else if (unknown(g.resource)) reasons.push('a resource cloudmend cannot read');
  return reasons;
}

function patternCovers(wide: string, narrow: string): boolean {
  if (wide === narrow || wide === '*') return true;
  if (/^Not(Action|Resource):/.test(wide) || /^Not(Action|Resource):/.test(narrow) || wide === '' || narrow === '') return false;
  return coversAction([wide], narrow);
}

/** True when `wide` allows (or denies) at least everything `narrow` does. */
export function covers(wide: Grant, narrow: Grant): boolean {
  return (
    wide.effect === narrow.effect &&
    (wide.principal === narrow.principal || wide.principal === '*') &&
    patternCovers(wide.action, narrow.action) &&
    patternCovers(wide.resource, narrow.resource) &&
    (wide.condition === '' || wide.condition === narrow.condition)
  );
}

/** A value as messages show it: a reference by its name (`${aws_iam_role.ci.arn}`), anything else unread as `${...}`. */
export function shown(value: string): string {
  return value.replace(NAMED, (named) => `\${${named.slice(OPAQUE.length, -OPAQUE.length)}}`).split(OPAQUE).join('${...}');
}

/** `a, b and 3 more`, with references shown by name. */
export function listed(items: readonly string[]): string {
  const names = [...new Set(items)].map(shown);
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}
