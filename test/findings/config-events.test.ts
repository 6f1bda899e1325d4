import { describe, expect, it } from 'vitest';
import { normalizeEvent } from '../../src/findings/normalize.js';
import { asffFinding, complianceEvent, importedEvent, itemChangeEvent, oversizedItemEvent } from '../support/events.js';

function only(event: Record<string, unknown>) {
  const [finding, ...rest] = normalizeEvent(event).findings;
  if (!finding || rest.length > 0) throw new Error('expected exactly one finding');
  return finding;
}

describe('Config compliance normalizer', () => {
  it('maps a Security Hub service-linked rule to its control, title and severity', () => {
    expect(only(complianceEvent())).toMatchObject({
      source: 'config-compliance',
      controlId: 'S3.4',
      title: 'S3 general purpose buckets should have server-side encryption enabled',
      severity: { label: 'MEDIUM', origin: 'control' },
      resource: { type: 'AWS::S3::Bucket', id: 'acme-logs', arn: 'arn:aws:s3:::acme-logs', name: 'acme-logs', tags: {} },
      states: { compliance: 'FAILED', complianceReasons: ['Config NON_COMPLIANT'] },
      observedAt: '2026-11-20T08:02:31.118Z',
      raw: { configRule: 'securityhub-s3-bucket-server-side-encryption-enabled-5f2c9a1b' },
    });
  });

  it.each([
    ['a rule deployed under its managed identifier', 'dynamodb-pitr-enabled', 'DynamoDB.2'],
    ['a conformance pack rule', 'cmk-backing-key-rotation-enabled-conformance-pack-abc123xyz', 'KMS.4'],
    ['an upper-case managed rule identifier', 'RDS_STORAGE_ENCRYPTED', 'RDS.3'],
    ['a rule shared by several controls, which is not guessed', 'securityhub-iam-password-policy-0a1b2c3d', undefined],
    ["a customer's own rule", 'required-tags-costcenter', undefined],
  ])('resolves %s', (_, rule, controlId) => {
    expect(only(complianceEvent({ rule })).controlId).toBe(controlId);
  });

  it.each([
    ['COMPLIANT', 'PASSED'],
    ['NON_COMPLIANT', 'FAILED'],
    ['NOT_APPLICABLE', 'NOT_AVAILABLE'],
    ['INSUFFICIENT_DATA', 'WARNING'],
    ['SOMETHING_NEW', undefined],
  ])("maps Config's %s to %s", (complianceType, compliance) => {
    expect(only(complianceEvent({ complianceType })).states.compliance).toBe(compliance);
  });

  it('gives the same fingerprint as the Security Hub finding for the same bucket and control', () => {
    const viaConfig = only(complianceEvent());
    const viaHub = only(
      importedEvent([asffFinding({ control: 'S3.4', Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::acme-logs' }] })]),
    );
    expect(viaConfig.fingerprint).toBe(viaHub.fingerprint);
  });

  it('keeps resources whose Config id is not in their ARN apart by type and id', () => {
    const finding = only(
      complianceEvent({ rule: 'rds-storage-encrypted', resourceType: 'AWS::RDS::DBInstance', resourceId: 'db-ABCDEFGHIJKL' }),
    );
    expect(finding.resource).toMatchObject({ arn: undefined, name: undefined });
  });

  it('reports a missing field by its path', () => {
    const event = complianceEvent();
    delete (event.detail as Record<string, unknown>).configRuleName;
    expect(() => normalizeEvent(event)).toThrow(/detail\.configRuleName/);
  });
});

describe('Config configuration item normalizer', () => {
  it('reads the changed resource with its tags and status', () => {
    expect(only(itemChangeEvent())).toMatchObject({
      source: 'config-change',
      title: 'Configuration update: AWS::EC2::SecurityGroup app-tier',
      resource: {
        type: 'AWS::EC2::SecurityGroup',
        id: 'sg-0fedcba9876543210',
        arn: 'arn:aws:ec2:us-east-1:111122223333:security-group/sg-0fedcba9876543210',
        name: 'app-tier',
        tags: { 'aws:cloudformation:stack-name': 'network-prod' },
      },
      states: { resourceStatus: 'OK' },
      observedAt: '2026-11-20T07:45:10.204Z',
    });
  });

  it('keeps the S3 pointer of an oversized item, which carries no configuration', () => {
    expect(only(oversizedItemEvent())).toMatchObject({
      resource: {
        type: 'AWS::IAM::Role',
        id: 'AROAEXAMPLEID12345678',
        name: 'ci-deployer',
        arn: 'arn:aws:iam::111122223333:role/ci-deployer',
      },
      raw: { oversizedItem: expect.stringContaining('OversizedChangeNotification') as unknown },
    });
  });

  it('gives each configuration state its own fingerprint and a redelivered state the same one', () => {
    const first = only(itemChangeEvent());
    const redelivered = only({ ...itemChangeEvent(), id: 'another-delivery', time: '2026-11-20T07:50:00Z' });
    const next = only(itemChangeEvent({ configurationStateId: 1795679999999 }));
    expect(redelivered.fingerprint).toBe(first.fingerprint);
    expect(next.fingerprint).not.toBe(first.fingerprint);
  });

  it('rejects an unknown message type', () => {
    const event = itemChangeEvent();
    (event.detail as Record<string, unknown>).messageType = 'ConfigurationSnapshotDeliveryCompleted';
    expect(() => normalizeEvent(event)).toThrow(/detail\.messageType/);
  });
});
