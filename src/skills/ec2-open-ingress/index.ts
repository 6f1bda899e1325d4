/**
 * EC2.13, EC2.14, EC2.18, EC2.19: no security group rule lets the whole internet (`0.0.0.0/0`,
 * `::/0`) in on a high-risk port or on any port besides TCP 80 and 443. The fix narrows the open
 * CIDR to the team's allow-lists (`allowedIngressCidrs`, `allowedIngressIpv6Cidrs`); without an
 * IPv6 list `::/0` is removed where the rule keeps another source, and never is a rule dropped.
 */
import { defineSkill, type Fix } from '../types.js';
import * as cfn from './cloudformation.js';
import { selected } from './rules.js';
import * as tf from './terraform.js';

const TF_TYPES = ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'];
const CFN_TYPES = ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress'];

/** The edits and notes of the findings the engine asked to fix. */
function fixOf(all: ReturnType<typeof tf.findingsOf>, violations: Parameters<typeof selected>[1]): Fix {
  const chosen = new Set(
    selected(
      all.map((a) => a.finding),
      violations,
    ),
  );
  const applied = all.filter((a) => chosen.has(a.finding));
  // Both families of one all-traffic rule rewrite it to the same listener ports: one edit.
  const edits = new Map(applied.flatMap((a) => a.edits ?? []).map((e) => [JSON.stringify(e), e]));
  return { edits: [...edits.values()], notes: applied.flatMap((a) => (a.note ? [a.note] : [])) };
}

export default defineSkill({
  meta: {
    id: 'ec2-open-ingress',
    title: 'Security groups do not open risky or unauthorized ports to the internet',
    controls: ['EC2.13', 'EC2.14', 'EC2.18', 'EC2.19'],
    configRules: ['restricted-ssh', 'restricted-common-ports', 'vpc-sg-open-only-to-authorized-ports', 'vpc-sg-restricted-common-ports'],
    fixable: 'code',
    options: ['allowedIngressCidrs', 'allowedIngressIpv6Cidrs'],
    risk: 'access-change',
    riskNote:
      'Clients outside the allowed CIDRs can no longer reach these ports: check that everyone who connects today (VPN, office, partners, health checks) is inside them.',
    messages: {
      highRiskPort: '{{rule}} allows {{source}} on {{ports}}, including high-risk port(s) {{risky}} ({{controls}}).{{remedy}}',
      unauthorizedPort:
        '{{rule}} allows {{source}} on {{ports}}: only TCP 80 and 443 may be open to the internet ({{controls}}).{{remedy}}',
      unknownSource:
        '{{rule}} allows {{ports}} from {{expr}}, which cloudmend cannot evaluate (a variable without default, a module input, ' +
        'a value read at deploy): only a person can decide, make sure it is not 0.0.0.0/0 or ::/0.',
      unknownPorts:
        '{{rule}} allows {{source}} on ports cloudmend cannot evaluate ({{expr}}): only TCP 80 and 443 may be open to the internet.',
      unknownRules:
        '{{rule}} has ingress rules from {{expr}}, which cloudmend cannot read: make sure none allows 0.0.0.0/0 or ::/0 beyond TCP 80 and 443.',
    },
  },

  terraform: {
    resourceTypes: TF_TYPES,
    detect({ module, resource, options }) {
      return [...tf.unreadableRules(resource), ...tf.findingsOf(module, resource, options).map((a) => a.finding.violation)];
    },
    fix({ module, resource, options }, violations) {
      return fixOf(tf.findingsOf(module, resource, options), violations);
    },
  },

  cloudformation: {
    resourceTypes: CFN_TYPES,
    detect({ template, resource, options }) {
      return cfn.findingsOf(template, resource, options).map((a) => a.finding.violation);
    },
    fix({ template, resource, options }, violations) {
      return fixOf(cfn.findingsOf(template, resource, options), violations);
    },
  },

  cdk: {
    // Rules come from method calls (addIngressRule, connections.allowFrom…), not from a prop: a person narrows the call.
    constructs: ['aws-cdk-lib.aws_ec2.SecurityGroup'],
    fix: () => [],
    advice:
      'the open rule comes from a call on this security group such as `addIngressRule(ec2.Peer.anyIpv4(), …)` or ' +
      '`connections.allowFromAnyIpv4(…)`: give that call a narrower peer (`ec2.Peer.ipv4(<allowed CIDR>)`) or remove it',
  },
});
