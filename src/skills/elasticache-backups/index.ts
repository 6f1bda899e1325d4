/**
 * ElastiCache.1: Redis OSS and Valkey clusters and replication groups keep automatic backups for
 * at least the control's `snapshotRetentionPeriod` days. Backups are off by default (a retention
 * of 0). How many days to keep is the team's to say (`skills.elastiCacheSnapshotRetentionDays`):
 * without it, the finding is a suggestion naming that setting.
 */
import type { Json } from '../../iac/terraform/hcl-expr.js';
import { cfnSettingRemedy, remedyRule, tfSettingRemedy, type Remedy, type SettingRule } from '../helpers.js';
import { defineSkill, type CfnTarget, type SkillOptions, type TfTarget } from '../types.js';
import { cfnEngineRole, outOfScope, tfEngineRole } from './engine.js';

/** Security Hub's default `snapshotRetentionPeriod`: fewer days fail the control whatever the team configures. */
const CONTROL_MINIMUM = 1;

function rule(options: SkillOptions, resource: string): SettingRule {
  const days = options.elastiCacheSnapshotRetentionDays;
  const minimum = Math.max(CONTROL_MINIMUM, days ?? CONTROL_MINIMUM);
  return {
    value: days ?? minimum,
    accepts: (v: Json) => (typeof v === 'number' || (typeof v === 'string' && v.trim() !== '')) && Number(v) >= minimum,
    whenMissing: 'violation',
    note: `Kept ${days} days of automatic backups of ${resource} (skills.elastiCacheSnapshotRetentionDays). Backups are billed as snapshot storage.`,
  };
}

/** Without a configured retention, nothing is written: the violation names the setting to configure. */
function configured(remedies: readonly Remedy[], options: SkillOptions): Remedy[] {
  if (options.elastiCacheSnapshotRetentionDays !== undefined) return [...remedies];
  return remedies.map((r) =>
    r.violation.fixable ? { violation: { ...r.violation, messageId: 'retentionNotConfigured', fixable: false } } : r,
  );
}

function terraformRemedies({ module, resource, options }: TfTarget): Remedy[] {
  const skip = outOfScope(tfEngineRole(module, resource), resource.address, resource.block.span.start);
  if (skip) return skip;
  return configured(tfSettingRemedy(module, resource, ['snapshot_retention_limit'], rule(options, resource.address)), options);
}

function cloudFormationRemedies({ template, resource, options }: CfnTarget): Remedy[] {
  const skip = outOfScope(cfnEngineRole(resource), resource.logicalId, resource.span.start);
  if (skip) return skip;
  return configured(
    cfnSettingRemedy(template, resource, ['Properties', 'SnapshotRetentionLimit'], rule(options, resource.logicalId)),
    options,
  );
}

export default defineSkill({
  meta: {
    id: 'elasticache-backups',
    title: 'ElastiCache (Redis OSS, Valkey) clusters keep automatic backups',
    controls: ['ElastiCache.1'],
    configRules: ['elasticache-redis-cluster-automatic-backup-check'],
    fixable: 'code',
    options: ['elastiCacheSnapshotRetentionDays'],
    risk: 'none',
    messages: {
      settingWrong: '{{setting}} is {{value}}: ElastiCache keeps fewer days of automatic backups than required (0 turns them off).',
      settingMissing: '{{setting}} is not set: ElastiCache takes no automatic backups unless a retention is given.',
      settingUnknown:
        '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it keeps at least one day of backups.',
      retentionNotConfigured:
        "{{setting}} keeps too few days of automatic backups: set skills.elastiCacheSnapshotRetentionDays in the config to the days to keep (1 to 35, at least the control's snapshotRetentionPeriod; Security Hub's default is 1), or set {{setting}} in the code.",
      engineUnknown:
        'The engine is an expression cloudmend cannot evaluate: a Redis OSS or Valkey cluster needs a snapshot retention of at least one day.',
    },
  },

  terraform: {
    resourceTypes: ['aws_elasticache_replication_group', 'aws_elasticache_cluster'],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::ElastiCache::ReplicationGroup', 'AWS::ElastiCache::CacheCluster'],
    ...remedyRule(cloudFormationRemedies),
  },
});
