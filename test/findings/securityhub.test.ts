import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../src/errors.js';
import { normalizeEvent } from '../../src/findings/normalize.js';
import { asffFinding, customActionEvent, importedEvent } from '../support/events.js';

function only(event: Record<string, unknown>) {
  const { findings } = normalizeEvent(event);
  expect(findings).toHaveLength(1);
  const [finding] = findings;
  if (!finding) throw new Error('no finding');
  return finding;
}

describe('Security Hub normalizer', () => {
  it('reads a consolidated control finding into the Finding model', () => {
    const finding = only(importedEvent());
    expect(finding).toMatchObject({
      source: 'securityhub',
      controlId: 'S3.8',
      title: 'S3 general purpose buckets should block public access',
      severity: { label: 'HIGH', score: 70, origin: 'finding' },
      account: '111122223333',
      region: 'us-east-1',
      partition: 'aws',
      resource: {
        type: 'AWS::S3::Bucket',
        id: 'arn:aws:s3:::acme-logs',
        arn: 'arn:aws:s3:::acme-logs',
        name: 'acme-logs',
        tags: { team: 'platform' },
      },
      states: { record: 'ACTIVE', workflow: 'NEW', compliance: 'FAILED' },
      observedAt: '2026-11-20T09:14:03.512Z',
      raw: {
        eventId: '5d1c9e0a-7f3b-4c2e-9a61-0e4f2b7d8c11',
        detailType: 'Security Hub Findings - Imported',
        eventSource: 'aws.securityhub',
        index: 0,
      },
    });
    expect(finding.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it.each([
    ['Compliance.SecurityControlId', { Compliance: { Status: 'FAILED', SecurityControlId: 'EC2.8' } }, 'EC2.8'],
    [
      'ProductFields.ControlId of AFSBP',
      {
        Compliance: { Status: 'FAILED' },
        GeneratorId: 'aws-foundational-security-best-practices/v/1.0.0/EC2.2',
        ProductFields: { ControlId: 'EC2.2' },
      },
      'EC2.2',
    ],
    [
      'the GeneratorId suffix',
      { Compliance: { Status: 'FAILED' }, GeneratorId: 'aws-foundational-security-best-practices/v/1.0.0/RDS.2' },
      'RDS.2',
    ],
    [
      'a PCI DSS control mapped to its security control',
      { Compliance: { Status: 'FAILED' }, GeneratorId: 'pci-dss/v/3.2.1/PCI.KMS.1', ProductFields: { ControlId: 'PCI.KMS.1' } },
      'KMS.4',
    ],
    [
      'a CIS 1.2.0 rule in the GeneratorId',
      { Compliance: { Status: 'FAILED' }, GeneratorId: 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0/rule/2.7' },
      'CloudTrail.2',
    ],
    [
      'a CIS 1.2.0 rule in ProductFields when GeneratorId is missing',
      {
        Compliance: { Status: 'FAILED' },
        GeneratorId: undefined,
        ProductFields: { RuleId: '4.1', StandardsGuideArn: 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0' },
      },
      'EC2.13',
    ],
    [
      'nothing for an unknown standard rule',
      { Compliance: { Status: 'FAILED' }, GeneratorId: 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.7.0/rule/1.6' },
      undefined,
    ],
    [
      'nothing for a non-control finding',
      { Compliance: undefined, GeneratorId: 'arn:aws:guardduty:us-east-1:111122223333:detector/abc' },
      undefined,
    ],
  ])('takes the control id from %s', (_, overrides, expected) => {
    expect(only(importedEvent([asffFinding(overrides)])).controlId).toBe(expected);
  });

  it.each([
    ['the label and score', { Label: 'CRITICAL', Normalized: 95 }, { label: 'CRITICAL', score: 95, origin: 'finding' }],
    ['the label alone, scored as Security Hub does', { Label: 'medium' }, { label: 'MEDIUM', score: 40, origin: 'finding' }],
    ['the score alone', { Normalized: 72 }, { label: 'HIGH', score: 72, origin: 'finding' }],
    ['the control catalogue when the finding has none', undefined, { label: 'HIGH', score: 70, origin: 'control' }],
  ])('takes severity from %s', (_, severity, expected) => {
    expect(only(importedEvent([asffFinding({ Severity: severity })])).severity).toEqual(expected);
  });

  it("takes a resource of type Other as the control's one resource type, and only then", () => {
    const arn = 'arn:aws:elasticache:us-east-1:111122223333:replicationgroup:sessions';
    const other = (control: string) =>
      only(importedEvent([asffFinding({ control, Resources: [{ Type: 'Other', Id: arn, Partition: 'aws', Region: 'us-east-1' }] })]));
    expect(other('ElastiCache.4').resource).toMatchObject({ type: 'AWS::ElastiCache::ReplicationGroup', name: 'sessions' });
    // EC2.3 evaluates volumes only, EC2.8 instances; S3.1 is the account's: a control of several types tells nothing.
    expect(other('Made.Up').resource.type).toBe('Other');
  });

  it('falls back to INFORMATIONAL of unknown origin when nothing tells the severity', () => {
    const finding = only(
      importedEvent([asffFinding({ Severity: undefined, Compliance: { Status: 'FAILED', SecurityControlId: 'Made.Up' } })]),
    );
    expect(finding.severity).toEqual({ label: 'INFORMATIONAL', score: 0, origin: 'unknown' });
  });

  it('reads every finding of a custom action event and remembers the action', () => {
    const event = customActionEvent([
      asffFinding(),
      asffFinding({ control: 'S3.4', Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::acme-data' }] }),
    ]);
    const { findings, kind } = normalizeEvent(event);
    expect(kind).toBe('securityhub-custom-action');
    expect(findings.map((f) => [f.controlId, f.resource.name, f.raw.index])).toEqual([
      ['S3.8', 'acme-logs', 0],
      ['S3.4', 'acme-data', 1],
    ]);
    expect(findings[0]?.raw.customAction).toBe('arn:aws:securityhub:us-east-1:111122223333:action/custom/CloudmendRemediate');
  });

  it('keeps the readable findings of an event and reports the unreadable ones by path', () => {
    const { findings, problems } = normalizeEvent(importedEvent([asffFinding({ Resources: [] }), asffFinding()]));
    expect(findings).toHaveLength(1);
    expect(problems).toEqual([expect.stringMatching(/^detail\.findings\[0\]\.Resources: /)]);
  });

  it('rejects an event without a single readable finding', () => {
    expect(() => normalizeEvent(importedEvent([{ Id: 'x' }]))).toThrow(InvalidEventError);
    expect(() => normalizeEvent(importedEvent([]))).toThrow(/detail\.findings: expected a non-empty array/);
  });

  it.each([
    ['the finding Region over the envelope (aggregated findings)', { Region: 'eu-west-1' }, 'eu-west-1', 'aws'],
    [
      'GovCloud partition from the resource ARN',
      { Region: 'us-gov-west-1', Resources: [{ Type: 'AwsKmsKey', Id: 'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/k1' }] },
      'us-gov-west-1',
      'aws-us-gov',
    ],
    [
      'China partition from the region when the ARN does not tell',
      { Region: 'cn-north-1', Resources: [{ Type: 'AwsAccount', Id: 'AWS::::Account:111122223333' }] },
      'cn-north-1',
      'aws-cn',
    ],
  ])('takes %s', (_, overrides, region, partition) => {
    expect(only(importedEvent([asffFinding(overrides)]))).toMatchObject({ region, partition });
  });

  it.each([
    [
      'AwsEc2SecurityGroup',
      'arn:aws:ec2:us-east-1:111122223333:security-group/sg-1',
      { AwsEc2SecurityGroup: { GroupName: 'bastion' } },
      'AWS::EC2::SecurityGroup',
      'bastion',
    ],
    ['AwsRdsDbInstance', 'arn:aws:rds:us-east-1:111122223333:db:orders', undefined, 'AWS::RDS::DBInstance', 'orders'],
    ['AwsIamRole', 'arn:aws:iam::111122223333:role/service/deployer', undefined, 'AWS::IAM::Role', 'deployer'],
    ['AwsAccount', 'AWS::::Account:111122223333', undefined, 'AWS::::Account', '111122223333'],
    ['AwsSomethingNew', 'some-id', undefined, 'AwsSomethingNew', undefined],
  ])('maps resource type %s and finds its name', (type, id, details, expectedType, expectedName) => {
    const finding = only(importedEvent([asffFinding({ Resources: [{ Type: type, Id: id, ...(details ? { Details: details } : {}) }] })]));
    expect(finding.resource.type).toBe(expectedType);
    expect(finding.resource.name).toBe(expectedName);
  });

  it('keeps only string tags, since tags are untrusted and nothing else has meaning', () => {
    const finding = only(
      importedEvent([asffFinding({ Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::b', Tags: { a: 'x', b: 3, c: { d: 1 } } }] })]),
    );
    expect(finding.resource.tags).toEqual({ a: 'x' });
  });

  it('records the note author so that write-back echoes can be recognised', () => {
    const finding = only(
      importedEvent([
        asffFinding({
          Workflow: { Status: 'NOTIFIED' },
          Note: { Text: 'PR opened', UpdatedBy: 'cloudmend', UpdatedAt: '2026-11-20T09:20:11Z' },
        }),
      ]),
    );
    expect(finding.states).toMatchObject({ workflow: 'NOTIFIED', noteUpdatedBy: 'cloudmend' });
  });

  it('uses the deprecated WorkflowState when Workflow is absent', () => {
    expect(only(importedEvent([asffFinding({ Workflow: undefined, WorkflowState: 'RESOLVED' })])).states.workflow).toBe('RESOLVED');
  });

  it('collects compliance status reasons', () => {
    const finding = only(
      importedEvent([
        asffFinding({
          Compliance: {
            Status: 'WARNING',
            SecurityControlId: 'IAM.8',
            StatusReasons: [{ ReasonCode: 'CONFIG_ACCESS_DENIED', Description: 'Unable to describe the rule' }],
          },
        }),
      ]),
    );
    expect(finding.states).toMatchObject({
      compliance: 'WARNING',
      complianceReasons: ['CONFIG_ACCESS_DENIED: Unable to describe the rule'],
    });
  });
});
