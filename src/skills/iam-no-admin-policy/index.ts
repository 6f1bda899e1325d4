/**
 * IAM.1: no policy statement that allows `*` actions on `*` resources. Only a person can say which
 * permissions the principals need, so this skill never edits: it points at the statement and
 * suggests narrowing it.
 */
import { nodeAt, propertyAt, type CfnResource } from '../../iac/cloudformation/template.js';
import { attribute, blocks, type HclBlock } from '../../iac/terraform/hcl-structure.js';
import type { TfFile, TfModule, TfResource } from '../../iac/terraform/module.js';
import { tfString } from '../helpers.js';
import { defineSkill, type Violation } from '../types.js';
import { adminOf, dataSourceStatements, labelOf, statementsOf, tfStatements, type Located } from './statements.js';

const TF_POLICIES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'];
const CFN_POLICIES = [
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::UserPolicy',
  'AWS::IAM::GroupPolicy',
];
const CFN_HOLDERS = ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'];

/** Violations for the admin statements among `located`, in `policy`, each pointed at by `offsetOf`. */
function violationsOf(resource: string, policy: string, located: readonly Located[], offsetOf: (l: Located) => number): Violation[] {
  return located.flatMap((l): Violation[] => {
    const admin = adminOf(l.statement);
    if (!admin) return [];
    const data: Record<string, string> =
      admin.kind === 'action'
        ? { statement: labelOf(l), policy, action: admin.action }
        : { statement: labelOf(l), policy, excluded: admin.excluded, escalation: admin.escalation };
    return [
      {
        messageId: admin.kind === 'action' ? 'adminStatement' : 'notActionStatement',
        data,
        resource,
        offset: offsetOf(l),
        fixable: false,
        kind: 'violation',
      },
    ];
  });
}

/** Where a statement's Sid is written inside a policy attribute, else the attribute itself. */
function sidOffset(file: TfFile, block: HclBlock, name: string, l: Located): number {
  const attr = attribute(block.body, name);
  const start = attr?.span.start ?? block.span.start;
  const at = l.statement.sid ? file.text.indexOf(JSON.stringify(l.statement.sid), start) : -1;
  return at >= 0 && attr && at < attr.span.end ? at : start;
}

/** The blocks with a `policy` a Terraform resource carries: itself, or its `inline_policy` blocks. */
function policyBlocks(module: TfModule, r: TfResource): { block: HclBlock; name: string }[] {
  if (r.type !== 'aws_iam_role') return [{ block: r.block, name: r.address }];
  return blocks(r.block.body, 'inline_policy').map((b, i) => {
    const name = tfString(module, b.body, 'name');
    return { block: b, name: `inline_policy ${name === undefined ? `#${i + 1}` : `"${name}"`} of ${r.address}` };
  });
}

/** Whether a policy resource of the module uses `data` (then the finding is reported there, once). */
function consumed(module: TfModule, data: TfResource): boolean {
  return module.resources.some(
    (r) =>
      r.mode === 'resource' &&
      (TF_POLICIES.includes(r.type) || r.type === 'aws_iam_role') &&
      policyBlocks(module, r).some(({ block }) => tfStatements(module, block.body, 'policy').data?.address === data.address),
  );
}

export default defineSkill({
  meta: {
    id: 'iam-no-admin-policy',
    title: 'IAM: no policy statement grants full administrative access',
    controls: ['IAM.1'],
    configRules: ['iam-policy-no-statements-with-admin-access'],
    fixable: 'suggestion',
    risk: 'access-change',
    riskNote:
      'Narrowing an administrative statement removes permissions its principals may rely on today: base the new Action and Resource lists on their actual activity.',
    messages: {
      adminStatement:
        'Statement {{statement}} of {{policy}} allows every action ({{action}}) on every resource: full administrative access. Narrow Action and Resource to what the principals need; IAM Access Analyzer can generate a policy from their CloudTrail activity.',
      notActionStatement:
        'Statement {{statement}} of {{policy}} allows every action except {{excluded}} on every resource, including {{escalation}}: whoever holds it can grant themselves full access. Replace NotAction with the list of actions the principals need.',
    },
  },

  terraform: {
    resourceTypes: [...TF_POLICIES, 'aws_iam_role', 'data:aws_iam_policy_document'],
    detect({ module, resource }) {
      const { file } = resource;
      if (resource.mode === 'data') {
        if (consumed(module, resource)) return [];
        const statementBlocks = blocks(resource.block.body, 'statement');
        return violationsOf(
          resource.address,
          resource.address,
          dataSourceStatements(module, resource),
          (l) => statementBlocks[l.index]?.span.start ?? resource.block.span.start,
        );
      }
      return policyBlocks(module, resource).flatMap(({ block, name }) => {
        const { located, data } = tfStatements(module, block.body, 'policy');
        return violationsOf(resource.address, data ? `${name} (from ${data.address})` : name, located, (l) =>
          sidOffset(file, block, 'policy', l),
        );
      });
    },
    fix() {
      return { edits: [] };
    },
  },

  cloudformation: {
    resourceTypes: [...CFN_POLICIES, ...CFN_HOLDERS],
    detect({ resource }) {
      return documentsOf(resource).flatMap(({ path, name }) => {
        const offsetOf = (l: Located): number =>
          (nodeAt(resource, [...path, 'Statement', l.index]) ?? nodeAt(resource, [...path, 'Statement']) ?? nodeAt(resource, path))
            ?.range?.[0] ?? resource.span.start;
        return violationsOf(resource.logicalId, name, statementsOf(propertyAt(resource, path)), offsetOf);
      });
    },
    fix() {
      return { edits: [] };
    },
  },
});

/** The policy documents of a CloudFormation resource: its `PolicyDocument`, or each of its `Policies`. */
function documentsOf(resource: CfnResource): { path: (string | number)[]; name: string }[] {
  if (CFN_POLICIES.includes(resource.type)) return [{ path: ['Properties', 'PolicyDocument'], name: resource.logicalId }];
  const policies = propertyAt(resource, ['Properties', 'Policies']);
  if (!Array.isArray(policies)) return [];
  return policies.map((p, i) => {
    const policyName =
      p && typeof p === 'object' && !Array.isArray(p) && typeof p.PolicyName === 'string' ? `policy ${p.PolicyName}` : `Policies[${i}]`;
    return { path: ['Properties', 'Policies', i, 'PolicyDocument'], name: `${policyName} of ${resource.logicalId}` };
  });
}
