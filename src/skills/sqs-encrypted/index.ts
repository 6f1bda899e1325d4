/**
 * SQS.1: queues encrypt messages at rest, with SQS-owned keys (SSE-SQS) or a KMS key (SSE-KMS).
 * Since October 2022 SQS creates queues with SSE-SQS unless told otherwise, but a queue created
 * before that stays unencrypted and code that does not say so relies on the default: a missing
 * setting is `unpinned` and the fix pins `sqs_managed_sse_enabled = true` / `SqsManagedSseEnabled:
 * true`. A queue that names a KMS key complies and is left alone (the two settings conflict).
 */
import { propertyAt } from '../../iac/cloudformation/template.js';
import { readHclValue } from '../../iac/terraform/hcl-expr.js';
import { attribute } from '../../iac/terraform/hcl-structure.js';
import { cfnBooleanRemedy, minimumMajor, remedyRule, tfSettingRemedy, tfString, type BooleanRule, type Remedy } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';

function rule(resource: string): BooleanRule {
  return {
    required: true,
    whenMissing: 'unpinned',
    note: `Turned on SSE-SQS in ${resource}: messages are encrypted at rest with SQS-owned keys, transparently to producers and consumers.`,
  };
}

export const SQS_MODULE = 'terraform-aws-modules/sqs/aws';

function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  const key = attribute(resource.block.body, 'kms_master_key_id');
  const value = key ? readHclValue(key.expr) : undefined;
  // A key named in any way other than a literal null or "" (a variable, a resource's ARN...) is SSE-KMS.
  if (value && !(value.type === 'literal' && (value.value === null || value.value === ''))) return [];
  if (value?.type === 'literal' && value.value === '') {
    const violation = {
      messageId: 'emptyKey',
      resource: resource.address,
      offset: key!.span.start,
      fixable: false,
      kind: 'violation' as const,
    };
    return [{ violation }];
  }
  // The module turns SSE-SQS on by default from v4.0.0 (v3.4 added the input, off by default).
  const major = resource.mode === 'module' ? (minimumMajor(tfString(module, resource.block.body, 'version')) ?? 4) : undefined;
  const whenMissing = major === undefined ? 'unpinned' : major >= 4 ? 'comply' : 'violation';
  return tfSettingRemedy(module, resource, ['sqs_managed_sse_enabled'], { ...rule(resource.address), whenMissing, value: true });
}

function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  const key = propertyAt(resource, ['Properties', 'KmsMasterKeyId']);
  if (key !== undefined && key !== null && key !== '') return [];
  return cfnBooleanRemedy(template, resource, ['Properties', 'SqsManagedSseEnabled'], rule(resource.logicalId));
}

export default defineSkill({
  meta: {
    id: 'sqs-encrypted',
    title: 'SQS queues are encrypted at rest',
    controls: ['SQS.1'],
    configRules: ['sqs-queue-encrypted'],
    fixable: 'code',
    risk: 'none',
    messages: {
      settingWrong: '{{setting}} is {{value}} and no KMS key is set: messages are stored unencrypted.',
      settingMissing: '{{setting}} is not set and no KMS key is set: messages may be stored unencrypted.',
      settingUnpinned:
        '{{setting}} is not set and no KMS key is set: the queue is encrypted only through the SSE-SQS default of queues created since October 2022 (older queues are not).',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is true or a KMS key is set.',
      emptyKey:
        'kms_master_key_id is an empty string: name a KMS key, or remove it and set sqs_managed_sse_enabled = true for SQS-owned keys.',
    },
  },

  terraform: {
    resourceTypes: ['aws_sqs_queue', `module:${SQS_MODULE}`],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::SQS::Queue'],
    ...remedyRule(cloudFormationRemedies),
  },

  cdk: {
    constructs: ['aws-cdk-lib.aws_sqs.Queue'],
    fix: () => [{ name: 'encryption', value: { $ref: 'aws-cdk-lib.aws_sqs.QueueEncryption.SQS_MANAGED' } }],
  },
});
