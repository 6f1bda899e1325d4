/**
 * RDS.7 and RDS.8: DB clusters and DB instances have deletion protection on. It is off by default
 * everywhere (the AWS provider, CloudFormation, both registry modules). RDS.8 evaluates instances
 * of the non-Aurora engines only: an Aurora instance is protected through its cluster (RDS.7).
 * DocumentDB (DocumentDB.5) and Neptune (Neptune.4) clusters, which Security Hub also reports as RDS
 * clusters, take the same flag.
 */
import { cfnSettingRemedy, remedyRule, tfSettingRemedy, type Remedy, type SettingRule } from '../helpers.js';
import { CFN_DATABASES, cfnClusterMember, TF_DATABASES, tfClusterMember } from '../rds.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';

function rule(resource: string, setting: string): SettingRule {
  return {
    value: true,
    whenMissing: 'violation',
    note: `Set ${setting} to true in ${resource}: deleting it (a destroy, a stack deletion, a replacement) now fails until the flag is turned off first.`,
  };
}

function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  if (resource.type === 'aws_db_instance' && tfClusterMember(module, resource)) return [];
  return tfSettingRemedy(module, resource, ['deletion_protection'], rule(resource.address, 'deletion_protection'));
}

function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  if (resource.type === 'AWS::RDS::DBInstance' && cfnClusterMember(resource)) return [];
  return cfnSettingRemedy(template, resource, ['Properties', 'DeletionProtection'], rule(resource.logicalId, 'DeletionProtection'));
}

export default defineSkill({
  meta: {
    id: 'rds-deletion-protection',
    title: 'RDS DB clusters and instances, DocumentDB and Neptune clusters have deletion protection on',
    controls: ['RDS.7', 'RDS.8', 'DocumentDB.5', 'Neptune.4'],
    configRules: [
      'rds-cluster-deletion-protection-enabled',
      'rds-instance-deletion-protection-enabled',
      'docdb-cluster-deletion-protection-enabled',
      'neptune-cluster-deletion-protection-enabled',
    ],
    fixable: 'code',
    risk: 'none',
    messages: {
      settingWrong: '{{setting}} is {{value}}: one API call, stack deletion or replacing plan deletes the database.',
      settingMissing: '{{setting}} is not set: RDS leaves deletion protection off unless asked for.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is true.',
    },
  },

  terraform: {
    resourceTypes: [...TF_DATABASES],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: CFN_DATABASES,
    ...remedyRule(cloudFormationRemedies),
  },

  cdk: {
    constructs: ['aws-cdk-lib.aws_rds.DatabaseInstance', 'aws-cdk-lib.aws_rds.DatabaseCluster'],
    fix: () => [{ name: 'deletionProtection', value: true }],
  },
});
