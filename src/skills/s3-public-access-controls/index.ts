/**
 * S3.2 / S3.3: no public read or write access through the bucket ACL or the bucket policy. A public
 * canned ACL is set to private; public grants and public policy statements are reported for a
 * person, because only they know what is meant to be shared.
 */
import { setProperty } from '../../iac/cloudformation/edit.js';
import { nodeAt, propertyAt, type CfnResource, type CfnTemplate } from '../../iac/cloudformation/template.js';
import { setAttribute } from '../../iac/terraform/edit.js';
import { cfnSetting } from '../helpers.js';
import { parsePolicy } from '../policy-document.js';
import { defineSkill, type Violation } from '../types.js';
import { publicStatements, PUBLIC_CANNED_ACLS } from './public.js';
import { detectTerraform } from './terraform.js';

const S3_MODULE = 'terraform-aws-modules/s3-bucket/aws';

/** Whether the bucket a policy names (`Bucket: !Ref X`) restricts public policies, which makes them ineffective. */
function restricted(template: CfnTemplate, policy: CfnResource): boolean {
  const ref = propertyAt(policy, ['Properties', 'Bucket']);
  const id = ref && typeof ref === 'object' && !Array.isArray(ref) ? ref.Ref : undefined;
  const bucket = template.resources.find((r) => r.logicalId === id && r.type === 'AWS::S3::Bucket');
  return bucket !== undefined && cfnSetting(bucket, ['Properties', 'PublicAccessBlockConfiguration', 'RestrictPublicBuckets']) === 'on';
}

function cfnBucket(resource: CfnResource): Violation[] {
  const path = ['Properties', 'AccessControl'];
  const acl = propertyAt(resource, path);
  const offset = nodeAt(resource, path)?.range?.[0] ?? resource.span.start;
  const base = { resource: resource.logicalId, offset, kind: 'violation' } as const;
  if (acl === undefined || cfnSetting(resource, ['Properties', 'PublicAccessBlockConfiguration', 'IgnorePublicAcls']) === 'on') return [];
  if (typeof acl !== 'string') return [{ ...base, messageId: 'aclUnknown', data: { expr: 'an intrinsic function' }, fixable: false }];
  const canned = PUBLIC_CANNED_ACLS[acl];
  return canned ? [{ ...base, messageId: 'publicAcl', data: { acl, ...canned }, fixable: true }] : [];
}

function cfnPolicy(template: CfnTemplate, resource: CfnResource): Violation[] {
  const path = ['Properties', 'PolicyDocument'];
  const offset = nodeAt(resource, path)?.range?.[0] ?? resource.span.start;
  const base = { resource: resource.logicalId, offset, fixable: false, kind: 'violation' } as const;
  if (restricted(template, resource)) return [];
  const document = parsePolicy(propertyAt(resource, path));
  if (!document) return [{ ...base, messageId: 'policyUnknown', data: { expr: 'PolicyDocument' } }];
  return publicStatements(document).map((s) => ({ ...base, messageId: 'publicPolicy', data: { statement: s.label, access: s.access } }));
}

export default defineSkill({
  meta: {
    id: 's3-public-access-controls',
    title: 'S3 buckets: no public read or write through ACLs or bucket policies',
    controls: ['S3.2', 'S3.3'],
    configRules: ['s3-bucket-public-read-prohibited', 's3-bucket-public-write-prohibited'],
    fixable: 'code',
    risk: 'access-change',
    riskNote:
      'The bucket ACL becomes private: anonymous or any-AWS-account reads and writes that relied on it (a static website, public downloads) are denied.',
    messages: {
      publicAcl: 'The canned ACL {{acl}} gives {{grantee}} {{access}} access to the bucket.',
      aclUnknown:
        'The ACL is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is not public-read, public-read-write or authenticated-read.',
      publicGrant: 'An ACL grant gives {{grantee}} {{access}} access; remove it unless the bucket is meant to be public.',
      publicPolicy:
        'Bucket policy statement {{statement}} allows {{access}} access to anyone, with no condition fixing who or where; narrow or remove it unless the bucket is meant to be public.',
      policyUnknown: 'The bucket policy ({{expr}}) is an expression cloudmend cannot read; make sure it does not allow public access.',
    },
  },

  terraform: {
    resourceTypes: ['aws_s3_bucket', 'aws_s3_bucket_acl', 'aws_s3_bucket_policy', `module:${S3_MODULE}`],
    detect({ module, resource }) {
      return detectTerraform(module, resource);
    },
    fix({ resource }, violations) {
      const acl = violations.find((v) => v.messageId === 'publicAcl')?.data?.acl;
      if (acl === undefined) return { edits: [] };
      return {
        edits: [setAttribute(resource.file, resource.block, 'acl', '"private"')],
        notes: [`Set the ACL of ${resource.address} to private (was ${acl}).`],
      };
    },
  },

  cloudformation: {
    resourceTypes: ['AWS::S3::Bucket', 'AWS::S3::BucketPolicy'],
    detect({ template, resource }) {
      return resource.type === 'AWS::S3::Bucket' ? cfnBucket(resource) : cfnPolicy(template, resource);
    },
    fix({ template, resource }, violations) {
      const acl = violations.find((v) => v.messageId === 'publicAcl')?.data?.acl;
      if (acl === undefined) return { edits: [] };
      return {
        edits: [setProperty(template, resource, ['Properties', 'AccessControl'], 'Private')],
        notes: [`Set AccessControl of ${resource.logicalId} to Private (was ${acl}).`],
      };
    },
  },
});
