/**
 * ECR.3: private repositories have at least one lifecycle policy, so old images do not pile up
 * (with their vulnerabilities) forever. How many images a repository keeps is the team's call:
 * the fix adds a rule expiring all but the newest `skills.ecrLifecycleMaxImages` images, and
 * without that setting the finding is a suggestion. In Terraform the policy is a resource of its
 * own (`aws_ecr_lifecycle_policy`, added right after the repository); in CloudFormation the
 * repository's `LifecyclePolicy` property.
 */
import { setProperty } from '../../iac/cloudformation/edit.js';
import { propertyAt } from '../../iac/cloudformation/template.js';
import { insertAfter } from '../../iac/terraform/edit.js';
import { attrExpr, refersTo, type TfModule, type TfResource } from '../../iac/terraform/module.js';
import { editOrNothing, remedyRule, tfString, type Remedy } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget, type Violation } from '../types.js';

function policyDocument(count: number) {
  return {
    rules: [
      {
        rulePriority: 1,
        description: `Keep the newest ${count} images`,
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: count },
        action: { type: 'expire' },
      },
    ],
  };
}

function note(resource: string, count: number): string {
  return `Added a lifecycle policy to ${resource} that expires all but the newest ${count} images. Expired images are deleted for good: make sure no running service, rollback or pinned digest needs an image older than that.`;
}

function report(resource: string, offset: number, fixable: boolean): Violation {
  return { messageId: fixable ? 'noPolicy' : 'notConfigured', resource, offset, fixable, kind: 'violation' };
}

/** Whether a lifecycle policy of the module names the repository, by reference or by its name. */
function hasPolicy(module: TfModule, repository: TfResource): boolean {
  const name = tfString(module, repository.block.body, 'name');
  return module.resources.some(
    (r) =>
      r.type === 'aws_ecr_lifecycle_policy' &&
      (refersTo(attrExpr(r.block.body, 'repository'), repository.address) ||
        (name !== undefined && tfString(module, r.block.body, 'repository') === name)),
  );
}

function policyBlock(module: TfModule, repository: TfResource, count: number): string {
  const taken = new Set(module.resources.filter((r) => r.type === 'aws_ecr_lifecycle_policy').map((r) => r.name));
  const label = taken.has(repository.name) ? `${repository.name}_lifecycle` : repository.name;
  return [
    `resource "aws_ecr_lifecycle_policy" "${label}" {`,
    `  repository = ${repository.address}.name`,
    '  policy = jsonencode({',
    '    rules = [{',
    '      rulePriority = 1',
    `      description  = "Keep the newest ${count} images"`,
    '      selection = {',
    '        tagStatus   = "any"',
    '        countType   = "imageCountMoreThan"',
    `        countNumber = ${count}`,
    '      }',
    '      action = {',
    '        type = "expire"',
    '      }',
    '    }]',
    '  })',
    '}',
  ].join('\n');
}

function terraformRemedies({ module, resource, options }: TfTarget): Remedy[] {
  if (hasPolicy(module, resource)) return [];
  const count = options.ecrLifecycleMaxImages;
  const violation = report(resource.address, resource.block.span.start, count !== undefined);
  if (count === undefined) return [{ violation }];
  return [
    {
      violation,
      edits: [insertAfter(resource.file, resource.block, policyBlock(module, resource, count))],
      note: note(resource.address, count),
    },
  ];
}

function cloudFormationRemedies({ template, resource, options }: CfnTarget): Remedy[] {
  const path = ['Properties', 'LifecyclePolicy'];
  if (propertyAt(resource, path) !== undefined) return [];
  const count = options.ecrLifecycleMaxImages;
  const edit =
    count === undefined
      ? undefined
      : editOrNothing(() => setProperty(template, resource, path, { LifecyclePolicyText: JSON.stringify(policyDocument(count)) }));
  const violation = report(resource.logicalId, resource.span.start, edit !== undefined);
  return [{ violation, edits: edit ? [edit] : undefined, note: count === undefined ? undefined : note(resource.logicalId, count) }];
}

export default defineSkill({
  meta: {
    id: 'ecr-lifecycle-policy',
    title: 'ECR repositories have a lifecycle policy',
    controls: ['ECR.3'],
    configRules: ['ecr-private-lifecycle-policy-configured'],
    fixable: 'code',
    options: ['ecrLifecycleMaxImages'],
    risk: 'none',
    messages: {
      noPolicy: 'The repository has no lifecycle policy: every image pushed is kept forever, old and vulnerable ones included.',
      notConfigured:
        'The repository has no lifecycle policy: every image pushed is kept forever, old and vulnerable ones included: set skills.ecrLifecycleMaxImages in the config to the number of images a repository keeps (the fix then adds a policy expiring older ones), or add a lifecycle policy of your own.',
    },
  },

  terraform: {
    resourceTypes: ['aws_ecr_repository'],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::ECR::Repository'],
    ...remedyRule(cloudFormationRemedies),
  },
});
