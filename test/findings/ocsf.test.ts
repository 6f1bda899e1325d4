import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../src/errors.js';
import type { Finding } from '../../src/findings/finding.js';
import { normalizeEvent } from '../../src/findings/normalize.js';
import { asffFinding, importedEvent, importedV2Event, ocsfFinding } from '../support/events.js';

type Json = Record<string, unknown>;

function only(event: Json): Finding {
  const { findings } = normalizeEvent(event);
  expect(findings).toHaveLength(1);
  const [finding] = findings;
  if (!finding) throw new Error('no finding');
  return finding;
}

const v2 = (overrides: Json = {}): Finding => only(importedV2Event([ocsfFinding(overrides)]));
const compliance = (overrides: Json): Json => ({ ...(ocsfFinding().compliance as Json), ...overrides });

describe('Security Hub v2 (OCSF) normalizer', () => {
  it('reads a Compliance Finding into the Finding the ASFF finding of the same control and resource gives, fingerprint included', () => {
    expect(normalizeEvent(importedV2Event()).kind).toBe('securityhub-imported-v2');
    const { raw, ...ocsf } = v2();
    const { raw: asffRaw, ...asff } = only(importedEvent([asffFinding()]));
    expect(ocsf).toEqual(asff);
    expect(raw).toEqual({
      ...asffRaw,
      detailType: 'Findings Imported V2',
      productArn: 'arn:aws:securityhub:us-east-1::productv2/aws/securityhub',
      format: 'ocsf',
    });
    expect(raw.findingId).toBe(
      'arn:aws:securityhub:us-east-1:111122223333:security-control/S3.8/finding/7c0f6c1e-1f0e-4b8e-9d1a-2c3b4d5e6f70',
    );
  });

  it('property: ASFF and OCSF findings of one control, resource, account and region share one fingerprint; another control does not', () => {
    const bucket = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{2,40}$/);
    const account = fc.stringMatching(/^\d{12}$/);
    const region = fc.constantFrom('us-east-1', 'eu-west-1', 'ap-northeast-1', 'us-gov-west-1', 'cn-north-1');
    const control = fc.constantFrom('S3.1', 'S3.5', 'S3.8', 'S3.17', 'Made.Up');
    fc.assert(
      fc.property(bucket, account, region, control, control, (name, acct, where, c, other) => {
        const partition = where.startsWith('us-gov') ? 'aws-us-gov' : where.startsWith('cn-') ? 'aws-cn' : 'aws';
        const arn = `arn:${partition}:s3:::${name}`;
        const asff = asffFinding({
          control: c,
          AwsAccountId: acct,
          Region: where,
          Resources: [{ Type: 'AwsS3Bucket', Id: arn, Partition: partition, Region: where }],
        });
        const resource = { type: 'AWS::S3::Bucket', uid: name, uid_alt: arn, cloud_partition: partition, region: where };
        const ocsf = (id: string) => ocsfFinding({ control: id, cloud: { account: { uid: acct }, region: where }, resources: [resource] });
        const fingerprint = only(importedEvent([asff])).fingerprint;
        expect(v2Of(ocsf(c)).fingerprint).toBe(fingerprint);
        if (other !== c) expect(v2Of(ocsf(other)).fingerprint).not.toBe(fingerprint);
      }),
    );
  });

  it.each([
    [
      'uid_alt when it is the ARN',
      { type: 'AWS::S3::Bucket', uid: 'acme-logs', uid_alt: 'arn:aws:s3:::acme-logs' },
      'arn:aws:s3:::acme-logs',
      'acme-logs',
    ],
    [
      'uid when it is the ARN and uid_alt is absent',
      { type: 'AWS::SNS::Topic', uid: 'arn:aws:sns:us-east-1:111122223333:alerts' },
      'arn:aws:sns:us-east-1:111122223333:alerts',
      'alerts',
    ],
    ['the ARN built from a bare bucket uid', { type: 'AWS::S3::Bucket', uid: 'acme-logs' }, 'arn:aws:s3:::acme-logs', 'acme-logs'],
    ['the account for an account resource', { type: 'AWS::::Account', uid: 'AWS::::Account:111122223333' }, undefined, '111122223333'],
    [
      'an ASFF type name mapped to CloudFormation',
      { type: 'AwsEc2SecurityGroup', uid_alt: 'arn:aws:ec2:us-east-1:111122223333:security-group/sg-1', name: 'bastion' },
      'arn:aws:ec2:us-east-1:111122223333:security-group/sg-1',
      'bastion',
    ],
  ])('takes the resource from %s', (_, resource, arn, name) => {
    const finding = v2({ resources: [resource] });
    expect(finding.resource.arn).toBe(arn);
    expect(finding.resource.name).toBe(name);
    expect(finding.resource.type).toMatch(/^AWS::/);
  });

  it.each([
    ['the consolidated control', compliance({ control: 'EC2.8' }), 'EC2.8'],
    [
      'a PCI DSS control mapped to its security control',
      compliance({ control: 'PCI.KMS.1', standards: ['standards/pci-dss/v/3.2.1'] }),
      'KMS.4',
    ],
    [
      'a CIS 1.2.0 rule mapped by its standard',
      compliance({ control: '2.7', standards: ['ruleset/cis-aws-foundations-benchmark/v/1.2.0'] }),
      'CloudTrail.2',
    ],
    [
      'a CIS rule number of another version left as it is',
      compliance({ control: '2.7', standards: ['standards/cis-aws-foundations-benchmark/v/3.0.0'] }),
      '2.7',
    ],
    ['nothing when the finding names no control', compliance({ control: undefined }), undefined],
  ])('takes %s', (_, value, expected) => {
    expect(v2({ compliance: value }).controlId).toBe(expected);
  });

  it.each([
    ['status New', { status_id: 1 }, { record: 'ACTIVE', workflow: 'NEW' }],
    ['status In Progress', { status_id: 2 }, { record: 'ACTIVE', workflow: 'NOTIFIED' }],
    ['status Suppressed', { status_id: 3 }, { record: 'ACTIVE', workflow: 'SUPPRESSED' }],
    ['status Resolved', { status_id: 4 }, { record: 'ACTIVE', workflow: 'RESOLVED' }],
    ['status Archived', { status_id: 5 }, { record: 'ARCHIVED', workflow: undefined }],
    ['activity Close', { activity_id: 3 }, { record: 'ARCHIVED', workflow: 'NEW' }],
    ['status Other, which tells nothing', { status_id: 99 }, { record: 'ACTIVE', workflow: undefined }],
  ])('reads %s', (_, overrides, states) => {
    expect(v2(overrides).states).toMatchObject(states);
  });

  it.each([
    ['status_id Fail', { status_id: 3, status: undefined }, 'FAILED'],
    ['status_id Pass', { status_id: 1, status: 'Pass' }, 'PASSED'],
    ['status_id Warning', { status_id: 2, status: 'Warning' }, 'WARNING'],
    ['the status name when status_id is absent', { status_id: undefined, status: 'FAIL' }, 'FAILED'],
    ['nothing from a status it does not know', { status_id: 99, status: 'Other' }, undefined],
  ])('takes compliance from %s', (_, value, expected) => {
    expect(v2({ compliance: compliance(value) }).states.compliance).toBe(expected);
  });

  it('collects the compliance status code and detail as the reason', () => {
    const finding = v2({
      compliance: compliance({ status_id: 2, status_code: 'CONFIG_ACCESS_DENIED', status_detail: 'Unable to describe the rule' }),
    });
    expect(finding.states.complianceReasons).toEqual(['CONFIG_ACCESS_DENIED: Unable to describe the rule']);
  });

  it.each([
    [1, 'INFORMATIONAL'],
    [2, 'LOW'],
    [3, 'MEDIUM'],
    [4, 'HIGH'],
    [5, 'CRITICAL'],
    [6, 'CRITICAL'],
  ])('reads severity_id %d as %s', (id, label) => {
    expect(v2({ severity_id: id }).severity).toMatchObject({ label, origin: 'finding' });
  });

  it('takes the control catalogue severity when severity_id is Unknown or Other', () => {
    expect(v2({ severity_id: 0 }).severity).toEqual({ label: 'HIGH', score: 70, origin: 'control' });
    expect(v2({ severity_id: 99 }).severity.origin).toBe('control');
  });

  it('keeps only string tags, without letting a tag named __proto__ reach the prototype', () => {
    const tags = JSON.parse('[{"name":"a","value":"x"},{"name":"b","value":3},{"name":"__proto__","value":"p"},"junk",null]') as unknown[];
    const finding = v2({ resources: [{ type: 'AWS::S3::Bucket', uid_alt: 'arn:aws:s3:::b', tags }] });
    expect(Object.getPrototypeOf(finding.resource.tags)).toBe(Object.prototype);
    expect(Object.entries(finding.resource.tags)).toEqual([
      ['a', 'x'],
      ['__proto__', 'p'],
    ]);
  });

  it('takes the region of the finding, then of the resource unless global, then of the event', () => {
    expect(v2({ cloud: { account: { uid: '111122223333' }, region: 'eu-west-1' } }).region).toBe('eu-west-1');
    const noRegion = (region: string) =>
      v2({
        cloud: { account: { uid: '111122223333' } },
        resources: [{ type: 'AWS::IAM::Role', uid_alt: 'arn:aws:iam::111122223333:role/r', region }],
      });
    expect(noRegion('eu-central-1').region).toBe('eu-central-1');
    expect(noRegion('global').region).toBe('us-east-1');
  });

  it.each<[string, Json, RegExp]>([
    ['another OCSF class', { class_uid: 2004 }, /class_uid: expected 2003 \(Compliance Finding\)/],
    ['a finding without an account', { cloud: { region: 'us-east-1' } }, /cloud\.account: /],
    ['a finding without resources', { resources: [] }, /resources: /],
    ['a resource without any identifier', { resources: [{ type: 'AWS::S3::Bucket' }] }, /a resource needs uid, uid_alt or name/],
    ['a finding without finding_info.uid', { finding_info: { title: 'x' } }, /finding_info\.uid: /],
  ])('refuses %s, naming the field', (_, overrides, message) => {
    expect(() => normalizeEvent(importedV2Event([ocsfFinding(overrides)]))).toThrow(message);
  });

  it('keeps the readable findings of an event and reports the others by path', () => {
    const { findings, problems } = normalizeEvent(importedV2Event([ocsfFinding({ class_uid: 2002 }), ocsfFinding()]));
    expect(findings).toHaveLength(1);
    expect(problems).toEqual([expect.stringMatching(/^detail\.findings\[0\]\.class_uid: /)]);
  });

  it('rejects an ASFF finding sent as Findings Imported V2', () => {
    expect(() => normalizeEvent(importedV2Event([asffFinding()]))).toThrow(InvalidEventError);
  });
});

function v2Of(finding: Json): Finding {
  return only(importedV2Event([finding]));
}
