/**
 * EC2.3: EBS volumes attached to instances are encrypted at rest. Volumes are declared on their
 * own (`aws_ebs_volume`, `AWS::EC2::Volume`), as an instance's root and data volumes, or in the
 * launch templates and launch configurations instances are launched from; `encrypted` defaults to
 * false everywhere (an AMI or snapshot may be encrypted, which the code does not show). Encryption
 * is chosen when a volume is created: an existing volume or instance is replaced.
 */
import { propertyAt, type CfnResource, type CfnTemplate } from '../../iac/cloudformation/template.js';
import { blocks, type HclBlock } from '../../iac/terraform/hcl-structure.js';
import type { TfModule, TfResource } from '../../iac/terraform/module.js';
import { cfnBooleanRemedy, remedyRule, settingRemedy, tfSetting, tfSettingRemedy, type Remedy, type SettingRule } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';

/** What the fix does to each kind of resource, for the pull request. */
const EFFECT: Readonly<Record<string, string>> = {
  volume:
    'This REPLACES the volume with a new, empty one: snapshot it first (aws ec2 create-snapshot) and create the encrypted volume from that snapshot (set its snapshot id) so the data comes along, then attach it again.',
  instance:
    'This REPLACES the instance: its root and data volumes are created anew from the AMI and their snapshots, and whatever was written to them is lost unless snapshotted first (aws ec2 create-snapshots).',
  template: 'Instances get encrypted volumes when they are next launched from the new version; running instances keep theirs.',
  configuration:
    'This replaces the launch configuration; the Auto Scaling group launches instances with encrypted volumes from then on, and running instances keep theirs.',
};

const TF_KIND: Readonly<Record<string, keyof typeof EFFECT>> = {
  aws_ebs_volume: 'volume',
  aws_instance: 'instance',
  aws_launch_template: 'template',
  aws_launch_configuration: 'configuration',
};

const CFN_KIND: Readonly<Record<string, keyof typeof EFFECT>> = {
  'AWS::EC2::Volume': 'volume',
  'AWS::EC2::Instance': 'instance',
  'AWS::EC2::LaunchTemplate': 'template',
  'AWS::AutoScaling::LaunchConfiguration': 'configuration',
};

function rule(resource: string, setting: string, kind: keyof typeof EFFECT, whenMissing: SettingRule['whenMissing']): SettingRule {
  return { value: true, whenMissing, note: `Set ${setting} to true in ${resource}. ${EFFECT[kind]}` };
}

/**
 * Whether the module turns on EBS encryption by default: then volumes it creates are encrypted
 * whatever they say, and a missing setting is only unpinned.
 */
function encryptedByDefault(module: TfModule): boolean {
  return module.resources.some(
    (r) => r.mode === 'resource' && r.type === 'aws_ebs_encryption_by_default' && tfSetting(module, r.block.body, 'enabled') !== 'off',
  );
}

/** Each block `name` of `block` (a `dynamic` one hides its setting) checked at `path`. */
function eachBlock(module: TfModule, resource: TfResource, block: HclBlock, name: string, path: string[], r: (s: string) => SettingRule) {
  const setting = [name, ...path].join('.');
  const dynamic = blocks(block.body, 'dynamic').some((d) => d.labels[0] === name);
  const hidden: Remedy[] = dynamic
    ? settingRemedy('unknown', r(setting), {
        setting,
        resource: resource.address,
        offset: block.span.start,
        expr: `dynamic "${name}"`,
        edit: () => undefined,
      })
    : [];
  return [...hidden, ...blocks(block.body, name).flatMap((b) => tfSettingRemedy(module, resource, path, r(setting), b, setting))];
}

function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  const kind = TF_KIND[resource.type] ?? 'volume';
  const whenMissing = encryptedByDefault(module) ? 'unpinned' : 'violation';
  const r = (setting: string): SettingRule => rule(resource.address, setting, kind, whenMissing);
  const { block } = resource;
  switch (resource.type) {
    case 'aws_ebs_volume':
      return tfSettingRemedy(module, resource, ['encrypted'], r('encrypted'));
    case 'aws_launch_template':
      // Mappings without an `ebs` block are instance store volumes or suppress a device.
      return blocks(block.body, 'block_device_mappings').flatMap((mapping) =>
        blocks(mapping.body, 'ebs').length > 0 || blocks(mapping.body, 'dynamic').some((d) => d.labels[0] === 'ebs')
          ? eachBlock(module, resource, mapping, 'ebs', ['encrypted'], (s) => r(`block_device_mappings.${s}`))
          : [],
      );
    default:
      // The root volume block is optional: without it the root volume is the AMI's, unencrypted unless the AMI's snapshot is.
      return [
        ...tfSettingRemedy(module, resource, ['root_block_device', 'encrypted'], r('root_block_device.encrypted')),
        ...eachBlock(module, resource, block, 'ebs_block_device', ['encrypted'], r),
      ];
  }
}

/** Where each CloudFormation type keeps its block device mappings. */
const MAPPINGS: Readonly<Record<string, readonly string[]>> = {
  'AWS::EC2::Instance': ['Properties', 'BlockDeviceMappings'],
  'AWS::EC2::LaunchTemplate': ['Properties', 'LaunchTemplateData', 'BlockDeviceMappings'],
  'AWS::AutoScaling::LaunchConfiguration': ['Properties', 'BlockDeviceMappings'],
};

function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  const kind = CFN_KIND[resource.type] ?? 'volume';
  if (resource.type === 'AWS::EC2::Volume')
    return cfnBooleanRemedy(template, resource, ['Properties', 'Encrypted'], {
      required: true,
      whenMissing: 'violation',
      note: rule(resource.logicalId, 'Encrypted', kind, 'violation').note,
    });
  return mappingRemedies(template, resource, kind, [...(MAPPINGS[resource.type] ?? [])]);
}

/**
 * Each mapping with an `Ebs` volume. Without mappings the root volume is the AMI's: the code does
 * not say whether it is encrypted, and only a person knows the root device name to map it.
 */
function mappingRemedies(template: CfnTemplate, resource: CfnResource, kind: keyof typeof EFFECT, path: string[]): Remedy[] {
  const mappings = propertyAt(resource, path);
  if (mappings === undefined || mappings === null) return [];
  if (!Array.isArray(mappings)) {
    const expr = JSON.stringify(mappings);
    return [
      {
        violation: {
          messageId: 'settingUnknown',
          data: { setting: 'BlockDeviceMappings', expr },
          resource: resource.logicalId,
          offset: resource.span.start,
          fixable: false,
          kind: 'violation',
        },
      },
    ];
  }
  return mappings.flatMap((mapping, i) => {
    const ebs = mapping && typeof mapping === 'object' && !Array.isArray(mapping) ? mapping.Ebs : undefined;
    if (ebs === undefined || ebs === null) return [];
    return cfnBooleanRemedy(template, resource, [...path, i, 'Ebs', 'Encrypted'], {
      required: true,
      whenMissing: 'violation',
      note: rule(resource.logicalId, `BlockDeviceMappings[${i}].Ebs.Encrypted`, kind, 'violation').note,
    });
  });
}

export default defineSkill({
  meta: {
    id: 'ebs-encrypted',
    title: 'EBS volumes attached to instances are encrypted at rest',
    controls: ['EC2.3'],
    configRules: ['encrypted-volumes'],
    fixable: 'code',
    risk: 'replacement',
    riskNote:
      'An EBS volume cannot be encrypted in place: the fix replaces a volume with a new, empty one, and an instance with a new one whose volumes are created anew (launch templates and launch configurations only affect instances launched afterwards); data on the old volumes must be carried over from snapshots.',
    rollback:
      "Before deploying, snapshot every volume the change replaces (`aws ec2 create-snapshot`, or `aws ec2 create-snapshots` for all of an instance's volumes) and keep the snapshots: a destroyed volume does not come back by reverting this change. Create the encrypted volumes from those snapshots (an unencrypted snapshot can be restored into an encrypted volume); to roll back, create volumes from the same snapshots and attach them again.",
    messages: {
      settingWrong: '{{setting}} is {{value}}: the volume and its snapshots are stored unencrypted.',
      settingMissing:
        '{{setting}} is not set: EBS volumes are unencrypted unless asked for (or encrypted by default in the account, or the AMI or snapshot is encrypted), which the code does not show.',
      settingUnpinned:
        '{{setting}} is not set: the volume is encrypted only because this module turns on EBS encryption by default. Pin it.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is true.',
    },
  },

  terraform: {
    resourceTypes: Object.keys(TF_KIND),
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: Object.keys(CFN_KIND),
    ...remedyRule(cloudFormationRemedies),
  },

  cdk: {
    constructs: ['aws-cdk-lib.aws_ec2.Volume'],
    fix: () => [{ name: 'encrypted', value: true }],
  },
});
