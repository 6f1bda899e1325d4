/**
 * CloudTrail.4: trails sign a digest of their log files every hour, so a changed or deleted log
 * file can be detected (`aws cloudtrail validate-logs`). Validation is off unless asked for.
 */
import { cfnSettingRemedy, remedyRule, tfSettingRemedy, type SettingRule } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';

function rule(trail: string): SettingRule {
  return {
    value: true,
    whenMissing: 'violation',
    note: `Turned on log file validation of ${trail}: CloudTrail now delivers an hourly signed digest file next to the logs (a few KB each).`,
  };
}

export default defineSkill({
  meta: {
    id: 'cloudtrail-log-validation',
    title: 'CloudTrail: log file integrity validation on',
    controls: ['CloudTrail.4'],
    configRules: ['cloud-trail-log-file-validation-enabled'],
    fixable: 'code',
    risk: 'none',
    messages: {
      settingWrong: "{{setting}} is {{value}}: nobody can prove the trail's log files were not changed or deleted after delivery.",
      settingMissing:
        '{{setting}} is not set: CloudTrail does not validate log files unless asked to, so changed or deleted logs go unnoticed.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is true.',
    },
  },

  terraform: {
    resourceTypes: ['aws_cloudtrail'],
    ...remedyRule(({ module, resource }: TfTarget) =>
      tfSettingRemedy(module, resource, ['enable_log_file_validation'], rule(resource.address)),
    ),
  },

  cloudformation: {
    resourceTypes: ['AWS::CloudTrail::Trail'],
    ...remedyRule(({ template, resource }: CfnTarget) =>
      cfnSettingRemedy(template, resource, ['Properties', 'EnableLogFileValidation'], rule(resource.logicalId)),
    ),
  },

  cdk: {
    constructs: ['aws-cdk-lib.aws_cloudtrail.Trail'],
    fix: () => [{ name: 'enableFileValidation', value: true }],
  },
});
