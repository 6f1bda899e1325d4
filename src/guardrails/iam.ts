/**
 * `widened-iam`: every policy document (`policies.ts`) reduced to grants per resource. An Allow
 * grant (or one whose effect cloudmend cannot read) that no grant of the same resource covered
 * before is a widening when it is wide — a public principal, an action pattern that matches every
 * action of a service in any spelling (`*`, `s3:*`, `s3:**`, `s3:?*`), a resource pattern that
 * matches every resource of a kind (`*`, `arn:*`, `arn:aws:s3:::?*`, `role/*`, `secret:?*`),
 * `NotAction` / `NotResource`, an action that escalates privileges, `iam:PassRole` on any role, an
 * action or resource cloudmend cannot read — or when it names an account, role, user or federated
 * principal the resource did not let in before (AWS service principals are how roles work and do
 * not count). A Deny that no longer holds, and a policy or statement cloudmend cannot read, are
 * widenings too. Access granted outside policy documents is in `shares.ts`.
 */
import { ESCALATION, patternCovers, patternMatches, UNREAD, wideAction, wideResource } from '../iac/iam-policy.js';
import { refsIn } from '../iac/values.js';
import { added, violation } from './facts.js';
import { policiesOf, type Grant, type Granted } from './policies.js';
import { shareChanges } from './shares.js';
import type { Side } from './side.js';
import type { GuardrailViolation } from './types.js';

/** A value as messages show it: references by name. */
function shown(value: string): string {
  let out = value;
  for (const name of refsIn(value)) out = out.replace(`\u0000${name}\u0000`, `\${${name}}`);
  return out;
}

function listed(items: readonly string[]): string {
  const names = [...new Set(items)].map(shown);
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/** What makes an Allow grant wide. */
export function wideness(g: Grant): string[] {
  const reasons: string[] = [];
  if (g.effect === '?') reasons.push('an effect cloudmend cannot read');
  if (g.principal === '*' || g.principal.endsWith(':*') || (g.principal.includes('*') && g.principal !== ''))
    reasons.push(`principal ${shown(g.principal)}`);
  else if (g.principal.includes(UNREAD)) reasons.push('a principal cloudmend cannot read');
  if (g.action === UNREAD || g.action.includes(UNREAD)) reasons.push('an action cloudmend cannot read');
  else if (g.action.startsWith('NotAction:') || wideAction(g.action)) reasons.push(`action ${g.action}`);
  else {
    const escalation = ESCALATION.find((a) => patternMatches(g.action, a, true));
    if (escalation !== undefined) reasons.push(`${g.action} lets its holder grant itself more access`);
    else if (
      patternMatches(g.action, 'iam:PassRole', true) &&
      (g.resource === '' || wideResource(g.resource) || /:role\/[*?]+$/.test(g.resource))
    )
      reasons.push('iam:PassRole on any role');
  }
  if (g.resource.startsWith('NotResource:')) reasons.push(`resource ${g.resource}`);
  else if (g.resource !== '' && (g.resource.includes(UNREAD) || wideResource(g.resource)))
    reasons.push(g.resource.includes(UNREAD) ? 'a resource cloudmend cannot read' : `resource ${shown(g.resource)}`);
  return reasons;
}

/** True when `wide` grants at least what `narrow` does, conditions aside. */
function coversUnconditioned(wide: Grant, narrow: Grant): boolean {
  return covers({ ...wide, condition: '' }, { ...narrow, condition: '' });
}

function covers(wide: Grant, narrow: Grant): boolean {
  const pattern = (w: string, n: string, ignoreCase: boolean): boolean => {
    if (w === n) return true;
    if (/^Not(Action|Resource):/.test(w) || /^Not(Action|Resource):/.test(n) || w === '' || n === '') return false;
    return patternCovers(w, n, ignoreCase);
  };
  return (
    wide.effect === narrow.effect &&
    (wide.principal === narrow.principal || wide.principal === '*') &&
    pattern(wide.action, narrow.action, true) &&
    pattern(wide.resource, narrow.resource, false) &&
    (wide.condition === '' || wide.condition === narrow.condition)
  );
}

/** True for a principal a trust policy names to let a service assume the role: not new access for a person or account. */
function isService(principal: string): boolean {
  return /^Service:[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(principal);
}

function reasons(g: Grant, was: readonly Grant[], existed: boolean): string[] {
  // A grant that was there under a condition, now without it (or under another), is wider.
  const loosened = was.find((b) => b.effect === 'Allow' && b.condition !== '' && b.condition !== g.condition && coversUnconditioned(b, g));
  const wide = [
    ...wideness(g),
    ...(loosened ? [`its condition ${loosened.condition} is ${g.condition === '' ? 'dropped' : 'changed'}`] : []),
  ];
  // A new role trusting a service is how roles work; an existing one trusting another service is new access.
  if (g.principal === '' || g.principal === '*' || wide.some((w) => w.startsWith('principal')) || (isService(g.principal) && !existed))
    return wide;
  const known = was.some((b) => b.effect === 'Allow' && b.principal === g.principal);
  return [...wide, known ? `more access for principal ${shown(g.principal)}` : `new principal ${shown(g.principal)}`];
}

function describe(grants: readonly Grant[]): string {
  const principals = grants.map((g) => g.principal).filter((p) => p !== '');
  const resources = grants.map((g) => g.resource).filter((r) => r !== '');
  return `${listed(grants.map((g) => g.action))}${resources.length > 0 ? ` on ${listed(resources)}` : ''}${principals.length > 0 ? ` for principal ${listed(principals)}` : ''}`;
}

function grantChanges(before: readonly Granted[], after: readonly Granted[], existed: ReadonlySet<string>): GuardrailViolation[] {
  const byHolder = (list: readonly Granted[], key: string): Grant[] => list.filter((s) => s.holder.key === key).flatMap((s) => s.grants);
  const widened = after.flatMap((s) => {
    const was = byHolder(before, s.holder.key);
    const old = existed.has(s.holder.key);
    const fresh = s.grants.filter((g) => g.effect !== 'Deny' && !was.some((b) => covers(b, g)) && reasons(g, was, old).length > 0);
    if (fresh.length === 0) return [];
    const why = [...new Set(fresh.flatMap((g) => reasons(g, was, old)))].join(', ');
    const conditioned = fresh.every((g) => g.condition !== '') ? ' (under a condition)' : '';
    return [
      violation(
        'widened-iam',
        s.holder.file,
        `${s.holder.id} gains Allow of ${describe(fresh)}${conditioned} in statement ${s.label}${s.where} (${why})`,
        s.line,
      ),
    ];
  });
  const dropped = before.flatMap((s) => {
    const now = byHolder(after, s.holder.key);
    const lost = s.grants.filter((g) => g.effect === 'Deny' && !now.some((a) => covers(a, g)));
    if (lost.length === 0) return [];
    const where = after.find((a) => a.holder.key === s.holder.key);
    return [
      violation(
        'widened-iam',
        where?.holder.file ?? s.holder.file,
        `${s.holder.id} no longer denies ${describe(lost)} (statement ${s.label}${s.where} before the patch)`,
        where?.line ?? s.line,
      ),
    ];
  });
  return [...widened, ...dropped];
}

/** Access the patch grants that was not granted before. */
export function widenedIam(before: Side, after: Side): GuardrailViolation[] {
  const [was, is] = [policiesOf(before), policiesOf(after)];
  const existed = new Set(before.resources.map((r) => r.key));
  return [
    ...grantChanges(was.granted, is.granted, existed),
    ...added('widened-iam', was.unreadable, is.unreadable),
    ...shareChanges(before, after),
  ];
}
