/**
 * EC2.2 in CloudFormation, report-only. A VPC's default security group is created by EC2, not by
 * the template: CloudFormation can read its id (`!GetAtt Vpc.DefaultSecurityGroup`) and add rules
 * to it, but cannot delete the rules AWS puts in it. So a template VPC fails EC2.2 unless something
 * outside CloudFormation (or a custom resource) empties the group, and a rule the template adds to
 * that group is a violation only a person can resolve.
 */
import { propertyAt, type CfnResource, type CfnTemplate, type CfnValue } from '../../iac/cloudformation/template.js';
import { defineSkill } from '../types.js';

/** The VPC whose default group `value` names through `Fn::GetAtt [Vpc, DefaultSecurityGroup]`, if it does. */
function defaultGroupOf(value: CfnValue | undefined): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const getAtt = value['Fn::GetAtt'];
  return Array.isArray(getAtt) && getAtt[1] === 'DefaultSecurityGroup' && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
}

/** Whether `value` mentions `vpc`'s default group anywhere (a custom resource's properties). */
function mentions(value: CfnValue | undefined, vpc: string): boolean {
  if (defaultGroupOf(value) === vpc) return true;
  if (Array.isArray(value)) return value.some((v) => mentions(v, vpc));
  if (value && typeof value === 'object') return Object.values(value).some((v) => mentions(v, vpc));
  return typeof value === 'string' && value.includes(`\${${vpc}.DefaultSecurityGroup}`);
}

/** A custom resource handed the VPC's default group is taken to manage (empty) it. */
function managedByCustomResource(template: CfnTemplate, vpc: CfnResource): boolean {
  return template.resources.some(
    (r) =>
      (r.type.startsWith('Custom::') || r.type === 'AWS::CloudFormation::CustomResource') &&
      mentions(propertyAt(r, ['Properties']), vpc.logicalId),
  );
}

export default defineSkill({
  meta: {
    id: 'ec2-default-sg-closed-cfn',
    title: 'VPC default security groups allow no traffic (CloudFormation: report only)',
    controls: ['EC2.2'],
    configRules: ['vpc-default-security-group-closed'],
    fixable: 'suggestion',
    risk: 'access-change',
    riskNote: 'Emptying the default security group cuts all traffic of anything still attached to it, between its members included.',
    messages: {
      defaultRulesRemain:
        "VPC {{vpc}}'s default security group keeps the rules AWS creates (all traffic between its members, all outbound), and CloudFormation cannot delete them. Delete them once outside the template (console, CLI, or an AWS Config remediation), or from a custom resource given !GetAtt {{vpc}}.DefaultSecurityGroup.",
      ruleOnDefaultGroup:
        "{{rule}} adds a rule to {{vpc}}'s default security group, which EC2.2 requires to allow no traffic: attach it to a security group of its own.",
    },
  },

  cloudformation: {
    resourceTypes: ['AWS::EC2::VPC', 'AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress'],
    detect({ template, resource }) {
      const at = resource.span.start;
      if (resource.type === 'AWS::EC2::VPC') {
        if (managedByCustomResource(template, resource)) return [];
        return [
          {
            messageId: 'defaultRulesRemain',
            data: { vpc: resource.logicalId },
            resource: resource.logicalId,
            offset: at,
            fixable: false,
            kind: 'violation',
          },
        ];
      }
      const vpc = defaultGroupOf(propertyAt(resource, ['Properties', 'GroupId']));
      if (vpc === undefined) return [];
      return [
        {
          messageId: 'ruleOnDefaultGroup',
          data: { rule: resource.logicalId, vpc },
          resource: resource.logicalId,
          offset: at,
          fixable: false,
          kind: 'violation',
        },
      ];
    },
    fix() {
      return { edits: [] };
    },
  },
});
