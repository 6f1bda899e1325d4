/**
 * S3.5: every bucket's policy denies requests that do not use TLS (`aws:SecureTransport` false),
 * for every S3 action, to everyone, on the bucket and its objects.
 */
import { remedyRule } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';
import { cfnFindings } from './cloudformation.js';
import { bucketFindings, moduleFindings } from './terraform.js';

const S3_MODULE = 'terraform-aws-modules/s3-bucket/aws';

export default defineSkill({
  meta: {
    id: 's3-tls-only',
    title: 'S3 buckets: bucket policy denies requests without TLS',
    controls: ['S3.5'],
    configRules: ['s3-bucket-ssl-requests-only'],
    fixable: 'code',
    risk: 'access-change',
    riskNote:
      'Requests to the bucket over plain HTTP are refused: clients, SDKs or tools configured with http:// endpoints must switch to HTTPS.',
    messages: {
      noPolicy: 'Bucket {{bucket}} has no bucket policy, so nothing denies requests sent over plain HTTP.',
      missingDeny:
        '{{policy}} does not deny requests without TLS: add a Deny of s3:* to everyone on the bucket and its objects when aws:SecureTransport is false.',
      policyUnknown:
        '{{policy}} is written in a way cloudmend cannot read; make sure it denies s3:* to everyone on the bucket and its objects when aws:SecureTransport is false.',
      policyUnclear:
        'Bucket {{bucket}} has no policy cloudmend can tie to it, but {{policy}} names a bucket it cannot evaluate; if that is this bucket, add the TLS deny there (a bucket has only one policy).',
      severalPolicies:
        'Bucket {{bucket}} has several policies ({{policy}}) and none denies requests without TLS; a bucket keeps only one, so merge them and add the TLS deny.',
      moduleFlag:
        'Module {{bucket}} does not set attach_deny_insecure_transport_policy = true, so nothing denies requests sent over plain HTTP.',
      flagUnknown:
        'attach_deny_insecure_transport_policy is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is true.',
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
    fix: () => [{ name: 'enforceSSL', value: true }],
  },
});
