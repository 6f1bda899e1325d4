import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../src/errors.js';
import { normalizeEvent } from '../../src/findings/normalize.js';
import { asffFinding, driftEvent, envelope, ocsfFinding, scheduledEvent } from '../support/events.js';

describe('schedule normalizer', () => {
  it('names the rule that fired and gives each tick its own fingerprint', () => {
    const tick = normalizeEvent(scheduledEvent()).findings[0];
    const redelivered = normalizeEvent({ ...scheduledEvent(), id: 'other' }).findings[0];
    const nextTick = normalizeEvent(scheduledEvent('cloudmend-drift-scan', { time: '2026-11-22T06:00:00Z' })).findings[0];
    expect(tick).toMatchObject({ source: 'schedule', resource: { type: 'AWS::Events::Rule', name: 'cloudmend-drift-scan' } });
    expect(redelivered?.fingerprint).toBe(tick?.fingerprint);
    expect(nextTick?.fingerprint).not.toBe(tick?.fingerprint);
  });

  it('reads rules on a custom event bus', () => {
    const event = scheduledEvent('x', { resources: ['arn:aws:events:us-east-1:111122223333:rule/ops-bus/nightly'] });
    expect(normalizeEvent(event).findings[0]?.resource.name).toBe('nightly');
  });

  it('rejects a scheduled event that does not say which rule fired', () => {
    expect(() => normalizeEvent(scheduledEvent('x', { resources: [] }))).toThrow(/cannot be told/);
  });
});

describe('drift normalizer', () => {
  it("reads cloudmend's own drift event", () => {
    expect(normalizeEvent(driftEvent()).findings[0]).toMatchObject({
      source: 'drift',
      title: 'Drift on AWS::S3::Bucket acme-logs: BucketEncryption',
      resource: { type: 'AWS::S3::Bucket', arn: 'arn:aws:s3:::acme-logs' },
    });
  });

  it('requires at least one difference', () => {
    expect(() => normalizeEvent(driftEvent({ differences: [] }))).toThrow(/detail\.differences/);
  });
});

describe('event envelope', () => {
  it.each([
    ['a JSON array', [], /expected a JSON object, got an array/],
    ['null', null, /got null/],
    ['a bare ASFF finding', asffFinding(), /bare Security Hub finding \(ASFF\).*wrap it/],
    ['GetFindings output', { Findings: [asffFinding()] }, /GetFindings or GetFindingsV2 output/],
    ['some other JSON object', { Notification: {}, Finding: {} }, /none of the envelope fields.*Notification, Finding/],
    ['an envelope with fields missing', { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }, /id: .*account: /s],
    ['a bare OCSF finding', ocsfFinding(), /bare Security Hub v2 finding \(OCSF\).*wrap it.*"Findings Imported V2"/],
    ['GetFindingsV2 output', { Findings: [ocsfFinding()] }, /GetFindings or GetFindingsV2 output/],
    [
      'an unsupported event',
      envelope('Security Hub Insight Results', 'aws.securityhub', {}),
      /unsupported event: detail-type "Security Hub Insight Results".*cloudmend consumes.*"Findings Imported V2"/,
    ],
  ])('rejects %s with a message that says what it is', (_, input, message) => {
    expect(() => normalizeEvent(input)).toThrow(InvalidEventError);
    expect(() => normalizeEvent(input)).toThrow(message);
  });
});
