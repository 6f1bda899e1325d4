/**
 * `widened-iam`: every policy document of the module or template (identity, trust and resource
 * policies, inline or managed, `aws_iam_policy_document` data sources) is reduced to grants per
 * resource (`policies.ts`). An Allow grant that no grant of the same resource covered before is a
 * widening when it is wide (public principal, `*` or `service:*` action, `*` resource, `NotAction`
 * or `NotResource`, an IAM action that escalates privileges, `iam:PassRole` on any role, an action
 * cloudmend cannot read) or when it names a principal (a trust or resource policy letting in an
 * account, role, service or federated principal it did not let in before); so is a Deny that no
 * longer holds, and a policy, or a statement of one, that cloudmend cannot read. Access granted
 * outside policy documents counts too: public canned ACLs and grants to the AllUsers /
 * AuthenticatedUsers groups, function URLs open to anyone, attached AWS managed policies with full
 * access, and the principals, attachments and scopes of `shares.ts`.
 */
import { readHclValue, staticValue } from '../iac/terraform/hcl-expr.js';
import { lenientResolver } from '../skills/policy-document.js';
import { publicGroup, PUBLIC_CANNED_ACLS } from '../skills/s3-public-access-controls/public.js';
import { openEndpoints } from './endpoints.js';
import { added, cfnEntries, tfEntries, violation, type Fact } from './facts.js';
import { covers, listed, wideness, type Grant } from './grants.js';
import { policiesOf, type Granted } from './policies.js';
import { FULL_ACCESS, shareChanges } from './shares.js';
import type { Side } from './side.js';
import type { GuardrailViolation } from './types.js';

function describe(grants: readonly Grant[]): string {
  const principals = grants.map((g) => g.principal).filter((p) => p !== '');
  const resources = grants.map((g) => g.resource).filter((r) => r !== '');
  return `${listed(grants.map((g) => g.action))}${resources.length > 0 ? ` on ${listed(resources)}` : ''}${principals.length > 0 ? ` for principal ${listed(principals)}` : ''}`;
}

/** Why a fresh Allow grant widens access: its wideness, or the principal it names. */
function reasons(g: Grant, was: readonly Grant[]): string[] {
  const wide = wideness(g);
  if (g.principal === '' || g.principal === '*') return wide;
  const known = was.some((b) => b.effect === 'Allow' && b.principal === g.principal);
  return [...wide, known ? `more access for principal ${listed([g.principal])}` : `new principal ${listed([g.principal])}`];
}

function grantChanges(before: readonly Granted[], after: readonly Granted[]): GuardrailViolation[] {
  const byHolder = (list: readonly Granted[], key: string): Grant[] => list.filter((s) => s.holder.key === key).flatMap((s) => s.grants);
  const widened = after.flatMap((s) => {
    const was = byHolder(before, s.holder.key);
    const fresh = s.grants.filter((g) => g.effect === 'Allow' && !was.some((b) => covers(b, g)) && reasons(g, was).length > 0);
    if (fresh.length === 0) return [];
    const why = [...new Set(fresh.flatMap((g) => reasons(g, was)))].join(', ');
    const conditioned = fresh.every((g) => g.condition !== '') ? ' (under a condition)' : '';
    return [violation('widened-iam', s.holder.file, `${s.holder.id} gains Allow of ${describe(fresh)}${conditioned} in statement ${s.label}${s.where} (${why})`)];
  });
  const dropped = before.flatMap((s) => {
    const now = byHolder(after, s.holder.key);
    const lost = s.grants.filter((g) => g.effect === 'Deny' && !now.some((a) => covers(a, g)));
    if (lost.length === 0) return [];
    const file = after.find((a) => a.holder.key === s.holder.key)?.holder.file ?? s.holder.file;
    return [violation('widened-iam', file, `${s.holder.id} no longer denies ${describe(lost)} (statement ${s.label}${s.where} before the patch)`)];
  });
  return [...widened, ...dropped];
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  return value !== null && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];
}

/** Access one setting grants outside policy documents, as the fact's key and sentence. */
function exposure(type: string, name: string, path: string, value: unknown): { key: string; says: string }[] {
  const out: { key: string; says: string }[] = [];
  if ((name === 'acl' || name === 'AccessControl') && typeof value === 'string' && PUBLIC_CANNED_ACLS[value]) out.push({ key: `acl ${value}`, says: `gets the public canned ACL ${value} (${path})` });
  for (const s of strings(value)) {
    const group = publicGroup(s);
    if (group) out.push({ key: `grantee ${group}`, says: `grants access to ${group} (${path})` });
    const managed = FULL_ACCESS.exec(s)?.[1];
    if (managed) out.push({ key: `managed ${managed}`, says: `attaches the AWS managed policy ${managed} (${path})` });
  }
  // URLs say it in their own top-level arguments; an AuthType inside something else is not theirs.
  if (path === name && /lambda_function_url|Lambda::Url/.test(type) && /^(authorization_type|AuthType)$/.test(name) && value === 'NONE') out.push({ key: 'public url', says: `makes the function URL public (${path} NONE)` });
  return out;
}

function exposures(side: Side): Fact[] {
  if (side.kind === 'cloudformation') {
    return cfnEntries(side).flatMap((e) => exposure(e.resource.type, e.name, e.path, e.value).map(({ key, says }) => ({ holder: e.holder, key, message: `${e.holder.id} ${says}` })));
  }
  const resolve = lenientResolver(side.module);
  return tfEntries(side.module).flatMap((e) => {
    const value = staticValue(readHclValue(e.attr.expr), resolve);
    return exposure(e.resource.type, e.attr.name, e.path, value).map(({ key, says }) => ({ holder: e.holder, key, message: `${e.holder.id} ${says}` }));
  });
}

/** Access the patch grants that was not granted before. */
export function widenedIam(before: Side, after: Side): GuardrailViolation[] {
  const [was, is] = [policiesOf(before), policiesOf(after)];
  return [
    ...grantChanges(was.granted, is.granted),
    ...added('widened-iam', was.unreadable, is.unreadable),
    ...added('widened-iam', exposures(before), exposures(after)),
    ...shareChanges(before, after),
    ...openEndpoints(before, after),
  ];
}
