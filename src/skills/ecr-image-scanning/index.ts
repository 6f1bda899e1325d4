/**
 * ECR.1: private repositories scan images, on push or continuously. Repository scanning is off by
 * default (`scan_on_push` / `ScanOnPush` false). Enhanced scanning set for the whole registry in
 * the same code (`aws_ecr_registry_scanning_configuration` with `scan_type = "ENHANCED"`) replaces
 * repository settings, so its repositories are not reported.
 */
import { tfString, cfnBooleanRemedy, remedyRule, tfSettingRemedy, type BooleanRule, type Remedy } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';

function rule(resource: string): BooleanRule {
  return {
    required: true,
    whenMissing: 'violation',
    note: `Turned on scan on push in ${resource}: each pushed image is scanned for known vulnerabilities (basic scanning is free).`,
  };
}

function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  const enhanced = module.resources.some(
    (r) => r.type === 'aws_ecr_registry_scanning_configuration' && tfString(module, r.block.body, 'scan_type') === 'ENHANCED',
  );
  if (enhanced) return [];
  // terraform-aws-modules/ecr scans on push unless told otherwise (since v1.0.0).
  if (resource.mode === 'module')
    return tfSettingRemedy(module, resource, ['repository_image_scan_on_push'], {
      ...rule(resource.address),
      whenMissing: 'comply',
      value: true,
    });
  return tfSettingRemedy(module, resource, ['image_scanning_configuration', 'scan_on_push'], { ...rule(resource.address), value: true });
}

function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  return cfnBooleanRemedy(template, resource, ['Properties', 'ImageScanningConfiguration', 'ScanOnPush'], rule(resource.logicalId));
}

export default defineSkill({
  meta: {
    id: 'ecr-image-scanning',
    title: 'ECR repositories scan images on push',
    controls: ['ECR.1'],
    configRules: ['ecr-private-image-scanning-enabled'],
    fixable: 'code',
    risk: 'none',
    messages: {
      settingWrong: '{{setting}} is {{value}}: pushed images are never scanned for known vulnerabilities.',
      settingMissing: '{{setting}} is not set: ECR does not scan pushed images unless asked to.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is true.',
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
    fix: () => [{ name: 'imageScanOnPush', value: true }],
  },
});
