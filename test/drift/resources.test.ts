/**
 * Every supported type, in Terraform and in CloudFormation, against its realistic configuration
 * item: unchanged (no drift), with a benign change, and with a security-relevant change.
 */
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- configuration items are JSON fixtures, mutated in place as Config would change them */
import { describe, expect, it } from 'vitest';
import type { IacKind } from '../../src/iac/source.js';
import { decodePolicy, driftFor, encodePolicy, liveOf, summary, TYPES, updateSupplementary, type Item, type TypeName } from './support.js';

type Expected = ReturnType<typeof summary>;

interface Case {
  readonly type: TypeName;
  readonly name: string;
  readonly mutate: (ci: Item) => void;
  readonly expected: Expected;
}

const CASES: readonly Case[] = [
  {
    type: 's3-bucket',
    name: 'a tag changed by hand is benign',
    mutate: (ci) => (ci.tags.team = 'data'),
    expected: [{ path: 'tags.team', class: 'benign', weakens: false }],
  },
  {
    type: 's3-bucket',
    name: 'SSE-S3 instead of KMS and a public access block flag turned off are security drift',
    mutate: (ci) => {
      updateSupplementary(ci, 'ServerSideEncryptionConfiguration', () => ({
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256', kmsMasterKeyID: null }, bucketKeyEnabled: true }],
      }));
      updateSupplementary(ci, 'PublicAccessBlockConfiguration', (pab: object) => ({ ...pab, blockPublicPolicy: false }));
    },
    expected: [
      { path: 'encryption.sseAlgorithm', class: 'security', category: 'encryption', weakens: true },
      { path: 'publicAccessBlock.blockPublicPolicy', class: 'security', category: 'exposure', weakens: true },
    ],
  },
  {
    type: 's3-bucket',
    name: 'a public-read statement added to the bucket policy is exposure',
    mutate: (ci) =>
      updateSupplementary(ci, 'BucketPolicy', (p: { policyText: string }) => {
        const doc = JSON.parse(p.policyText) as { Statement: unknown[] };
        doc.Statement.push({
          Sid: 'PublicRead',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::acme-prod-logs/*',
        });
        return { policyText: JSON.stringify(doc) };
      }),
    expected: [{ path: 'bucketPolicy.Statement[PublicRead]', class: 'security', category: 'exposure', weakens: true }],
  },
  {
    type: 'security-group',
    name: 'a renamed Name tag is benign',
    mutate: (ci) => (ci.tags.Name = 'acme-web-old'),
    expected: [{ path: 'tags.Name', class: 'benign', weakens: false }],
  },
  {
    type: 'security-group',
    name: 'SSH opened to the internet is exposure',
    mutate: (ci) =>
      ci.configuration.ipPermissions.push({
        fromPort: 22,
        ipProtocol: 'tcp',
        ipv6Ranges: [],
        prefixListIds: [],
        toPort: 22,
        userIdGroupPairs: [],
        ipv4Ranges: [{ cidrIp: '0.0.0.0/0' }],
        ipRanges: ['0.0.0.0/0'],
      }),
    expected: [{ path: 'ingress[tcp 22 0.0.0.0/0]', class: 'security', category: 'exposure', weakens: true }],
  },
  {
    type: 'iam-role',
    name: 'a new description is benign',
    mutate: (ci) => (ci.configuration.description = 'acme app (edited in the console)'),
    expected: [{ path: 'description', class: 'benign', weakens: false }],
  },
  {
    type: 'iam-role',
    name: 'AdministratorAccess attached by hand is IAM drift that weakens',
    mutate: (ci) =>
      ci.configuration.attachedManagedPolicies.push({
        policyName: 'AdministratorAccess',
        policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      }),
    expected: [
      { path: 'managedPolicyArns[arn:aws:iam::aws:policy/AdministratorAccess]', class: 'security', category: 'iam', weakens: true },
    ],
  },
  {
    type: 'iam-role',
    name: 'a trust policy that also trusts another account is IAM drift',
    mutate: (ci) => {
      const doc = decodePolicy(ci.configuration.assumeRolePolicyDocument as string) as { Statement: unknown[] };
      doc.Statement.push({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 'sts:AssumeRole' });
      ci.configuration.assumeRolePolicyDocument = encodePolicy(doc);
    },
    expected: [
      { path: 'assumeRolePolicy.Statement[Allow sts:assumerole for AWS:999988887777]', class: 'security', category: 'iam', weakens: true },
    ],
  },
  {
    type: 'iam-policy',
    name: 'a new description is benign',
    mutate: (ci) => (ci.configuration.description = 'deploy'),
    expected: [{ path: 'description', class: 'benign', weakens: false }],
  },
  {
    type: 'iam-policy',
    name: 'a new default version granting s3:* is IAM drift that weakens',
    mutate: (ci) => {
      const versions = ci.configuration.policyVersionList as Item[];
      const current = decodePolicy(versions[1]?.document as string) as { Statement: unknown[] };
      current.Statement.push({ Sid: 'Everything', Effect: 'Allow', Action: 's3:*', Resource: '*' });
      for (const v of versions) v.isDefaultVersion = false;
      versions.push({ document: encodePolicy(current), versionId: 'v3', isDefaultVersion: true, createDate: '2024-05-14T11:40:00.000Z' });
      ci.configuration.defaultVersionId = 'v3';
    },
    expected: [{ path: 'document.Statement[Everything]', class: 'security', category: 'iam', weakens: true }],
  },
  {
    type: 'lambda-function',
    name: 'more memory is benign',
    mutate: (ci) => (ci.configuration.memorySize = 512),
    expected: [{ path: 'memorySize', class: 'benign', weakens: false }],
  },
  {
    type: 'lambda-function',
    name: 'another execution role and leaving the VPC are IAM and network drift',
    mutate: (ci) => {
      ci.configuration.role = 'arn:aws:iam::111122223333:role/acme-admin';
      ci.configuration.vpcConfig = { subnetIds: [], securityGroupIds: [] };
    },
    expected: [
      { path: 'role', class: 'security', category: 'iam', weakens: false },
      { path: 'vpc.attached', class: 'security', category: 'network', weakens: true },
    ],
  },
  {
    type: 'rds-instance',
    name: 'a bigger instance class is benign',
    mutate: (ci) => (ci.configuration.dBInstanceClass = 'db.t3.large'),
    expected: [{ path: 'instanceClass', class: 'benign', weakens: false }],
  },
  {
    type: 'rds-instance',
    name: 'a public endpoint is exposure that weakens',
    mutate: (ci) => (ci.configuration.publiclyAccessible = true),
    expected: [{ path: 'publiclyAccessible', class: 'security', category: 'exposure', weakens: true }],
  },
  {
    type: 'kms-key',
    name: 'a new description is benign',
    mutate: (ci) => (ci.configuration.description = 'orders'),
    expected: [{ path: 'description', class: 'benign', weakens: false }],
  },
  {
    type: 'kms-key',
    name: 'rotation turned off is encryption drift that weakens',
    mutate: (ci) => (ci.supplementaryConfiguration.KeyRotationStatus = 'false'),
    expected: [{ path: 'keyRotation', class: 'security', category: 'encryption', weakens: true }],
  },
  {
    type: 'dynamodb-table',
    name: 'provisioned capacity instead of on-demand is benign',
    mutate: (ci) => {
      ci.configuration.billingModeSummary = { billingMode: 'PROVISIONED' };
      ci.configuration.provisionedThroughput = { numberOfDecreasesToday: 0, readCapacityUnits: 5, writeCapacityUnits: 5 };
    },
    expected: [{ path: 'billingMode', class: 'benign', weakens: false }],
  },
  {
    type: 'dynamodb-table',
    name: 'back to the AWS owned key is encryption drift that weakens',
    mutate: (ci) => delete ci.configuration.ssedescription,
    expected: [
      { path: 'sse.keyType', class: 'security', category: 'encryption', weakens: true },
      { path: 'sse.kmsKeyArn', class: 'security', category: 'encryption', weakens: false },
    ],
  },
];

const KINDS: readonly IacKind[] = ['terraform', 'cloudformation'];

describe('drift per resource type', () => {
  describe.each(TYPES)('%s', (type) => {
    it.each(KINDS)('reports no drift for the unchanged item (%s)', (kind) => {
      const report = driftFor(kind, type, liveOf(type));
      expect(summary(report)).toEqual([]);
      expect(report.drifted).toBe(false);
    });

    const cases = CASES.filter((c) => c.type === type);
    it('has a benign and a security case', () => {
      expect(cases.some((c) => c.expected.every((e) => e.class === 'benign'))).toBe(true);
      expect(cases.some((c) => c.expected.some((e) => e.class === 'security'))).toBe(true);
    });

    for (const c of cases) {
      it.each(KINDS)(`${c.name} (%s)`, (kind) => {
        const report = driftFor(kind, type, liveOf(type, c.mutate));
        expect(summary(report)).toEqual(c.expected);
        expect(report.drifted).toBe(true);
        expect(report.security).toBe(c.expected.some((e) => e.class === 'security'));
        expect(report.weakens).toBe(c.expected.some((e) => e.weakens));
      });
    }
  });
});
