/**
 * `widened-iam`: every policy document of the module or template (identity, trust and resource
 * policies, inline or managed, `aws_iam_policy_document` data sources), read leniently so that one
 * reference cloudmend cannot follow does not hide the rest, is reduced to grants per resource. An
 * Allow grant that is wide (public principal, `*` or `service:*` action, `*` resource) and that no
 * grant of the same resource covered before is a widening, and so is a Deny that no longer holds.
 * Access granted outside policy documents counts too: public canned ACLs and grants to the
 * AllUsers / AuthenticatedUsers groups, Lambda permissions and function URLs open to anyone, and
 * attached AWS managed policies with full access.
 */
import { readHclValue, staticValue } from '../iac/terraform/hcl-expr.js';
import { attribute } from '../iac/terraform/hcl-structure.js';
import type { TfModule } from '../iac/terraform/module.js';
import { propertyAt } from '../iac/cloudformation/template.js';
import { dataSourceStatements, labelOf, statementsOf, tfStatements, type Located } from '../skills/iam-no-admin-policy/statements.js';
import { lenientResolver } from '../skills/policy-document.js';
import { publicGroup, PUBLIC_CANNED_ACLS } from '../skills/s3-public-access-controls/public.js';
import { added, cfnEntries, tfEntries, violation, type Fact } from './facts.js';
import { covers, grantsOf, listed, wideness, type Grant } from './grants.js';
import { tfHolder, type Holder, type Side } from './side.js';
import type { GuardrailViolation } from './types.js';

/** The grants of one statement and where it is written. */
interface Granted {
  readonly holder: Holder;
  /** ` of assume_role_policy`, ` of Policies[0].PolicyDocument`. */
  readonly where: string;
  readonly label: string;
  readonly grants: readonly Grant[];
}

function granted(holder: Holder, where: string, located: readonly Located[]): Granted[] {
  return located.map((l) => ({ holder, where: where === '' ? '' : ` of ${where}`, label: labelOf(l), grants: grantsOf(l.statement) }));
}

function tfGranted(module: TfModule): Granted[] {
  const lenient: TfModule = { ...module, resolve: lenientResolver(module) };
  const used = new Set<string>();
  const out: Granted[] = [];
  for (const e of tfEntries(module)) {
    if (e.resource.mode === 'data' && e.resource.type === 'aws_iam_policy_document') continue;
    const { located, data } = tfStatements(lenient, e.body, e.attr.name);
    if (data) used.add(data.address);
    out.push(...granted(e.holder, data ? `${e.path} (from ${data.address})` : e.path, located));
  }
  // A document that no resource uses here is judged on its own (a module output, a future use).
  for (const r of module.resources) {
    if (r.mode === 'data' && r.type === 'aws_iam_policy_document' && !used.has(r.address)) out.push(...granted(tfHolder(r), '', dataSourceStatements(lenient, r)));
  }
  return out;
}

function grantedOf(side: Side): Granted[] {
  if (side.kind === 'terraform') return tfGranted(side.module);
  return cfnEntries(side).flatMap((e) => (e.value !== null && typeof e.value === 'object' && !Array.isArray(e.value) && 'Statement' in e.value ? granted(e.holder, e.path, statementsOf(e.value)) : []));
}

function describe(grants: readonly Grant[]): string {
  const principals = grants.map((g) => g.principal).filter((p) => p !== '');
  const resources = grants.map((g) => g.resource).filter((r) => r !== '');
  return `${listed(grants.map((g) => g.action))}${resources.length > 0 ? ` on ${listed(resources)}` : ''}${principals.length > 0 ? ` for principal ${listed(principals)}` : ''}`;
}

function grantChanges(before: readonly Granted[], after: readonly Granted[]): GuardrailViolation[] {
  const byHolder = (list: readonly Granted[], key: string): Grant[] => list.filter((s) => s.holder.key === key).flatMap((s) => s.grants);
  const widened = after.flatMap((s) => {
    const was = byHolder(before, s.holder.key);
    const fresh = s.grants.filter((g) => g.effect === 'Allow' && wideness(g).length > 0 && !was.some((b) => covers(b, g)));
    if (fresh.length === 0) return [];
    const why = [...new Set(fresh.flatMap(wideness))].join(', ');
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

/** AWS managed policies that allow `*`, or `service:*` on `*`. */
const FULL_ACCESS = /^arn:[^:]*:iam::aws:policy\/(?:[\w+=,.@-]+\/)*(AdministratorAccess|PowerUserAccess|\w*FullAccess)$/;

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  return value !== null && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];
}

/** Access one setting grants outside policy documents, as the fact's key and sentence. */
function exposure(type: string, name: string, path: string, value: unknown, has: (name: string) => boolean): { key: string; says: string }[] {
  const out: { key: string; says: string }[] = [];
  if ((name === 'acl' || name === 'AccessControl') && typeof value === 'string' && PUBLIC_CANNED_ACLS[value]) out.push({ key: `acl ${value}`, says: `gets the public canned ACL ${value} (${path})` });
  for (const s of strings(value)) {
    const group = publicGroup(s);
    if (group) out.push({ key: `grantee ${group}`, says: `grants access to ${group} (${path})` });
    const managed = FULL_ACCESS.exec(s)?.[1];
    if (managed) out.push({ key: `managed ${managed}`, says: `attaches the AWS managed policy ${managed} (${path})` });
  }
  // Permissions and URLs say it in their own top-level arguments; a Principal inside a policy is a grant.
  if (path !== name) return out;
  if (/lambda/i.test(type) && /^principal$/i.test(name) && value === '*' && !['principal_org_id', 'PrincipalOrgID', 'organization_id', 'OrganizationId'].some(has)) {
    out.push({ key: 'public invoke', says: `lets anyone invoke the function (${path} "*")` });
  }
  if (/lambda_function_url|Lambda::Url/.test(type) && /^(authorization_type|AuthType)$/.test(name) && value === 'NONE') out.push({ key: 'public url', says: `makes the function URL public (${path} NONE)` });
  return out;
}

function exposures(side: Side): Fact[] {
  if (side.kind === 'cloudformation') {
    return cfnEntries(side).flatMap((e) => {
      const has = (name: string): boolean => propertyAt(e.resource, ['Properties', name]) !== undefined;
      return exposure(e.resource.type, e.name, e.path, e.value, has).map(({ key, says }) => ({ holder: e.holder, key, message: `${e.holder.id} ${says}` }));
    });
  }
  const resolve = lenientResolver(side.module);
  return tfEntries(side.module).flatMap((e) => {
    const value = staticValue(readHclValue(e.attr.expr), resolve);
    const has = (name: string): boolean => attribute(e.body, name) !== undefined;
    return exposure(e.resource.type, e.attr.name, e.path, value, has).map(({ key, says }) => ({ holder: e.holder, key, message: `${e.holder.id} ${says}` }));
  });
}

/** Access the patch grants that was not granted before. */
export function widenedIam(before: Side, after: Side): GuardrailViolation[] {
  return [...grantChanges(grantedOf(before), grantedOf(after)), ...added('widened-iam', exposures(before), exposures(after))];
}
