import { describe, expect, it } from 'vitest';
import { resolveConfigRule } from '../../src/findings/config-rules.js';
import table from '../../src/findings/controls-table.json' with { type: 'json' };
import { CONTROLS, getControl } from '../../src/findings/controls.js';
import { SEVERITY_LABELS } from '../../src/findings/severity.js';

const controls = [...CONTROLS.values()];
const current = controls.filter((c) => !c.retired);

// Issue 16's list: the controls skills are written for must be in the table with their resources and rule.
const CLAIMED = [
  'SQS.1',
  'SNS.1',
  'CloudTrail.4',
  'CloudTrail.5',
  'RDS.7',
  'RDS.8',
  'RDS.11',
  'RDS.13',
  'RDS.16',
  'RDS.17',
  'RDS.27',
  'ECR.1',
  'ECR.2',
  'ECR.3',
  'S3.9',
  'S3.14',
  'ELB.4',
  'ELB.5',
  'ELB.6',
  'ELB.12',
  'ELB.14',
  'DynamoDB.6',
  'EC2.3',
  'EC2.7',
  'EC2.9',
  'EC2.15',
  'EC2.170',
  'EFS.1',
  'Lambda.2',
  'IAM.2',
  'IAM.21',
  'CloudFront.1',
  'CloudFront.3',
  'CloudFront.10',
  'APIGateway.1',
  'SecretsManager.1',
  'KMS.1',
  'KMS.2',
  'Kinesis.1',
  'ElastiCache.1',
  'ElastiCache.2',
  'ElastiCache.4',
  'ElastiCache.5',
  'ElastiCache.6',
  'Opensearch.1',
  'Opensearch.3',
  'Opensearch.8',
  'ES.1',
  'ES.3',
  'ES.8',
  'EKS.1',
  'DocumentDB.1',
  'Neptune.1',
];

describe('control table', () => {
  it('holds every current control of the reference, each id once and well formed (<Service>.<n>)', () => {
    expect(CONTROLS.size).toBe(table.length);
    expect(current.length).toBeGreaterThanOrEqual(574);
    for (const { id } of controls) expect(id).toMatch(/^[A-Z][A-Za-z0-9]*\.[1-9][0-9]*$/);
  });

  it('labels every severity with one of Security Hub labels, as the reference rates it', () => {
    for (const c of controls) expect(SEVERITY_LABELS, c.id).toContain(c.severity);
    expect(getControl('CloudFront.1')?.severity).toBe('HIGH');
    expect(getControl('EC2.170')?.severity).toBe('LOW');
  });

  it('writes Config rules in lower-kebab and resource types as CloudFormation names (AWS::::Account for the account)', () => {
    for (const c of controls) {
      for (const rule of c.configRules) expect(rule, c.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      for (const type of c.resourceTypes) expect(type, c.id).toMatch(/^AWS::([A-Za-z0-9]+::[A-Za-z0-9]+|::Account)$/);
    }
    expect(getControl('EC2.7')?.resourceTypes).toEqual(['AWS::::Account']);
    expect(controls.filter((c) => c.resourceTypes.length > 0).length).toBeGreaterThanOrEqual(340);
  });

  it.each(CLAIMED)('knows %s with its resource types and Config rule', (id) => {
    const control = getControl(id);
    expect(control?.retired).toBeUndefined();
    expect(control?.resourceTypes.length).toBeGreaterThan(0);
    expect(control?.configRules.length).toBeGreaterThan(0);
  });

  it('spells OpenSearch controls as AWS does (Opensearch.N)', () => {
    expect(getControl('Opensearch.1')?.resourceTypes).toEqual(['AWS::OpenSearch::Domain']);
    expect(getControl('OpenSearch.1')).toBeUndefined();
  });

  it('adds the controls the current pages have and the reference scrape does not yet', () => {
    expect(getControl('RDS.51')).toMatchObject({ severity: 'HIGH', resourceTypes: ['AWS::RDS::GlobalCluster'] });
    expect(getControl('EKS.9')?.retired).toBeUndefined();
  });

  it('keeps the retired controls it had, marked retired', () => {
    for (const id of ['S3.4', 'SNS.2', 'EC2.29', 'CodeBuild.5', 'CloudFormation.1']) expect(getControl(id)?.retired, id).toBe(true);
  });
});

describe('Config rule → control', () => {
  it.each([
    ['securityhub-ec2-launch-template-imdsv2-check-6b723f4e', 'EC2.170'],
    ['securityhub-dynamodb-table-deletion-protection-enabled-0a1b2c3d', 'DynamoDB.6'],
    ['rds-cluster-encrypted-at-rest', 'RDS.27'],
    ['ECR_PRIVATE_IMAGE_SCANNING_ENABLED', 'ECR.1'],
    ['securityhub-eks-endpoint-no-public-access-9f8e7d6c', 'EKS.1'],
    ['clb-desync-mode-check-conformance-pack-abc123', 'ELB.14'],
    ['securityhub-opensearch-https-required-12345678', 'Opensearch.8'],
    ['securityhub-sqs-queue-no-public-access-5a6b7c8d', 'SQS.3'],
    ['elbv2-listener-encryption-in-transit', 'ELB.18'],
    ['securityhub-eks-nodegroup-supported-version-check-0f0e0d0c', 'EKS.9'],
  ])('resolves %s to %s', (rule, controlId) => {
    expect(resolveConfigRule(rule).controlId).toBe(controlId);
  });

  it('does not guess between controls that share a rule (IAM.8 and IAM.22)', () => {
    expect(resolveConfigRule('securityhub-iam-user-unused-credentials-check-0a1b2c3d')).toEqual({
      identifier: 'iam-user-unused-credentials-check',
      candidates: ['IAM.8', 'IAM.22'],
    });
  });
});
