import { describe, expect, it } from 'vitest';
import type { EventPattern } from '../../src/triggers/event-pattern.js';
import { matchEventPattern, matchesEventPattern } from '../../src/triggers/event-pattern.js';

const securityHubEvent = (workflowStatus: string) => ({
  version: '0',
  source: 'aws.securityhub',
  'detail-type': 'Security Hub Findings - Imported',
  detail: {
    findings: [
      {
        Compliance: { Status: 'FAILED' },
        RecordState: 'ACTIVE',
        Workflow: { Status: workflowStatus },
        Severity: { Label: 'HIGH', Normalized: 70 },
      },
    ],
  },
});

const failedActiveNew = {
  source: ['aws.securityhub'],
  'detail-type': ['Security Hub Findings - Imported'],
  detail: {
    findings: {
      Compliance: { Status: ['FAILED'] },
      RecordState: ['ACTIVE'],
      Workflow: { Status: ['NEW'] },
      Severity: { Label: ['HIGH', 'CRITICAL'] },
    },
  },
};

describe('matchEventPattern with arrays', () => {
  describe('arrays of values', () => {
    const pattern = {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    };

    it('matches when the pattern and event arrays intersect', () => {
      const event = {
        resources: [
          'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
          'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        ],
      };
      expect(matchesEventPattern(pattern, event)).toBe(true);
    });

    it('misses when they do not intersect, reporting every event value', () => {
      const event = { resources: ['arn:aws:s3:::a', 'arn:aws:s3:::b'] };
      expect(matchEventPattern(pattern, event)).toEqual({
        matched: false,
        mismatch: { path: 'resources', expected: pattern.resources, actual: ['arn:aws:s3:::a', 'arn:aws:s3:::b'] },
      });
    });

    it('does not let an empty array match null', () => {
      expect(matchesEventPattern({ resources: [null] }, { resources: [] })).toBe(false);
    });

    it('flattens nested arrays', () => {
      expect(matchesEventPattern({ tags: ['b'] }, { tags: [['a'], [['b']]] })).toBe(true);
      expect(matchEventPattern({ tags: ['z'] }, { tags: [['a'], [['b']]] })).toMatchObject({ mismatch: { actual: ['a', 'b'] } });
    });

    it('ignores objects mixed into an array of values', () => {
      expect(matchEventPattern({ tags: ['x'] }, { tags: [{ tags: 'x' }, 'y'] })).toMatchObject({ mismatch: { actual: ['y'] } });
    });
  });

  describe('arrays of objects', () => {
    const employees = {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    };

    it('matches a field of any element', () => {
      expect(matchesEventPattern({ employees: { firstName: ['Anna'] } }, employees)).toBe(true);
      expect(matchesEventPattern({ employees: { firstName: ['Mary'] } }, employees)).toBe(false);
    });

    it('traverses arrays of arrays of objects', () => {
      const nested = { employees: [[employees.employees[0], employees.employees[1]], [employees.employees[2]]] };
      expect(matchesEventPattern({ employees: { firstName: ['Peter'] } }, nested)).toBe(true);
    });

    // Pinned on purpose: EventBridge evaluates each leaf path across all elements independently, so
    // two conditions may be satisfied by different elements.
    it('lets different elements satisfy different fields', () => {
      expect(matchesEventPattern({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, employees)).toBe(true);
    });

    it('traverses arrays of objects at several levels', () => {
      const event = { a: [{ b: [{ c: 1 }, { c: 2 }] }, { b: { c: 3 } }] };
      expect(matchEventPattern({ a: { b: { c: [4] } } }, event)).toMatchObject({ mismatch: { path: 'a.b.c', actual: [1, 2, 3] } });
      expect(matchesEventPattern({ a: { b: { c: [3] } } }, event)).toBe(true);
    });

    it('applies exists across all elements', () => {
      const event = { items: [{ id: 1 }, { id: 2, note: 'x' }] };
      expect(matchesEventPattern({ items: { note: [{ exists: true }] } }, event)).toBe(true);
      expect(matchesEventPattern({ items: { note: [{ exists: false }] } }, event)).toBe(false);
      expect(matchesEventPattern({ items: { other: [{ exists: false }] } }, event)).toBe(true);
    });

    it('applies $or inside arrays of objects', () => {
      const event = { items: [{ kind: 'a' }, { size: 5 }] };
      const pattern = { items: { $or: [{ kind: ['b'] }, { size: [{ numeric: ['>', 4] }] }] } };
      expect(matchesEventPattern(pattern, event)).toBe(true);
    });
  });

  describe('Security Hub Findings - Imported', () => {
    it('matches a failed, active, new, high finding', () => {
      expect(matchEventPattern(failedActiveNew, securityHubEvent('NEW'))).toEqual({ matched: true });
    });

    it('misses a notified finding and names Workflow.Status', () => {
      expect(matchEventPattern(failedActiveNew, securityHubEvent('NOTIFIED'))).toEqual({
        matched: false,
        mismatch: { path: 'detail.findings.Workflow.Status', expected: ['NEW'], actual: ['NOTIFIED'] },
      });
    });

    it('matches a batch when some finding has each property, even if no single finding has all', () => {
      const notified = securityHubEvent('NOTIFIED');
      const [finding] = notified.detail.findings;
      const batch = {
        ...notified,
        detail: { findings: [finding, { ...finding, Compliance: { Status: 'PASSED' }, Workflow: { Status: 'NEW' } }] },
      };
      expect(matchesEventPattern(failedActiveNew, batch)).toBe(true);
    });

    it('misses when no finding has the label, listing every finding’s label', () => {
      const event = securityHubEvent('NEW');
      const [finding] = event.detail.findings;
      const low = {
        ...event,
        detail: {
          findings: [
            { ...finding, Severity: { Label: 'LOW' } },
            { ...finding, Severity: { Label: 'MEDIUM' } },
          ],
        },
      };
      expect(matchEventPattern(failedActiveNew, low)).toEqual({
        matched: false,
        mismatch: { path: 'detail.findings.Severity.Label', expected: ['HIGH', 'CRITICAL'], actual: ['LOW', 'MEDIUM'] },
      });
    });
  });

  describe('robustness', () => {
    it('does not overflow the stack on deeply nested arrays', () => {
      let deep: unknown = 'bottom';
      for (let i = 0; i < 200_000; i++) deep = [deep];
      expect(matchesEventPattern({ value: ['bottom'] }, { value: deep })).toBe(true);
    });

    it('handles arrays with hundreds of thousands of elements', () => {
      const values = Array.from({ length: 300_000 }, (_, i) => i);
      expect(matchesEventPattern({ value: [{ numeric: ['=', 299_999] }] }, { value: values })).toBe(true);
    });

    it('terminates on cyclic arrays built in code', () => {
      const cycle: unknown[] = ['x'];
      cycle.push(cycle);
      expect(matchEventPattern({ value: ['y'] }, { value: cycle })).toMatchObject({ mismatch: { actual: ['x'] } });
    });

    it('only follows own properties of the event', () => {
      const pattern = { constructor: { name: ['Object'] }, toString: [{ exists: true }] };
      expect(matchesEventPattern(pattern, {})).toBe(false);
      const protoPattern = JSON.parse('{"__proto__":{"x":[{"exists":true}]}}') as EventPattern;
      expect(matchesEventPattern(protoPattern, JSON.parse('{"__proto__":{"x":1}}'))).toBe(true);
    });

    it('matches unicode keys and values', () => {
      const event = { détail: { ключ: '値🙂' } };
      expect(matchesEventPattern({ détail: { ключ: [{ prefix: '値' }] } }, event)).toBe(true);
      expect(matchesEventPattern({ détail: { ключ: [{ wildcard: '*🙂' }] } }, event)).toBe(true);
    });
  });
});
