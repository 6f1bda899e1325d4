/**
 * ELB.4, ELB.12, ELB.14: load balancers refuse what HTTP request smuggling relies on. An
 * Application Load Balancer drops header fields that are not valid HTTP (off by default) and runs
 * desync mitigation in `defensive` (the default) or `strictest` mode; a Classic Load Balancer runs
 * desync mitigation in one of those modes too. Only `monitor` fails the desync controls.
 */
import { truth, type Val } from '../../iac/values.js';
import { cfnAttributeRemedy, cfnLoadBalancerType, tfLoadBalancerType } from '../elb-attributes.js';
import { remedyRule, tfSettingRemedy, type Remedy, type SettingRule } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';

const MODES = ['defensive', 'strictest'];

function dropHeaders(lb: string, value: boolean | string): SettingRule {
  return {
    value,
    accepts: (v: Val) => truth(v) === true,
    whenMissing: 'violation',
    note: `${lb} now drops HTTP header fields that are not valid (names other than letters, digits and hyphens) instead of passing them to its targets: check no client relies on such headers.`,
  };
}

function desync(lb: string): SettingRule {
  return {
    value: 'defensive',
    accepts: (v: Val) => typeof v === 'string' && MODES.includes(v),
    whenMissing: 'comply',
    note: `Set the desync mitigation mode of ${lb} to defensive, the AWS default: ambiguous requests that risk request smuggling are no longer passed on.`,
  };
}

function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  const lb = resource.address;
  if (resource.type === 'aws_elb') return tfSettingRemedy(module, resource, ['desync_mitigation_mode'], desync(lb));
  const type = tfLoadBalancerType(module, resource);
  if (type === 'network' || type === 'gateway') return [];
  if (type === 'unknown') return [unknownType(lb, resource.block.span.start)];
  return [
    ...tfSettingRemedy(module, resource, ['drop_invalid_header_fields'], dropHeaders(lb, true)),
    ...tfSettingRemedy(module, resource, ['desync_mitigation_mode'], desync(lb)),
  ];
}

function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  const lb = resource.logicalId;
  const type = cfnLoadBalancerType(resource);
  if (type === 'network' || type === 'gateway') return [];
  if (type === 'unknown') return [unknownType(lb, resource.span.start)];
  return [
    ...cfnAttributeRemedy(template, resource, 'routing.http.drop_invalid_header_fields.enabled', dropHeaders(lb, 'true')),
    ...cfnAttributeRemedy(template, resource, 'routing.http.desync_mitigation_mode', desync(lb)),
  ];
}

function unknownType(resource: string, offset: number): Remedy {
  return { violation: { messageId: 'typeUnknown', data: { lb: resource }, resource, offset, fixable: false, kind: 'violation' } };
}

export default defineSkill({
  meta: {
    id: 'elb-http-desync',
    title: 'Load balancers: invalid HTTP headers dropped, desync mitigation defensive or strictest',
    controls: ['ELB.4', 'ELB.12', 'ELB.14'],
    configRules: ['alb-http-drop-invalid-header-enabled', 'alb-desync-mode-check', 'clb-desync-mode-check'],
    fixable: 'code',
    risk: 'none',
    messages: {
      settingWrong: '{{setting}} is {{value}}: the load balancer passes on requests built for HTTP request smuggling.',
      settingMissing:
        '{{setting}} is not set: an Application Load Balancer passes invalid header fields to its targets unless told to drop them.',
      settingUnknown:
        '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is true, or defensive / strictest for a desync mode.',
      typeUnknown:
        'The type of load balancer {{lb}} is an expression cloudmend cannot evaluate; if it is an Application Load Balancer, drop invalid header fields and keep desync mitigation defensive or strictest.',
    },
  },

  terraform: {
    resourceTypes: ['aws_lb', 'aws_alb', 'aws_elb'],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::ElasticLoadBalancingV2::LoadBalancer'],
    ...remedyRule(cloudFormationRemedies),
  },

  cdk: {
    constructs: ['aws-cdk-lib.aws_elasticloadbalancingv2.ApplicationLoadBalancer'],
    // Only the attributes found at fault: each has its prop.
    fix: (_, violations) => {
      const at = (key: string): boolean => violations.some((v) => v.data?.setting === key);
      return [
        ...(at('routing.http.drop_invalid_header_fields.enabled') ? [{ name: 'dropInvalidHeaderFields', value: true }] : []),
        ...(at('routing.http.desync_mitigation_mode')
          ? [{ name: 'desyncMitigationMode', value: { $ref: 'aws-cdk-lib.aws_elasticloadbalancingv2.DesyncMitigationMode.DEFENSIVE' } }]
          : []),
      ];
    },
  },
});
