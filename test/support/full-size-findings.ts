/**
 * Full-size ASFF findings, shaped like what Security Hub imports for a consolidated control
 * (Security Hub's own S3.8 finding: product fields, remediation, finding-provider fields, bucket
 * details) on a bucket carrying 40 tags, as tagged estates do. 4 to 5 KB of JSON each: the size
 * that makes 100 findings overflow a 256 KB execution input.
 */
import { ACCOUNT, REGION, asffFinding } from './events.js';

type Json = Record<string, unknown>;

/** 40 tags of the lengths cost-allocation and ownership tags have. */
export function estateTags(i: number, count = 40): Record<string, string> {
  const tags: Record<string, string> = { Name: `acme-data-${i}`, team: 'platform-storage', 'cost-center': `cc-${4000 + (i % 97)}` };
  for (let t = Object.keys(tags).length; t < count; t++)
    tags[`acme:governance:attribute-${String(t).padStart(2, '0')}`] = `value-${t}-of-bucket-${i}-owned-by-platform`;
  return tags;
}

/** A failed finding of `control` on bucket `name`: 40 tags, full details. */
export function fullSizeFinding(i: number, name: string, control = 'S3.8'): Json {
  const id = `arn:aws:securityhub:${REGION}:${ACCOUNT}:security-control/${control}/finding/${String(i).padStart(8, '0')}-9218-420f-bef2-ed09ed230c59`;
  return asffFinding({
    control,
    Id: id,
    ProductName: 'Security Hub',
    CompanyName: 'AWS',
    Types: ['Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices'],
    CreatedAt: '2026-11-18T02:10:44.000Z',
    Severity: { Product: 70, Label: 'HIGH', Normalized: 70, Original: 'HIGH' },
    Title: 'S3 general purpose buckets should block public access',
    Description:
      'This control checks whether an Amazon S3 general purpose bucket blocks public access at the bucket level. The control fails if any of the following settings are set to false: ignorePublicAcls, blockPublicPolicy, blockPublicAcls, restrictPublicBuckets.',
    Remediation: {
      Recommendation: {
        Text: 'For information on how to correct this issue, consult the AWS Security Hub controls documentation.',
        Url: `https://docs.aws.amazon.com/console/securityhub/${control}/remediation`,
      },
    },
    ProductFields: {
      RelatedAWSResources: '0/name',
      'RelatedAWSResources:0/name': 'securityhub-s3-bucket-level-public-access-prohibited-727dd3b1',
      'RelatedAWSResources:0/type': 'AWS::Config::ConfigRule',
      'aws/securityhub/ProductName': 'Security Hub',
      'aws/securityhub/CompanyName': 'AWS',
      'Resources:0/Id': `arn:aws:s3:::${name}`,
      'aws/securityhub/FindingId': `arn:aws:securityhub:${REGION}::product/aws/securityhub/${id}`,
    },
    Resources: [
      {
        Type: 'AwsS3Bucket',
        Id: `arn:aws:s3:::${name}`,
        Partition: 'aws',
        Region: REGION,
        Tags: estateTags(i),
        Details: {
          AwsS3Bucket: {
            Name: name,
            OwnerId: '03d32dc0915b7f36d274d1a92ecb8620952a94f5f084f3e5a682812a2184aaaa',
            CreatedAt: '2025-06-16T20:12:38.000Z',
            ServerSideEncryptionConfiguration: {
              Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
            },
            PublicAccessBlockConfiguration: {
              BlockPublicAcls: false,
              BlockPublicPolicy: false,
              IgnorePublicAcls: false,
              RestrictPublicBuckets: false,
            },
            BucketVersioningConfiguration: { Status: 'Enabled', IsMfaDeleteEnabled: false },
            ObjectLockConfiguration: { ObjectLockEnabled: 'Disabled' },
          },
        },
      },
    ],
    Compliance: {
      Status: 'FAILED',
      SecurityControlId: control,
      AssociatedStandards: [
        { StandardsId: 'standards/aws-foundational-security-best-practices/v/1.0.0' },
        { StandardsId: 'standards/nist-800-53/v/5.0.0' },
      ],
      SecurityControlParameters: [],
    },
    FindingProviderFields: {
      Severity: { Label: 'HIGH', Original: 'HIGH' },
      Types: ['Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices'],
    },
    ProcessedAt: '2026-11-20T09:14:05.120Z',
  });
}
