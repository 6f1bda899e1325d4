/**
 * ElastiCache.2: Redis OSS and Valkey cache clusters take automatic minor version upgrades. It is on
 * by default; the skill turns back on what the code turns off. Security Hub evaluates the clusters
 * of a replication group one by one, and they take the setting from their group: groups are
 * checked too.
 */
import { cfnBooleanRemedy, remedyRule, tfBooleanRemedy, type BooleanRule, type Remedy } from '../helpers.js';
import { cfnEngineRole, outOfScope, tfEngineRole } from '../elasticache-backups/engine.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';

function rule(resource: string): BooleanRule {
  return {
    required: true,
    whenMissing: 'comply',
    note: `Turned on automatic minor version upgrades for ${resource}: ElastiCache applies them in the maintenance window, with a failover or a brief restart of each node.`,
  };
}

function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  const skip = outOfScope(tfEngineRole(module, resource), resource.address, resource.block.span.start);
  return skip ?? tfBooleanRemedy(module, resource, resource.block, 'auto_minor_version_upgrade', rule(resource.address));
}

function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  const skip = outOfScope(cfnEngineRole(resource), resource.logicalId, resource.span.start);
  return skip ?? cfnBooleanRemedy(template, resource, ['Properties', 'AutoMinorVersionUpgrade'], rule(resource.logicalId));
}

export default defineSkill({
  meta: {
    id: 'elasticache-auto-minor-upgrade',
    title: 'ElastiCache (Redis OSS, Valkey) clusters take automatic minor version upgrades',
    controls: ['ElastiCache.2'],
    configRules: ['elasticache-auto-minor-version-upgrade-check'],
    fixable: 'code',
    risk: 'none',
    messages: {
      settingWrong: '{{setting}} is {{value}}: security patches of the engine wait for someone to apply them by hand.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is true.',
      engineUnknown:
        'The engine is an expression cloudmend cannot evaluate: a Redis OSS or Valkey cluster must keep auto_minor_version_upgrade on.',
    },
  },

  terraform: {
    resourceTypes: ['aws_elasticache_cluster', 'aws_elasticache_replication_group'],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::ElastiCache::CacheCluster', 'AWS::ElastiCache::ReplicationGroup'],
    ...remedyRule(cloudFormationRemedies),
  },
});
