/**
 * SecretsManager.1: secrets rotate automatically. Rotation is off unless a rotation schedule names
 * the secret, and it needs a Lambda function that knows how to rotate that kind of credential:
 * only the team knows it, so the fix writes the function and schedule of `skills.secretsManagerRotation`,
 * and without it the finding is a suggestion. The schedule is a sub-resource added after the
 * secret: `aws_secretsmanager_secret_rotation` in Terraform, `AWS::SecretsManager::RotationSchedule`
 * in CloudFormation.
 */
import { insertResource } from '../../iac/cloudformation/edit.js';
import { propertyAt, refersToResource, type CfnTemplate } from '../../iac/cloudformation/template.js';
import { insertAfter } from '../../iac/terraform/edit.js';
import { blocks } from '../../iac/terraform/hcl-structure.js';
import { attrExpr, refersTo, type TfModule, type TfResource } from '../../iac/terraform/module.js';
import { HclRaw, renderBlock } from '../../iac/terraform/render.js';
import { editOrNothing, remedyRule, tfString, type Remedy } from '../helpers.js';
import { defineSkill, type CfnTarget, type SkillOptions, type TfTarget, type Violation } from '../types.js';

type Rotation = NonNullable<SkillOptions['secretsManagerRotation']>;

function note(resource: string, rotation: Rotation): string {
  return (
    `Turned on rotation of ${resource} every ${rotation.days} days with ${rotation.lambdaArn}. Secrets Manager rotates the secret as soon as this is deployed: ` +
    'the function must know how to rotate this kind of secret and reach what it protects, its resource policy must let secretsmanager.amazonaws.com invoke it, and clients must read the secret again rather than keep a copy.'
  );
}

function report(resource: string, offset: number, fixable: boolean): Violation {
  return { messageId: fixable ? 'noRotation' : 'notConfigured', resource, offset, fixable, kind: 'violation' };
}

/** Whether the secret rotates: an inline `rotation_rules` (provider v4) or a rotation naming it by reference, name or ARN. */
function rotates(module: TfModule, secret: TfResource): boolean {
  if (blocks(secret.block.body, 'rotation_rules').length > 0) return true;
  const name = tfString(module, secret.block.body, 'name');
  return module.resources.some(
    (r) =>
      r.type === 'aws_secretsmanager_secret_rotation' &&
      (refersTo(attrExpr(r.block.body, 'secret_id'), secret.address) ||
        (name !== undefined && tfString(module, r.block.body, 'secret_id') === name)),
  );
}

function rotationBlock(module: TfModule, secret: TfResource, rotation: Rotation): string {
  const taken = new Set(module.resources.filter((r) => r.type === 'aws_secretsmanager_secret_rotation').map((r) => r.name));
  const label = taken.has(secret.name) ? `${secret.name}_rotation` : secret.name;
  const rules = ['rotation_rules {', `  automatically_after_days = ${rotation.days}`, '}'].join('\n');
  return renderBlock(
    'resource',
    ['aws_secretsmanager_secret_rotation', label],
    { secret_id: new HclRaw(`${secret.address}.id`), rotation_lambda_arn: rotation.lambdaArn },
    [rules],
  );
}

function terraformRemedies({ module, resource, options }: TfTarget): Remedy[] {
  if (rotates(module, resource)) return [];
  const rotation = options.secretsManagerRotation;
  const violation = report(resource.address, resource.block.span.start, rotation !== undefined);
  if (rotation === undefined) return [{ violation }];
  return [
    {
      violation,
      edits: [insertAfter(resource.file, resource.block, rotationBlock(module, resource, rotation))],
      note: note(resource.address, rotation),
    },
  ];
}

function scheduleId(template: CfnTemplate, secret: string): string {
  const ids = new Set(template.resources.map((r) => r.logicalId));
  let id = `${secret}RotationSchedule`;
  for (let i = 2; ids.has(id); i++) id = `${secret}RotationSchedule${i}`;
  return id;
}

function cloudFormationRemedies({ template, resource, options }: CfnTarget): Remedy[] {
  const scheduled = template.resources.some(
    (r) =>
      r.type === 'AWS::SecretsManager::RotationSchedule' && refersToResource(propertyAt(r, ['Properties', 'SecretId']), resource.logicalId),
  );
  if (scheduled) return [];
  const rotation = options.secretsManagerRotation;
  const edit =
    rotation === undefined
      ? undefined
      : editOrNothing(() =>
          insertResource(template, resource, scheduleId(template, resource.logicalId), {
            Type: 'AWS::SecretsManager::RotationSchedule',
            Properties: {
              SecretId: { Ref: resource.logicalId },
              RotationLambdaARN: rotation.lambdaArn,
              RotationRules: { AutomaticallyAfterDays: rotation.days },
            },
          }),
        );
  const violation = report(resource.logicalId, resource.span.start, edit !== undefined);
  return [{ violation, edits: edit ? [edit] : undefined, note: rotation === undefined ? undefined : note(resource.logicalId, rotation) }];
}

export default defineSkill({
  meta: {
    id: 'secretsmanager-rotation',
    title: 'Secrets Manager secrets rotate automatically',
    controls: ['SecretsManager.1'],
    configRules: ['secretsmanager-rotation-enabled-check'],
    fixable: 'code',
    options: ['secretsManagerRotation'],
    risk: 'access-change',
    riskNote:
      'The secret value changes when this is deployed and on every rotation: clients that keep a copy (read once at start, baked into configuration) fail until they read it again, and a rotation function that cannot rotate this kind of secret leaves it failing (SecretsManager.2).',
    messages: {
      noRotation: 'The secret has no rotation schedule: its value never changes, so a leaked copy stays valid.',
      notConfigured:
        'The secret has no rotation schedule: its value never changes, so a leaked copy stays valid. Rotation needs a function that knows this kind of credential: set skills.secretsManagerRotation in the config (lambdaArn, days), or add a rotation schedule for this secret.',
    },
  },

  terraform: {
    resourceTypes: ['aws_secretsmanager_secret'],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::SecretsManager::Secret'],
    ...remedyRule(cloudFormationRemedies),
  },
});
