/**
 * CloudFront.3: distributions require encryption in transit between viewers and CloudFront: each
 * cache behavior's viewer protocol policy is `redirect-to-https` or `https-only`, never `allow-all`.
 * The fix redirects (HTTP requests get a 301 to HTTPS) rather than refusing them.
 */
import { propertyAt } from '../../iac/cloudformation/template.js';
import { blocks } from '../../iac/terraform/hcl-structure.js';
import type { Val } from '../../iac/values.js';
import { cfnSettingRemedy, remedyRule, tfSettingRemedy, type Remedy, type SettingRule } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';

const RISK =
  'Viewers requesting over plain HTTP now get a redirect to HTTPS: clients that cannot follow it (old devices, scripts that POST over http://, which a 301 turns into a GET) stop working.';

function rule(distribution: string): SettingRule {
  return {
    value: 'redirect-to-https',
    accepts: (v: Val) => v === 'redirect-to-https' || v === 'https-only',
    whenMissing: 'violation',
    note: `Set the viewer protocol policy of ${distribution} to redirect-to-https where it allowed plain HTTP.`,
  };
}

function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  const { body } = resource.block;
  const setting = 'viewer_protocol_policy';
  const ordered = blocks(body, 'ordered_cache_behavior').flatMap((b, i) =>
    tfSettingRemedy(module, resource, [setting], rule(resource.address), b, `ordered_cache_behavior[${i}].${setting}`),
  );
  const dynamic = blocks(body, 'dynamic')
    .filter((d) => d.labels[0] === 'ordered_cache_behavior' || d.labels[0] === 'default_cache_behavior')
    .map(
      (d): Remedy => ({
        violation: {
          messageId: 'settingUnknown',
          data: { setting: `${d.labels[0]}.${setting}`, expr: `dynamic "${d.labels[0]}"` },
          resource: resource.address,
          offset: d.span.start,
          fixable: false,
          kind: 'violation',
        },
      }),
    );
  const defaults =
    blocks(body, 'default_cache_behavior').length > 0
      ? tfSettingRemedy(module, resource, ['default_cache_behavior', setting], rule(resource.address))
      : [];
  return [...defaults, ...ordered, ...dynamic];
}

function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  const config = ['Properties', 'DistributionConfig'];
  const behaviors = propertyAt(resource, [...config, 'CacheBehaviors']);
  const ordered = Array.isArray(behaviors)
    ? behaviors.flatMap((_, i) =>
        cfnSettingRemedy(template, resource, [...config, 'CacheBehaviors', i, 'ViewerProtocolPolicy'], rule(resource.logicalId)),
      )
    : [];
  return [
    ...cfnSettingRemedy(template, resource, [...config, 'DefaultCacheBehavior', 'ViewerProtocolPolicy'], rule(resource.logicalId)),
    ...ordered,
  ];
}

export default defineSkill({
  meta: {
    id: 'cloudfront-viewer-https',
    title: 'CloudFront distributions: viewers use HTTPS',
    controls: ['CloudFront.3'],
    configRules: ['cloudfront-viewer-policy-https'],
    fixable: 'code',
    risk: 'access-change',
    riskNote: RISK,
    messages: {
      settingWrong: '{{setting}} is {{value}}: viewers can reach the distribution over unencrypted HTTP.',
      settingMissing: '{{setting}} is not set: set redirect-to-https or https-only.',
      settingUnknown:
        '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is redirect-to-https or https-only.',
    },
  },

  terraform: {
    resourceTypes: ['aws_cloudfront_distribution'],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::CloudFront::Distribution'],
    ...remedyRule(cloudFormationRemedies),
  },
});
