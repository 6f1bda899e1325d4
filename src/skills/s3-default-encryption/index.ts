/**
 * S3.4: default server-side encryption on every bucket. Since January 2023 S3 encrypts every new
 * object with SSE-S3 whatever the bucket says, so a bucket without a configuration is compliant but
 * unpinned: the fix states AES256 explicitly. An invalid or empty algorithm is a violation.
 */
import { replaceSeqItem, setProperty } from '../../iac/cloudformation/edit.js';
import { nodeAt, propertyAt, type CfnResource, type CfnTemplate, type CfnValue } from '../../iac/cloudformation/template.js';
import { editOrNothing, remedyRule, type Remedy } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget, type Violation } from '../types.js';
import { ALGORITHMS, bucketFindings, moduleFindings } from './terraform.js';

import { S3_MODULE } from '../s3-terraform.js';
const CONFIG_PATH = ['Properties', 'BucketEncryption', 'ServerSideEncryptionConfiguration'];
const AES256_RULE = { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } };

function isMap(value: CfnValue | undefined): value is Record<string, CfnValue> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function cfnFindings(template: CfnTemplate, resource: CfnResource): Remedy[] {
  const base = { resource: resource.logicalId, data: { bucket: resource.logicalId } };
  const note = `Set the default encryption of ${resource.logicalId} to AES256 (SSE-S3).`;
  if (propertyAt(resource, ['Properties', 'BucketEncryption']) === undefined) {
    const edit = editOrNothing(() =>
      setProperty(template, resource, ['Properties', 'BucketEncryption'], { ServerSideEncryptionConfiguration: [AES256_RULE] }),
    );
    const violation: Violation = {
      ...base,
      messageId: 'noEncryption',
      offset: resource.span.start,
      fixable: edit !== undefined,
      kind: 'unpinned',
    };
    if (!edit) return [{ violation }];
    return [
      {
        violation,
        edits: [edit],
        note: `Pinned the default encryption of ${resource.logicalId} to AES256 (SSE-S3), the encryption S3 applies by default.`,
      },
    ];
  }
  const rules = propertyAt(resource, CONFIG_PATH);
  const offset = nodeAt(resource, CONFIG_PATH)?.range?.[0] ?? resource.span.start;
  if (!Array.isArray(rules) || rules.length === 0) {
    return [
      {
        violation: {
          ...base,
          data: { ...base.data, value: 'ServerSideEncryptionConfiguration' },
          messageId: 'algorithmUnknown',
          offset,
          fixable: false,
          kind: 'violation',
        },
      },
    ];
  }
  const states = rules.map((rule, i) => {
    const def = isMap(rule) ? rule.ServerSideEncryptionByDefault : undefined;
    const algorithm = isMap(def) ? def.SSEAlgorithm : undefined;
    return { rule, def, algorithm, path: [...CONFIG_PATH, i, 'ServerSideEncryptionByDefault', 'SSEAlgorithm'], i };
  });
  if (states.some((s) => typeof s.algorithm === 'string' && ALGORITHMS.includes(s.algorithm))) return [];
  const unknown = states.find((s) => isMap(s.algorithm) || Array.isArray(s.algorithm) || !isMap(s.rule));
  if (unknown) {
    const at = nodeAt(resource, unknown.path)?.range?.[0] ?? offset;
    return [
      {
        violation: {
          ...base,
          data: { ...base.data, value: 'an intrinsic function' },
          messageId: 'algorithmUnknown',
          offset: at,
          fixable: false,
          kind: 'violation',
        },
      },
    ];
  }
  const [first] = states;
  if (!first || !isMap(first.rule)) return [];
  // With a KMS key next to it, the author meant KMS: which algorithm is for a person to say.
  const kms = isMap(first.def) && first.def.KMSMasterKeyID !== undefined;
  const scalar = nodeAt(resource, first.path)?.range;
  const rule = { ...first.rule, ServerSideEncryptionByDefault: { ...(isMap(first.def) ? first.def : {}), SSEAlgorithm: 'AES256' } };
  // A wrong string is replaced in place; a missing algorithm means rewriting the rule.
  const edit = kms
    ? undefined
    : typeof first.algorithm === 'string' && scalar
      ? { file: template.path, start: scalar[0], end: scalar[1], text: template.format === 'json' ? '"AES256"' : 'AES256' }
      : editOrNothing(() => replaceSeqItem(template, resource, CONFIG_PATH, first.i, [rule]));
  const violation: Violation = {
    ...base,
    data: { ...base.data, value: JSON.stringify(first.algorithm ?? 'none') },
    messageId: 'invalidAlgorithm',
    offset: scalar?.[0] ?? offset,
    fixable: edit !== undefined,
    kind: 'violation',
  };
  return [{ violation, ...(edit ? { edits: [edit], note } : {}) }];
}

export default defineSkill({
  meta: {
    id: 's3-default-encryption',
    title: 'S3 buckets: default server-side encryption pinned',
    controls: ['S3.4'],
    configRules: ['s3-bucket-server-side-encryption-enabled'],
    fixable: 'code',
    risk: 'none',
    messages: {
      noEncryption:
        'Bucket {{bucket}} has no default encryption configuration: it relies on the SSE-S3 default S3 applies since January 2023 instead of saying so.',
      noAlgorithm: 'The default encryption of bucket {{bucket}} names no algorithm: it relies on the SSE-S3 default instead of saying so.',
      invalidAlgorithm:
        'The default encryption of bucket {{bucket}} uses the algorithm {{value}}, which S3 does not accept: use AES256, aws:kms or aws:kms:dsse.',
      algorithmUnknown:
        'The default encryption of bucket {{bucket}} is set with an expression cloudmend cannot evaluate ({{value}}); make sure it names AES256, aws:kms or aws:kms:dsse.',
    },
  },

  terraform: {
    resourceTypes: ['aws_s3_bucket', `module:${S3_MODULE}`],
    ...remedyRule(({ module, resource }: TfTarget) =>
      resource.mode === 'module' ? moduleFindings(module, resource) : bucketFindings(module, resource),
    ),
  },

  cloudformation: {
    resourceTypes: ['AWS::S3::Bucket'],
    ...remedyRule(({ template, resource }: CfnTarget) => cfnFindings(template, resource)),
  },

  cdk: {
    constructs: ['aws-cdk-lib.aws_s3.Bucket'],
    fix: () => [{ name: 'encryption', value: { $ref: 'aws-cdk-lib.aws_s3.BucketEncryption.S3_MANAGED' } }],
  },
});
