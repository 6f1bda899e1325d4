/**
 * KMS.1 (customer managed policies) and KMS.2 (inline policies): no IAM policy allows
 * `kms:Decrypt` or `kms:ReEncryptFrom` on all KMS keys (`Resource: "*"`), the actions the Config
 * rules block by default. Which keys the principals need is only a person's to say, so this skill
 * never edits: it points at the statement. Documents are read as `iam-no-admin-policy` reads them.
 */
import { nodeAt, propertyAt, type CfnResource } from '../../iac/cloudformation/template.js';
import { blocks, type HclBlock } from '../../iac/terraform/hcl-structure.js';
import type { TfResource } from '../../iac/terraform/module.js';
import { labelOf, statementsOf, tfStatements, type Located } from '../iam-no-admin-policy/statements.js';
import { coversAction, type Statement } from '../policy-document.js';
import { defineSkill, type Violation } from '../types.js';

/** The actions both Config rules block unless told otherwise. */
const BLOCKED = ['kms:Decrypt', 'kms:ReEncryptFrom'];

const TF_POLICIES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'];
const CFN_POLICIES = [
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::Policy',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::UserPolicy',
  'AWS::IAM::GroupPolicy',
];
const CFN_HOLDERS = ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'];

/** The blocked actions an `Allow` on every resource grants (through `Action` or `NotAction`). */
function blockedOf(s: Statement): string[] {
  if (s.effect !== 'Allow' || s.principal !== undefined || !s.resources.includes('*')) return [];
  if (s.actions.length > 0) return BLOCKED.filter((a) => coversAction(s.actions, a));
  return s.notActions.length > 0 ? BLOCKED.filter((a) => !coversAction(s.notActions, a)) : [];
}

function violationsOf(resource: string, policy: string, located: readonly Located[], offsetOf: (l: Located) => number): Violation[] {
  return located.flatMap((l): Violation[] => {
    const actions = blockedOf(l.statement);
    if (actions.length === 0) return [];
    const data = { statement: labelOf(l), policy, actions: actions.join(' and ') };
    return [{ messageId: 'decryptAllKeys', data, resource, offset: offsetOf(l), fixable: false, kind: 'violation' }];
  });
}

/** The blocks carrying a `policy` in a Terraform resource: itself, or a role's `inline_policy` blocks. */
function policyBlocks(r: TfResource): { block: HclBlock; name: string }[] {
  if (r.type !== 'aws_iam_role') return [{ block: r.block, name: r.address }];
  return blocks(r.block.body, 'inline_policy').map((b, i) => ({ block: b, name: `inline_policy #${i + 1} of ${r.address}` }));
}

/** The policy documents of a CloudFormation resource: its `PolicyDocument`, or each of its `Policies`. */
function documentsOf(resource: CfnResource): { path: (string | number)[]; name: string }[] {
  if (CFN_POLICIES.includes(resource.type)) return [{ path: ['Properties', 'PolicyDocument'], name: resource.logicalId }];
  const policies = propertyAt(resource, ['Properties', 'Policies']);
  if (!Array.isArray(policies)) return [];
  return policies.map((_, i) => ({
    path: ['Properties', 'Policies', i, 'PolicyDocument'],
    name: `Policies[${i}] of ${resource.logicalId}`,
  }));
}

export default defineSkill({
  meta: {
    id: 'kms-no-decrypt-all-keys',
    title: 'IAM policies do not allow decryption with all KMS keys',
    controls: ['KMS.1', 'KMS.2'],
    configRules: ['iam-customer-policy-blocked-kms-actions', 'iam-inline-policy-blocked-kms-actions'],
    fixable: 'suggestion',
    risk: 'access-change',
    riskNote:
      'Scoping the statement to named keys removes decryption with every other key: list the keys the principals actually use (CloudTrail shows their kms:Decrypt calls) before narrowing it.',
    messages: {
      decryptAllKeys:
        'Statement {{statement}} of {{policy}} allows {{actions}} on all KMS keys (Resource "*"): whoever holds it can decrypt data under any key whose key policy defers to IAM. List the key ARNs the principals need in Resource, or scope the statement with a condition such as kms:ViaService or aws:ResourceTag.',
    },
  },

  terraform: {
    resourceTypes: [...TF_POLICIES, 'aws_iam_role'],
    detect({ module, resource }) {
      return policyBlocks(resource).flatMap(({ block, name }) => {
        const { located, data } = tfStatements(module, block.body, 'policy');
        return violationsOf(resource.address, data ? `${name} (from ${data.address})` : name, located, () => block.span.start);
      });
    },
    fix() {
      return { edits: [] };
    },
  },

  cloudformation: {
    resourceTypes: [...CFN_POLICIES, ...CFN_HOLDERS],
    detect({ resource }) {
      return documentsOf(resource).flatMap(({ path, name }) =>
        violationsOf(
          resource.logicalId,
          name,
          statementsOf(propertyAt(resource, path)),
          (l) => (nodeAt(resource, [...path, 'Statement', l.index]) ?? nodeAt(resource, path))?.range?.[0] ?? resource.span.start,
        ),
      );
    },
    fix() {
      return { edits: [] };
    },
  },
});
