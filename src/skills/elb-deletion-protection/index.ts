/**
 * ELB.6: Application, Gateway and Network Load Balancers have deletion protection on, so a
 * mistaken delete (a console click, a stack or plan that drops it) cannot take the entry point
 * away. It is off by default.
 */
import { truth, type Val } from '../../iac/values.js';
import { cfnAttributeRemedy } from '../elb-attributes.js';
import { remedyRule, tfSettingRemedy, type SettingRule } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';

function rule(lb: string, value: boolean | string): SettingRule {
  return {
    value,
    accepts: (v: Val) => truth(v) === true,
    whenMissing: 'violation',
    note: `Turned on deletion protection of ${lb}: deleting or replacing it (terraform destroy, a change that forces a new load balancer, deleting the stack) now fails until a person turns it off first.`,
  };
}

export default defineSkill({
  meta: {
    id: 'elb-deletion-protection',
    title: 'Load balancers: deletion protection on',
    controls: ['ELB.6'],
    configRules: ['elb-deletion-protection-enabled'],
    fixable: 'code',
    risk: 'none',
    messages: {
      settingWrong: '{{setting}} is {{value}}: one mistaken delete takes the load balancer, and everything behind it, off line.',
      settingMissing: '{{setting}} is not set: deletion protection is off unless turned on.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is true.',
    },
  },

  terraform: {
    resourceTypes: ['aws_lb', 'aws_alb'],
    ...remedyRule(({ module, resource }: TfTarget) =>
      tfSettingRemedy(module, resource, ['enable_deletion_protection'], rule(resource.address, true)),
    ),
  },

  cloudformation: {
    resourceTypes: ['AWS::ElasticLoadBalancingV2::LoadBalancer'],
    ...remedyRule(({ template, resource }: CfnTarget) =>
      cfnAttributeRemedy(template, resource, 'deletion_protection.enabled', rule(resource.logicalId, 'true')),
    ),
  },

  cdk: {
    constructs: [
      'aws-cdk-lib.aws_elasticloadbalancingv2.ApplicationLoadBalancer',
      'aws-cdk-lib.aws_elasticloadbalancingv2.NetworkLoadBalancer',
    ],
    fix: () => [{ name: 'deletionProtection', value: true }],
  },
});
