/**
 * RDS.11: DB instances keep automated backups for at least the control's `backupRetentionMinimum`
 * (7 days unless the team customized it: `skills.rdsBackupRetentionMinimum`). DocumentDB.2 and
 * Neptune.5 ask the same of DocumentDB and Neptune clusters (`minimumBackupRetentionPeriod`, 7). RDS keeps 1 day when
 * the code says nothing (the AWS provider and the rds module leave RDS's default, and so does
 * CloudFormation), so a missing retention is a violation. Read replicas are not evaluated (their
 * backups follow the source), nor Aurora instances: their cluster keeps the backups.
 */
import type { Json } from '../../iac/terraform/hcl-expr.js';
import { cfnSettingRemedy, remedyRule, tfSettingRemedy, type Remedy, type SettingRule } from '../helpers.js';
import { cfnClusterMember, cfnReplica, RDS_MODULE, tfClusterMember, tfReplica } from '../rds.js';
import { defineSkill, type CfnTarget, type SkillOptions, type TfTarget } from '../types.js';

/** The control's default `backupRetentionMinimum`. */
export const DEFAULT_MINIMUM = 7;

function days(value: Json): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

function rule(options: SkillOptions, resource: string, setting: string): SettingRule {
  const minimum = options.rdsBackupRetentionMinimum ?? DEFAULT_MINIMUM;
  return {
    value: minimum,
    accepts: (value) => (days(value) ?? 0) >= minimum,
    whenMissing: 'violation',
    note:
      `Set ${setting} to ${minimum} in ${resource}: RDS keeps ${minimum} days of automated backups and point-in-time recovery (billed beyond the storage size). ` +
      'If backups were off (0), turning them on briefly interrupts the instance: it is applied in the next maintenance window unless applied immediately.',
  };
}

function terraformRemedies({ module, resource, options }: TfTarget): Remedy[] {
  if (resource.type === 'aws_db_instance' && tfClusterMember(module, resource)) return [];
  if (tfReplica(module, resource)) return [];
  return tfSettingRemedy(module, resource, ['backup_retention_period'], rule(options, resource.address, 'backup_retention_period'));
}

function cloudFormationRemedies({ template, resource, options }: CfnTarget): Remedy[] {
  if (resource.type === 'AWS::RDS::DBInstance' && (cfnClusterMember(resource) || cfnReplica(resource))) return [];
  return cfnSettingRemedy(
    template,
    resource,
    ['Properties', 'BackupRetentionPeriod'],
    rule(options, resource.logicalId, 'BackupRetentionPeriod'),
  );
}

export default defineSkill({
  meta: {
    id: 'rds-backup-retention',
    title: 'RDS DB instances, DocumentDB and Neptune clusters keep automated backups for the required period',
    controls: ['RDS.11', 'DocumentDB.2', 'Neptune.5'],
    configRules: ['db-instance-backup-enabled', 'docdb-cluster-backup-retention-check', 'neptune-cluster-backup-retention-check'],
    fixable: 'code',
    options: ['rdsBackupRetentionMinimum'],
    risk: 'downtime',
    riskNote:
      'Turning automated backups on for a database that had none (retention 0 to a positive number) restarts the DB instance: an outage of a few minutes, and the first backup runs right away; raising a positive retention does not interrupt.',
    rollback:
      'Apply it in a maintenance window; take a manual snapshot first if the database has no backup at all. To roll back, set the previous retention again (0 turns automated backups off and deletes the automated ones, which a manual snapshot keeps).',
    messages: {
      settingWrong: '{{setting}} is {{value}}: fewer days of automated backups than the control requires (0 turns them off).',
      settingMissing: '{{setting}} is not set: one day of automated backups is kept, fewer than the control requires.',
      settingUnknown:
        '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is at least the required days.',
    },
  },

  terraform: {
    resourceTypes: ['aws_db_instance', 'aws_docdb_cluster', 'aws_neptune_cluster', `module:${RDS_MODULE}`],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::RDS::DBInstance', 'AWS::DocDB::DBCluster', 'AWS::Neptune::DBCluster'],
    ...remedyRule(cloudFormationRemedies),
  },
});
