/**
 * EC2.9: instances have no public IPv4 address. An instance gets one when it asks
 * (`associate_public_ip_address`, a network interface's `AssociatePublicIpAddress`) or, when it
 * does not say, when its subnet assigns one on launch: a subnet of the same code that does, or a
 * default subnet (an instance without a subnet is launched into one). A subnet the code does not
 * show (a variable, a literal id) cannot be judged: such instances are not reported. The address
 * is chosen at launch, so removing it replaces the instance.
 */
import { propertyAt, refersToResource, type CfnResource, type CfnTemplate, type CfnValue } from '../../iac/cloudformation/template.js';
import { attribute, blocks } from '../../iac/terraform/hcl-structure.js';
import { attrExpr, refersTo, type TfModule, type TfResource } from '../../iac/terraform/module.js';
import { cfnBooleanRemedy, cfnSetting, remedyRule, tfBooleanRemedy, tfSetting, type BooleanRule, type Remedy } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';

const EC2_MODULE = 'terraform-aws-modules/ec2-instance/aws';

function rule(resource: string, setting: string, whenMissing: BooleanRule['whenMissing']): BooleanRule {
  return {
    required: false,
    whenMissing,
    note:
      `Set ${setting} to false in ${resource}. This REPLACES the instance (its root volume and instance store with it): snapshot its volumes or create an AMI first. ` +
      'Whatever reaches it at its public address (SSH, a DNS record, an allow-list) must go through a load balancer, Session Manager or a VPN instead.',
  };
}

/** Whether the subnet an instance names is one of this module that assigns public addresses. */
function tfPublicSubnet(module: TfModule, resource: TfResource): boolean {
  const expr = attrExpr(resource.block.body, 'subnet_id');
  return module.resources.some(
    (s) =>
      s.mode === 'resource' &&
      refersTo(expr, s.address) &&
      ((s.type === 'aws_subnet' && tfSetting(module, s.block.body, 'map_public_ip_on_launch') === 'on') ||
        (s.type === 'aws_default_subnet' && tfSetting(module, s.block.body, 'map_public_ip_on_launch') !== 'off')),
  );
}

function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  const { block } = resource;
  const setting = 'associate_public_ip_address';
  if (resource.mode === 'module') return tfBooleanRemedy(module, resource, block, setting, rule(resource.address, setting, 'comply'));
  // Attached network interfaces and launch templates decide the address themselves.
  if (blocks(block.body, 'network_interface').length > 0 || blocks(block.body, 'launch_template').length > 0) return [];
  const defaultSubnet = attribute(block.body, 'subnet_id') === undefined;
  const whenMissing = defaultSubnet || tfPublicSubnet(module, resource) ? 'violation' : 'comply';
  return tfBooleanRemedy(module, resource, block, setting, rule(resource.address, setting, whenMissing));
}

/** Whether a subnet id names a subnet of this template that assigns public addresses. */
function cfnPublicSubnet(template: CfnTemplate, subnet: CfnValue | undefined): CfnResource | undefined {
  return template.resources.find(
    (s) =>
      s.type === 'AWS::EC2::Subnet' &&
      refersToResource(subnet, s.logicalId) &&
      cfnSetting(s, ['Properties', 'MapPublicIpOnLaunch']) === 'on',
  );
}

function report(resource: CfnResource, messageId: string, data: Record<string, string>): Remedy {
  return { violation: { messageId, data, resource: resource.logicalId, offset: resource.span.start, fixable: false, kind: 'violation' } };
}

function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  const interfaces = propertyAt(resource, ['Properties', 'NetworkInterfaces']);
  if (Array.isArray(interfaces))
    return interfaces.flatMap((ni, i) => {
      const item = ni && typeof ni === 'object' && !Array.isArray(ni) ? ni : {};
      // Only a new primary interface (device 0, no existing interface attached) is given an address by EC2.
      if (item.NetworkInterfaceId !== undefined || (item.DeviceIndex !== 0 && item.DeviceIndex !== '0')) return [];
      const setting = `NetworkInterfaces[${i}].AssociatePublicIpAddress`;
      const whenMissing = cfnPublicSubnet(template, item.SubnetId) ? 'violation' : 'comply';
      return cfnBooleanRemedy(
        template,
        resource,
        ['Properties', 'NetworkInterfaces', i, 'AssociatePublicIpAddress'],
        rule(resource.logicalId, setting, whenMissing),
      );
    });
  if (interfaces !== undefined && interfaces !== null) return [];
  if (propertyAt(resource, ['Properties', 'LaunchTemplate']) !== undefined) return [];
  const subnet = propertyAt(resource, ['Properties', 'SubnetId']);
  if (subnet === undefined) return [report(resource, 'defaultSubnet', {})];
  const publicSubnet = cfnPublicSubnet(template, subnet);
  return publicSubnet ? [report(resource, 'subnetAssigns', { subnet: publicSubnet.logicalId })] : [];
}

export default defineSkill({
  meta: {
    id: 'ec2-no-public-ip',
    title: 'EC2 instances have no public IPv4 address',
    controls: ['EC2.9'],
    configRules: ['ec2-instance-no-public-ip'],
    fixable: 'code',
    risk: 'replacement',
    riskNote:
      'A public IPv4 address is chosen at launch: removing it replaces the instance (and its root volume and instance store), and whatever reached the instance at that address loses it.',
    rollback:
      "Before deploying, create an AMI of the instance (`aws ec2 create-image`) or snapshot its volumes (`aws ec2 create-snapshots`) and keep them: a replaced instance's disks do not come back by reverting this change. To roll back, launch from that AMI (or attach volumes made from the snapshots) with the old network settings and point the code at it.",
    messages: {
      settingWrong:
        '{{setting}} is {{value}}: the instance has a public IPv4 address, reachable from the internet wherever its security groups allow.',
      settingMissing:
        '{{setting}} is not set and the instance is launched into a subnet that assigns public IPv4 addresses (a default subnet when no subnet is named): it gets one.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is false.',
      defaultSubnet:
        'The instance names no subnet or network interface: EC2 launches it into a default subnet, which assigns a public IPv4 address. Give it a private subnet (SubnetId), or a primary network interface with AssociatePublicIpAddress: false; either replaces the instance.',
      subnetAssigns:
        'The instance is launched into {{subnet}}, which assigns public IPv4 addresses (MapPublicIpOnLaunch): it has one. Turn that off on the subnet (EC2.15) and replace the instance, or move it to a private subnet.',
    },
  },

  terraform: {
    resourceTypes: ['aws_instance', `module:${EC2_MODULE}`],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::EC2::Instance'],
    ...remedyRule(cloudFormationRemedies),
  },
});
