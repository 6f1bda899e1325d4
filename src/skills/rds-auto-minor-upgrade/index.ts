/**
 * RDS.13: DB instances take minor engine upgrades automatically. The flag is on unless turned off
 * (the AWS provider, CloudFormation and both registry modules leave RDS's default, true), so only
 * a stated `false` is a violation. Aurora instances have a flag of their own and are checked too;
 * the rds-aurora module also takes per-instance overrides in its `instances` map.
 */
import { cfnSettingRemedy, remedyRule, tfSettingRemedy, type Remedy, type SettingRule } from '../helpers.js';
import { AURORA_MODULE, auroraInstanceOverrides, RDS_MODULE } from '../rds.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';

function rule(resource: string, setting: string): SettingRule {
  return {
    value: true,
    whenMissing: 'comply',
    note: `Set ${setting} to true in ${resource}: RDS now applies minor engine versions in the maintenance window (a short restart); pin the window if it matters.`,
  };
}

function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  const own = tfSettingRemedy(module, resource, ['auto_minor_version_upgrade'], rule(resource.address, 'auto_minor_version_upgrade'));
  if (resource.mode !== 'module' || !resource.type.endsWith(AURORA_MODULE)) return own;
  return [
    ...own,
    ...auroraInstanceOverrides(module, resource, 'auto_minor_version_upgrade', rule(resource.address, 'auto_minor_version_upgrade')),
  ];
}

function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  return cfnSettingRemedy(
    template,
    resource,
    ['Properties', 'AutoMinorVersionUpgrade'],
    rule(resource.logicalId, 'AutoMinorVersionUpgrade'),
  );
}

export default defineSkill({
  meta: {
    id: 'rds-auto-minor-upgrade',
    title: 'RDS DB instances upgrade minor engine versions automatically',
    controls: ['RDS.13'],
    configRules: ['rds-automatic-minor-version-upgrade-enabled'],
    fixable: 'code',
    risk: 'none',
    messages: {
      settingWrong: '{{setting}} is {{value}}: security patches and bug fixes of the engine are never applied automatically.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is true.',
      instanceOverride:
        'Instance "{{instance}}" of the Aurora module sets {{setting}} = {{value}} in the instances map; set it to true there (or remove it).',
      instanceOverrideUnknown:
        'Instance "{{instance}}" of the Aurora module sets {{setting}} to an expression cloudmend cannot evaluate; make sure it is true.',
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
    fix: () => [{ name: 'autoMinorVersionUpgrade', value: true }],
  },
});
