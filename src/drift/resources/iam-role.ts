/**
 * IAM roles: trust policy, attached managed policies, inline policies, maximum session duration,
 * permissions boundary, description and tags. Attachments and inline policies declared on sibling
 * resources (`aws_iam_role_policy_attachment`, `aws_iam_role_policy`, `AWS::IAM::Policy` with
 * `Roles`) count as declared. A managed policy attached live only is drift even when the code
 * attaches none: it grants access nobody reviewed.
 */
import type { Declaration } from '../declaration.js';
import { hintFor } from '../hints.js';
import type { ConfigItem } from '../item.js';
import { isList, isObject, isUnknown, listOf, pick, textOf, Unknown, type Partial } from '../partial.js';
import { MapFact, type DriftType, type Fact, type Spec } from '../types.js';
import { declaredTags, higherIsWeaker, liveTags, put, TAGS_SPEC, toNumber } from './common.js';

const specs: Spec[] = [
  { kind: 'policy', path: 'assumeRolePolicy', label: 'trust policy' },
  {
    kind: 'set',
    path: 'managedPolicyArns',
    label: 'attached managed policy',
    itemLabel: textOf,
    category: () => 'iam',
    weakens: (_item, change) => change === 'added',
    undeclared: () => true,
  },
  { kind: 'policies', path: 'inlinePolicies', label: 'inline policy' },
  {
    kind: 'scalar',
    path: 'maxSessionDuration',
    label: 'maximum session duration (seconds)',
    category: 'iam',
    normalize: toNumber,
    weakens: higherIsWeaker,
  },
  {
    kind: 'scalar',
    path: 'permissionsBoundary',
    label: 'permissions boundary',
    category: 'iam',
    weakens: (declared, live) => typeof declared === 'string' && live === null,
  },
  { kind: 'scalar', path: 'description', label: 'role description' },
  TAGS_SPEC,
];

/** Managed policy ARNs from the role and its attachment siblings; undefined when nothing declares any. */
function arnSet(own: Partial | undefined, attached: readonly Partial[]): Partial | undefined {
  if (own === undefined && attached.length === 0) return undefined;
  const list = listOf(own);
  if (isUnknown(list)) return list;
  return [...(list ?? []), ...attached];
}

/** Inline policies by name; a name cloudmend cannot read makes the set open. */
function policyMap(entries: readonly (readonly [Partial | undefined, Partial | undefined])[], declared: boolean): Fact {
  if (!declared) return undefined;
  const out: Record<string, Partial> = {};
  let open = false;
  for (const [name, doc] of entries) {
    if (typeof name === 'string' && doc !== undefined) out[name] = doc;
    else if (name !== undefined || doc !== undefined) open = true;
  }
  return new MapFact(out, open);
}

function terraform(d: Declaration): Record<string, Fact> {
  const facts: Record<string, Fact> = {};
  put(facts, 'assumeRolePolicy', d.props.assume_role_policy);
  const attachments = [...d.siblings(['aws_iam_role_policy_attachment'], 'role'), ...d.siblings(['aws_iam_policy_attachment'], 'roles')];
  put(
    facts,
    'managedPolicyArns',
    arnSet(
      d.props.managed_policy_arns,
      attachments.map((a) => pick(a.props, 'policy_arn') ?? new Unknown(`${a.address}.policy_arn`)),
    ),
  );
  const blocks = listOf(d.props.inline_policy);
  const siblings = d.siblings(['aws_iam_role_policy'], 'role');
  if (isUnknown(blocks)) put(facts, 'inlinePolicies', blocks);
  else {
    const entries = [
      ...(blocks ?? []).map((b) => [pick(b, 'name'), pick(b, 'policy')] as const),
      ...siblings.map((s) => [pick(s.props, 'name'), pick(s.props, 'policy')] as const),
    ];
    // An empty `inline_policy {}` block is Terraform's way of declaring "no inline policies".
    put(facts, 'inlinePolicies', policyMap(entries, blocks !== undefined || siblings.length > 0));
  }
  put(facts, 'maxSessionDuration', d.props.max_session_duration);
  put(facts, 'permissionsBoundary', d.props.permissions_boundary);
  put(facts, 'description', d.props.description);
  put(facts, 'tags', declaredTags(d));
  return facts;
}

function cloudformation(d: Declaration): Record<string, Fact> {
  const facts: Record<string, Fact> = {};
  put(facts, 'assumeRolePolicy', d.props.AssumeRolePolicyDocument);
  // A managed policy naming this role in `Roles` is attached to it; its ARN ends in its name.
  const managed = d
    .siblings(['AWS::IAM::ManagedPolicy'], 'Roles')
    .map(
      (m) => hintFor('AWS::IAM::ManagedPolicy', 'Ref', (n) => pick(m.props, n), `!Ref ${m.address}`) ?? new Unknown(`!Ref ${m.address}`),
    );
  put(facts, 'managedPolicyArns', arnSet(d.props.ManagedPolicyArns, managed));
  const own = listOf(d.props.Policies);
  const siblings = [...d.siblings(['AWS::IAM::Policy'], 'Roles'), ...d.siblings(['AWS::IAM::RolePolicy'], 'RoleName')];
  if (isUnknown(own)) put(facts, 'inlinePolicies', own);
  else {
    const entries = [...(own ?? []), ...siblings.map((s) => s.props)].map(
      (p) => [isObject(p) ? p.PolicyName : p, isObject(p) ? p.PolicyDocument : undefined] as const,
    );
    put(facts, 'inlinePolicies', policyMap(entries, own !== undefined || siblings.length > 0));
  }
  put(facts, 'maxSessionDuration', d.props.MaxSessionDuration);
  put(facts, 'permissionsBoundary', d.props.PermissionsBoundary);
  put(facts, 'description', d.props.Description);
  put(facts, 'tags', declaredTags(d));
  return facts;
}

function live(item: ConfigItem): Record<string, Fact> {
  const c = item.configuration;
  const facts: Record<string, Fact> = { tags: liveTags(item) };
  put(facts, 'assumeRolePolicy', pick(c, 'assumeRolePolicyDocument'));
  const attached = listOf(pick(c, 'attachedManagedPolicies'));
  if (isList(attached)) facts.managedPolicyArns = attached.map((p) => pick(p, 'policyArn') ?? null);
  const inline = listOf(pick(c, 'rolePolicyList'));
  if (isList(inline)) {
    const entries: Record<string, Partial> = {};
    for (const p of inline) {
      const name = pick(p, 'policyName');
      if (typeof name === 'string') entries[name] = pick(p, 'policyDocument') ?? null;
    }
    facts.inlinePolicies = new MapFact(entries);
  }
  put(facts, 'maxSessionDuration', pick(c, 'maxSessionDuration'));
  // `permissionsBoundary: null` is recorded as "no boundary"; a missing key says nothing.
  const boundary = pick(c, 'permissionsBoundary');
  put(facts, 'permissionsBoundary', boundary === null ? null : pick(boundary, 'permissionsBoundaryArn'));
  put(facts, 'description', pick(c, 'description'));
  return facts;
}

export const iamRole: DriftType = {
  configType: 'AWS::IAM::Role',
  terraform: ['aws_iam_role'],
  cloudformation: ['AWS::IAM::Role'],
  specs,
  declared: (d) => (d.kind === 'terraform' ? terraform(d) : cloudformation(d)),
  live,
};
