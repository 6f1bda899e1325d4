/**
 * EC2.15: subnets do not give instances a public IPv4 address on launch
 * (`map_public_ip_on_launch`, `MapPublicIpOnLaunch`). A subnet created through the API does not
 * unless asked; a VPC's default subnets do, and `aws_default_subnet` keeps what the subnet has.
 * terraform-aws-modules/vpc gives its public subnets public addresses by default before v4.0.0.
 */
import { attribute } from '../../iac/terraform/hcl-structure.js';
import { cfnBooleanRemedy, minimumMajor, remedyRule, tfBooleanRemedy, tfString, type BooleanRule } from '../helpers.js';
import { defineSkill, type TfTarget } from '../types.js';

const VPC_MODULE = 'terraform-aws-modules/vpc/aws';

function rule(resource: string, setting: string, whenMissing: BooleanRule['whenMissing']): BooleanRule {
  return {
    required: false,
    whenMissing,
    note: `Set ${setting} to false in ${resource}: instances launched into it from now on get no public IPv4 address unless they ask for one; running instances keep theirs.`,
  };
}

function whenMissing({ module, resource }: TfTarget): BooleanRule['whenMissing'] {
  if (resource.type === 'aws_default_subnet') return 'violation';
  if (resource.mode !== 'module') return 'comply';
  // The module's input applies to its public subnets only, and defaults to false from v4.0.0.
  const body = resource.block.body;
  const old = (minimumMajor(tfString(module, body, 'version')) ?? 0) < 4;
  return old && attribute(body, 'public_subnets') !== undefined ? 'violation' : 'comply';
}

export default defineSkill({
  meta: {
    id: 'subnet-no-auto-public-ip',
    title: 'Subnets do not assign public IPv4 addresses on launch',
    controls: ['EC2.15'],
    configRules: ['subnet-auto-assign-public-ip-disabled'],
    fixable: 'code',
    risk: 'access-change',
    riskNote:
      'Instances launched into the subnet afterwards get no public IPv4 address unless they ask for one: a workload that reaches the internet through its own public address (no NAT gateway), or is reached at it, must ask for one or use a NAT gateway or load balancer.',
    messages: {
      settingWrong: '{{setting}} is {{value}}: every instance launched into this subnet gets a public IPv4 address unless it opts out.',
      settingMissing:
        '{{setting}} is not set: this subnet gives instances launched into it a public IPv4 address (a default subnet, or a module version that defaults to it).',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is false.',
    },
  },

  terraform: {
    resourceTypes: ['aws_subnet', 'aws_default_subnet', `module:${VPC_MODULE}`],
    ...remedyRule((target) =>
      tfBooleanRemedy(
        target.module,
        target.resource,
        target.resource.block,
        'map_public_ip_on_launch',
        rule(target.resource.address, 'map_public_ip_on_launch', whenMissing(target)),
      ),
    ),
  },

  cloudformation: {
    resourceTypes: ['AWS::EC2::Subnet'],
    ...remedyRule(({ template, resource }) =>
      cfnBooleanRemedy(
        template,
        resource,
        ['Properties', 'MapPublicIpOnLaunch'],
        rule(resource.logicalId, 'MapPublicIpOnLaunch', 'comply'),
      ),
    ),
  },
});
