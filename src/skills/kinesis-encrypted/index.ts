/**
 * Kinesis.1: data streams encrypt records at rest with a KMS key (server-side encryption). Streams
 * are unencrypted unless asked: `encryption_type` defaults to `NONE`, and a CloudFormation stream
 * without `StreamEncryption` is not encrypted. The fix turns on SSE with the key the code names,
 * or else with the AWS managed key `alias/aws/kinesis`, which every account has and whose policy
 * lets any principal of the account that may use the stream use it through Kinesis: no value is
 * guessed and no key policy has to change. Turning SSE on is in place: no new stream, no downtime.
 */
import { setPropertyAt } from '../../iac/cloudformation/edit.js';
import { nodeAt, propertyAt } from '../../iac/cloudformation/template.js';
import type { TextEdit } from '../../iac/edits.js';
import { appendToBody, setAttribute } from '../../iac/terraform/edit.js';
import { readHclValue, staticValue } from '../../iac/terraform/hcl-expr.js';
import { attribute } from '../../iac/terraform/hcl-structure.js';
import { cfnSettingRemedy, editOrNothing, remedyRule, type Remedy } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget, type Violation } from '../types.js';

const AWS_KEY = 'alias/aws/kinesis';

function note(resource: string, key: boolean): string {
  return key
    ? `Turned on server-side encryption of ${resource} with the KMS key it names.`
    : `Turned on server-side encryption of ${resource} with the AWS managed key ${AWS_KEY}: producers and consumers of this account need no change; another account's need a customer managed key (set kms_key_id / KeyId to one whose policy grants them).`;
}

function violation(resource: string, offset: number, messageId: string, data: Record<string, string>, fixable: boolean): Violation {
  return { messageId, data, resource, offset, fixable, kind: 'violation' };
}

function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  const { file, block, address } = resource;
  const type = attribute(block.body, 'encryption_type');
  const key = attribute(block.body, 'kms_key_id');
  const keyValue = key ? readHclValue(key.expr) : undefined;
  const keyless = !keyValue || (keyValue.type === 'literal' && (keyValue.value === null || keyValue.value === ''));
  const value = type ? staticValue(readHclValue(type.expr), module.resolve) : undefined;
  const offset = type?.span.start ?? block.span.start;
  if (type && value === undefined)
    return [{ violation: violation(address, offset, 'settingUnknown', { setting: 'encryption_type', expr: type.expr }, false) }];
  if (value === 'KMS' && !keyless) return [];
  const edits: TextEdit[] = [];
  const keyLine = `kms_key_id = "${AWS_KEY}"`;
  if (!type && !key)
    edits.push(appendToBody(file, block, [...(block.body.items.length > 0 ? [''] : []), 'encryption_type = "KMS"', keyLine]));
  else {
    if (value !== 'KMS') edits.push(setAttribute(file, block, 'encryption_type', '"KMS"'));
    if (keyless) edits.push(setAttribute(file, block, 'kms_key_id', `"${AWS_KEY}"`));
  }
  const v =
    value === 'KMS'
      ? violation(address, key?.span.start ?? offset, 'keyMissing', { setting: 'kms_key_id' }, true)
      : type
        ? violation(address, offset, 'settingWrong', { setting: 'encryption_type', value: JSON.stringify(value) }, true)
        : violation(address, offset, 'settingMissing', { setting: 'encryption_type' }, true);
  return [{ violation: v, edits, note: note(address, !keyless) }];
}

function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  const path = ['Properties', 'StreamEncryption'];
  const sse = propertyAt(resource, path);
  if (sse === undefined || sse === null) {
    const edit = editOrNothing(() => setPropertyAt(template, resource, path, { EncryptionType: 'KMS', KeyId: AWS_KEY }));
    const offset = nodeAt(resource, ['Properties'])?.range?.[0] ?? resource.span.start;
    const v = violation(resource.logicalId, offset, 'settingMissing', { setting: 'StreamEncryption' }, edit !== undefined);
    return [{ violation: v, edits: edit ? [edit] : undefined, note: note(resource.logicalId, false) }];
  }
  return cfnSettingRemedy(template, resource, [...path, 'EncryptionType'], {
    value: 'KMS',
    whenMissing: 'violation',
    note: note(resource.logicalId, true),
  });
}

export default defineSkill({
  meta: {
    id: 'kinesis-encrypted',
    title: 'Kinesis data streams are encrypted at rest',
    controls: ['Kinesis.1'],
    configRules: ['kinesis-stream-encrypted'],
    fixable: 'code',
    risk: 'access-change',
    riskNote:
      'The AWS managed key alias/aws/kinesis serves principals of this account only: a producer or consumer in another account (a cross-account role, a shared stream) can no longer read or write the stream until it is given a customer managed key whose policy grants it.',
    messages: {
      settingWrong: '{{setting}} is {{value}}: records are stored unencrypted.',
      settingMissing: '{{setting}} is not set: Kinesis stores records unencrypted unless asked to encrypt them.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is KMS.',
      keyMissing: 'encryption_type is KMS but {{setting}} names no key: AWS refuses to encrypt without one.',
    },
  },

  terraform: {
    resourceTypes: ['aws_kinesis_stream'],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::Kinesis::Stream'],
    ...remedyRule(cloudFormationRemedies),
  },

  cdk: {
    constructs: ['aws-cdk-lib.aws_kinesis.Stream'],
    fix: () => [{ name: 'encryption', value: { $ref: 'aws-cdk-lib.aws_kinesis.StreamEncryption.MANAGED' } }],
  },
});
