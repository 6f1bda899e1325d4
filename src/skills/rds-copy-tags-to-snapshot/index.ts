/**
 * RDS.16, RDS.17 and Neptune.8: DB clusters, DB instances and Neptune clusters copy their tags to
 * their snapshots. Off by default everywhere (the AWS provider, CloudFormation, both registry modules). An Aurora
 * instance's flag has no effect (the cluster's decides), so only the cluster is checked there.
 */
import { cfnSettingRemedy, remedyRule, tfSettingRemedy, type Remedy, type SettingRule } from '../helpers.js';
import { AURORA_MODULE, cfnClusterMember, RDS_MODULE, tfClusterMember } from '../rds.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';

function rule(resource: string, setting: string): SettingRule {
  return {
    value: true,
    whenMissing: 'violation',
    note: `Set ${setting} to true in ${resource}: its snapshots from now on carry its tags (existing snapshots keep theirs).`,
  };
}

function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  if (resource.type === 'aws_db_instance' && tfClusterMember(module, resource)) return [];
  return tfSettingRemedy(module, resource, ['copy_tags_to_snapshot'], rule(resource.address, 'copy_tags_to_snapshot'));
}

function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  if (resource.type === 'AWS::RDS::DBInstance' && cfnClusterMember(resource)) return [];
  return cfnSettingRemedy(template, resource, ['Properties', 'CopyTagsToSnapshot'], rule(resource.logicalId, 'CopyTagsToSnapshot'));
}

export default defineSkill({
  meta: {
    id: 'rds-copy-tags-to-snapshot',
    title: 'RDS DB clusters and instances, Neptune clusters copy their tags to snapshots',
    controls: ['RDS.16', 'RDS.17', 'Neptune.8'],
    configRules: [
      'rds-cluster-copy-tags-to-snapshots-enabled',
      'rds-instance-copy-tags-to-snapshots-enabled',
      'neptune-cluster-copy-tags-to-snapshot-enabled',
    ],
    fixable: 'code',
    risk: 'none',
    messages: {
      settingWrong: '{{setting}} is {{value}}: snapshots are untagged, so nothing says whose data they hold or how to handle it.',
      settingMissing: '{{setting}} is not set: RDS does not copy tags to snapshots unless asked to.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is true.',
    },
  },

  terraform: {
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster', 'aws_neptune_cluster', `module:${RDS_MODULE}`, `module:${AURORA_MODULE}`],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::Neptune::DBCluster'],
    ...remedyRule(cloudFormationRemedies),
  },

  cdk: {
    constructs: ['aws-cdk-lib.aws_rds.DatabaseInstance', 'aws-cdk-lib.aws_rds.DatabaseCluster'],
    fix: () => [{ name: 'copyTagsToSnapshot', value: true }],
  },
});
