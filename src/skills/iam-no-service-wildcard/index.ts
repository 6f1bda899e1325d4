/**
 * IAM.21: customer managed policies do not allow every action of a service (`s3:*`). A prefix
 * with a wildcard (`ec2:Describe*`) is accepted, and `*` alone is IAM.1's. The Config rule reads
 * customer managed policies only (not inline ones), and Security Hub leaves out permissions
 * boundaries. Only a person can say which actions the principals need: this skill never edits.
 */
import { nodeAt, propertyAt, refersToResource, type CfnResource, type CfnTemplate } from '../../iac/cloudformation/template.js';
import { attribute } from '../../iac/terraform/hcl-structure.js';
import { attrExpr, refersTo, type TfModule, type TfResource } from '../../iac/terraform/module.js';
import { labelOf, statementsOf, tfStatements, type Located } from '../iam-no-admin-policy/statements.js';
import { defineSkill, type Violation } from '../types.js';

/** `service:*`: every action of one service. */
const SERVICE_WILDCARD = /^[\w-]+:\*$/;

/** Violations for the statements among `located` that allow a whole service, each pointed at by `offsetOf`. */
function violationsOf(resource: string, policy: string, located: readonly Located[], offsetOf: (l: Located) => number): Violation[] {
  return located.flatMap((l): Violation[] => {
    const s = l.statement;
    // A statement with a principal belongs to a resource policy, not to an identity's permissions.
    if (s.effect !== 'Allow' || s.principal !== undefined) return [];
    return s.actions
      .filter((a) => SERVICE_WILDCARD.test(a))
      .map((action) => ({
        messageId: 'serviceWildcard',
        data: { statement: labelOf(l), policy, action, service: action.split(':')[0] ?? '' },
        resource,
        offset: offsetOf(l),
        fixable: false,
        kind: 'violation',
      }));
  });
}

/** Whether a Terraform policy is some role's or user's permissions boundary. */
function tfBoundary(module: TfModule, policy: TfResource): boolean {
  return module.resources.some((r) => refersTo(attrExpr(r.block.body, 'permissions_boundary'), policy.address));
}

function cfnBoundary(template: CfnTemplate, policy: CfnResource): boolean {
  return template.resources.some((r) => refersToResource(propertyAt(r, ['Properties', 'PermissionsBoundary']), policy.logicalId));
}

export default defineSkill({
  meta: {
    id: 'iam-no-service-wildcard',
    title: 'IAM: customer managed policies do not allow every action of a service',
    controls: ['IAM.21'],
    configRules: ['iam-policy-no-statements-with-full-access'],
    fixable: 'suggestion',
    risk: 'access-change',
    riskNote:
      'Replacing a service wildcard with a list of actions removes the actions left out: base the list on what the principals actually call.',
    messages: {
      serviceWildcard:
        'Statement {{statement}} of {{policy}} allows every {{service}} action ({{action}}). List the actions the principals need ({{service}}:Get* style prefixes are accepted); IAM Access Analyzer can generate a policy from their CloudTrail activity.',
    },
  },

  terraform: {
    resourceTypes: ['aws_iam_policy'],
    detect({ module, resource }) {
      if (tfBoundary(module, resource)) return [];
      const { located, data } = tfStatements(module, resource.block.body, 'policy');
      const attr = attribute(resource.block.body, 'policy');
      const policy = data ? `${resource.address} (from ${data.address})` : resource.address;
      return violationsOf(resource.address, policy, located, () => attr?.span.start ?? resource.block.span.start);
    },
    fix() {
      return { edits: [] };
    },
  },

  cloudformation: {
    resourceTypes: ['AWS::IAM::ManagedPolicy'],
    detect({ template, resource }) {
      if (cfnBoundary(template, resource)) return [];
      const path = ['Properties', 'PolicyDocument'];
      const offsetOf = (l: Located): number =>
        (nodeAt(resource, [...path, 'Statement', l.index]) ?? nodeAt(resource, path))?.range?.[0] ?? resource.span.start;
      return violationsOf(resource.logicalId, resource.logicalId, statementsOf(propertyAt(resource, path)), offsetOf);
    },
    fix() {
      return { edits: [] };
    },
  },
});
