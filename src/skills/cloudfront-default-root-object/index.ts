/**
 * CloudFront.1: distributions name a default root object, the object returned for a request of the
 * root URL, so that such a request never reaches the origin's own root (an S3 listing, an
 * application's index). Which object is the team's: the fix only sets
 * `skills.cloudFrontDefaultRootObject`; without it, a finding is a suggestion.
 */
import type { Val } from '../../iac/values.js';
import { cfnSettingRemedy, remedyRule, tfSettingRemedy, type Remedy, type SettingRule } from '../helpers.js';
import { defineSkill, type CfnTarget, type SkillOptions, type TfTarget } from '../types.js';

function rule(distribution: string, object: string): SettingRule {
  return {
    value: object,
    accepts: (v: Val) => typeof v === 'string' && v !== '',
    whenMissing: 'violation',
    note: `Set the default root object of ${distribution} to ${object}: check that object exists at the origin, or the root URL returns an error.`,
  };
}

/** Without a configured object, the same findings for a person, saying which key to set. */
function configured(remedies: Remedy[], options: SkillOptions): Remedy[] {
  if (options.cloudFrontDefaultRootObject !== undefined) return remedies;
  return remedies.map(({ violation }) => ({
    violation: { ...violation, fixable: false, messageId: violation.messageId === 'settingUnknown' ? 'settingUnknown' : 'notConfigured' },
  }));
}

export default defineSkill({
  meta: {
    id: 'cloudfront-default-root-object',
    title: 'CloudFront distributions: default root object set',
    controls: ['CloudFront.1'],
    configRules: ['cloudfront-default-root-object-configured'],
    fixable: 'code',
    options: ['cloudFrontDefaultRootObject'],
    risk: 'none',
    messages: {
      settingWrong: '{{setting}} is {{value}}: a request for the root URL is passed to the origin, which may list or expose its content.',
      settingMissing: '{{setting}} is not set: a request for the root URL is passed to the origin, which may list or expose its content.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it names an object.',
      notConfigured:
        '{{setting}} is not set (or empty): set skills.cloudFrontDefaultRootObject in the config to the object the root URL should return (such as index.html), or set {{setting}} here.',
    },
  },

  terraform: {
    resourceTypes: ['aws_cloudfront_distribution'],
    ...remedyRule(({ module, resource, options }: TfTarget) =>
      configured(
        tfSettingRemedy(module, resource, ['default_root_object'], rule(resource.address, options.cloudFrontDefaultRootObject ?? '')),
        options,
      ),
    ),
  },

  cloudformation: {
    resourceTypes: ['AWS::CloudFront::Distribution'],
    ...remedyRule(({ template, resource, options }: CfnTarget) =>
      configured(
        cfnSettingRemedy(
          template,
          resource,
          ['Properties', 'DistributionConfig', 'DefaultRootObject'],
          rule(resource.logicalId, options.cloudFrontDefaultRootObject ?? ''),
        ),
        options,
      ),
    ),
  },
});
