/**
 * ECR.2: private repositories have immutable tags, so a tag always names the image that was
 * scanned and deployed. Tags are mutable by default (`image_tag_mutability` /
 * `ImageTagMutability` default `MUTABLE`). `IMMUTABLE_WITH_EXCLUSION` (immutable but for the tags
 * the exclusion filters list) is accepted as the team's stated choice; `MUTABLE_WITH_EXCLUSION`
 * is reported for a person, since its filters mean the opposite once tags are immutable.
 */
import { cfnSettingRemedy, remedyRule, tfSettingRemedy, type Remedy, type SettingRule } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';

const IMMUTABLE = new Set(['IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION']);

function rule(resource: string): SettingRule {
  return {
    value: 'IMMUTABLE',
    accepts: (value) => typeof value === 'string' && IMMUTABLE.has(value),
    whenMissing: 'violation',
    note: `Made the tags of ${resource} immutable. A push that reuses an existing tag (latest, a branch name) now fails: tag images uniquely (a commit SHA or a version) before merging.`,
  };
}

/** A wrong value with exclusion filters is a person's call: the filters would then mean the opposite. */
function withoutExclusions(remedies: Remedy[]): Remedy[] {
  return remedies.map((r) =>
    r.violation.data?.value === '"MUTABLE_WITH_EXCLUSION"' ? { violation: { ...r.violation, messageId: 'exclusions', fixable: false } } : r,
  );
}

function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  // terraform-aws-modules/ecr makes tags immutable unless told otherwise (since v1.0.0).
  if (resource.mode === 'module')
    return withoutExclusions(
      tfSettingRemedy(module, resource, ['repository_image_tag_mutability'], { ...rule(resource.address), whenMissing: 'comply' }),
    );
  return withoutExclusions(tfSettingRemedy(module, resource, ['image_tag_mutability'], rule(resource.address)));
}

function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  return withoutExclusions(cfnSettingRemedy(template, resource, ['Properties', 'ImageTagMutability'], rule(resource.logicalId)));
}

export default defineSkill({
  meta: {
    id: 'ecr-tag-immutability',
    title: 'ECR repositories have immutable tags',
    controls: ['ECR.2'],
    configRules: ['ecr-private-tag-immutability-enabled'],
    fixable: 'code',
    risk: 'access-change',
    riskNote:
      'Pushes that reuse a tag (latest, dev, a branch name) start failing with ImageTagAlreadyExistsException: pipelines must push unique tags (a commit SHA or a version) and deploy by them.',
    messages: {
      settingWrong: '{{setting}} is {{value}}: a tag can be moved to another image after it was scanned or deployed.',
      settingMissing: '{{setting}} is not set: ECR tags are mutable by default, so a tag can be moved to another image.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is IMMUTABLE.',
      exclusions:
        '{{setting}} is {{value}}: tags are mutable but for the exclusion filters. Decide which tags may move and use IMMUTABLE or IMMUTABLE_WITH_EXCLUSION with filters that list those.',
    },
  },

  terraform: {
    resourceTypes: ['aws_ecr_repository', 'module:terraform-aws-modules/ecr/aws'],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::ECR::Repository'],
    ...remedyRule(cloudFormationRemedies),
  },

  cdk: {
    constructs: ['aws-cdk-lib.aws_ecr.Repository'],
    fix: () => [{ name: 'imageTagMutability', value: { $ref: 'aws-cdk-lib.aws_ecr.TagMutability.IMMUTABLE' } }],
  },
});
