/**
 * RDS.2: DB instances are not publicly accessible. Terraform sends `publicly_accessible = false`
 * unless told otherwise, so only an explicit `true` is a violation there. CloudFormation leaves the
 * choice to RDS, which makes an instance public when its VPC has an internet gateway: without a DB
 * subnet group (the default VPC, which has one) that is a violation, otherwise it is unpinned.
 */
import { propertyAt } from '../../iac/cloudformation/template.js';
import { cfnBooleanRemedy, remedyRule, tfBooleanRemedy, type Remedy } from '../helpers.js';
import { AURORA_MODULE, auroraInstanceOverrides, RDS_MODULE } from '../rds.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';

const PLACED_BY = ['DBClusterIdentifier', 'SourceDBInstanceIdentifier', 'SourceDBClusterIdentifier', 'SourceDbiResourceId'];

function note(resource: string, setting: string): string {
  return `Set ${setting} to false in ${resource}: its endpoint now resolves to private addresses only, so clients outside the VPC must reach it through peering, a VPN or a bastion.`;
}

function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  const own = tfBooleanRemedy(module, resource, resource.block, 'publicly_accessible', {
    required: false,
    whenMissing: 'comply',
    note: note(resource.address, 'publicly_accessible'),
  });
  if (resource.mode !== 'module' || !resource.type.endsWith(AURORA_MODULE)) return own;
  return [...own, ...auroraInstanceOverrides(module, resource, 'publicly_accessible', { value: false, whenMissing: 'comply' })];
}

function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  const subnetGroup = propertyAt(resource, ['Properties', 'DBSubnetGroupName']);
  // Aurora instances and read replicas are placed in the subnet group of their cluster or source.
  const placed = PLACED_BY.some((name) => propertyAt(resource, ['Properties', name]) !== undefined);
  // No subnet group means the default VPC, which comes with an internet gateway; so does the group named "default".
  const defaultVpc = (subnetGroup === undefined && !placed) || (typeof subnetGroup === 'string' && subnetGroup.toLowerCase() === 'default');
  return cfnBooleanRemedy(template, resource, ['Properties', 'PubliclyAccessible'], {
    required: false,
    whenMissing: defaultVpc ? 'violation' : 'unpinned',
    note: note(resource.logicalId, 'PubliclyAccessible'),
  });
}

export default defineSkill({
  meta: {
    id: 'rds-not-public',
    title: 'RDS DB instances are not publicly accessible',
    controls: ['RDS.2'],
    configRules: ['rds-instance-public-access-check'],
    fixable: 'code',
    risk: 'access-change',
    riskNote:
      'Clients outside the VPC lose access: the endpoint resolves to private addresses only, so anything that connects over the internet must move to peering, a VPN or a bastion first.',
    messages: {
      settingWrong:
        '{{setting}} is {{value}}: the instance gets a public address and answers from the internet wherever its security groups allow.',
      settingMissing:
        '{{setting}} is not set and the instance is in the default VPC (no DB subnet group, or the one named default): RDS makes it public because that VPC has an internet gateway.',
      settingUnpinned:
        '{{setting}} is not set: RDS makes the instance public if the VPC of its subnet group has an internet gateway; pin it to false.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is false.',
      instanceOverride:
        'Instance "{{instance}}" of the Aurora module sets publicly_accessible = true in the instances map; set it to false there.',
      instanceOverrideUnknown:
        'Instance "{{instance}}" of the Aurora module sets publicly_accessible to an expression cloudmend cannot evaluate; make sure it is false.',
    },
  },

  terraform: {
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster_instance', `module:${RDS_MODULE}`, `module:${AURORA_MODULE}`],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::RDS::DBInstance'],
    ...remedyRule(cloudFormationRemedies),
  },

  cdk: {
    constructs: ['aws-cdk-lib.aws_rds.DatabaseInstance'],
    fix: () => [{ name: 'publiclyAccessible', value: false }],
  },
});
