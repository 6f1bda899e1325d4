/** Backfill's selection (GetFindings filters from the Imported trigger) and its batches. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { SEVERITY_LABELS } from '../../src/findings/severity.js';
import { explainEvent } from '../../src/policy/explain.js';
import { backfillBatches, backfillFilters, type FindingFilters } from '../../src/triggers/backfill.js';
import { matchesEventPattern } from '../../src/triggers/event-pattern.js';
import { triggersFor } from '../../src/triggers/patterns.js';
import { asffFinding, importedEvent } from '../support/events.js';
import { ACCOUNT, CONFIG, NOW, REGION, bytesOf, findingId, idsOf, numberedFinding, numberedFindings } from './backfill-fixtures.js';

const options = { account: ACCOUNT, region: REGION, now: NOW };
const configWithFloor = (floor: string) => parseConfig(`version: 1\ntriggers: { severityFloor: ${floor} }\n`, 'c.yaml');

/** GetFindings' semantics for EQUALS string filters: any value of a field, every field. */
function passesFilters(filters: FindingFilters, finding: Record<string, unknown>): boolean {
  const f = finding as {
    Compliance?: { Status?: string };
    RecordState?: string;
    Workflow?: { Status?: string };
    Severity?: { Label?: string };
  };
  const valueOf: Record<string, string | undefined> = {
    ComplianceStatus: f.Compliance?.Status,
    RecordState: f.RecordState,
    WorkflowStatus: f.Workflow?.Status,
    SeverityLabel: f.Severity?.Label,
  };
  return Object.entries(filters).every(([field, list]) => list.some((filter) => filter.Value === valueOf[field]));
}

describe('backfillFilters', () => {
  it('turns the HIGH floor into exactly these GetFindings filters', () => {
    expect(backfillFilters(configWithFloor('HIGH'))).toEqual({
      ComplianceStatus: [{ Value: 'FAILED', Comparison: 'EQUALS' }],
      RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
      WorkflowStatus: [{ Value: 'NEW', Comparison: 'EQUALS' }],
      SeverityLabel: [
        { Value: 'HIGH', Comparison: 'EQUALS' },
        { Value: 'CRITICAL', Comparison: 'EQUALS' },
      ],
    });
  });

  it.each(SEVERITY_LABELS.map((floor) => [floor]))('equals the Imported trigger pattern field by field with floor %s', (floor) => {
    const config = configWithFloor(floor);
    const pattern = triggersFor(config).find((t) => t.kind === 'securityhub-imported')!.pattern as {
      detail: {
        findings: {
          Compliance: { Status: string[] };
          RecordState: string[];
          Workflow: { Status: string[] };
          Severity: { Label: string[] };
        };
      };
    };
    const values = (list: { Value: string }[] | undefined) => list?.map((f) => f.Value);
    const filters = backfillFilters(config);
    expect(Object.keys(filters).sort()).toEqual(['ComplianceStatus', 'RecordState', 'SeverityLabel', 'WorkflowStatus']);
    expect(values(filters.ComplianceStatus)).toEqual(pattern.detail.findings.Compliance.Status);
    expect(values(filters.RecordState)).toEqual(pattern.detail.findings.RecordState);
    expect(values(filters.WorkflowStatus)).toEqual(pattern.detail.findings.Workflow.Status);
    expect(values(filters.SeverityLabel)).toEqual(pattern.detail.findings.Severity.Label);
    expect(values(filters.SeverityLabel)).toContain(floor);
    expect(
      Object.values(filters)
        .flat()
        .every((f) => f.Comparison === 'EQUALS'),
    ).toBe(true);
  });

  it.each(SEVERITY_LABELS.map((floor) => [floor]))('selects the same findings as the deployed rule matches, with floor %s', (floor) => {
    const config = configWithFloor(floor);
    const imported = triggersFor(config).find((t) => t.kind === 'securityhub-imported')!;
    const filters = backfillFilters(config);
    let selected = 0;
    for (const Status of ['PASSED', 'FAILED', 'WARNING', 'NOT_AVAILABLE'])
      for (const RecordState of ['ACTIVE', 'ARCHIVED'])
        for (const workflow of ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'])
          for (const Label of SEVERITY_LABELS) {
            const finding = asffFinding({
              Compliance: { Status, SecurityControlId: 'S3.8' },
              RecordState,
              Workflow: { Status: workflow },
              Severity: { Label },
            });
            const byRule = matchesEventPattern(imported.pattern, importedEvent([finding]));
            expect(passesFilters(filters, finding), `${Status} ${RecordState} ${workflow} ${Label}`).toBe(byRule);
            if (byRule) selected += 1;
          }
    expect(selected).toBe(SEVERITY_LABELS.length - SEVERITY_LABELS.indexOf(floor));
  });
});

describe('backfillBatches', () => {
  it('puts at most maxFindings findings in a batch, in order', () => {
    const findings = numberedFindings(7);
    const { batches, oversized } = backfillBatches(findings, { ...options, maxFindings: 3 });
    expect(batches.map((b) => idsOf(b.event))).toEqual([[0, 1, 2].map(findingId), [3, 4, 5].map(findingId), [findingId(6)]]);
    expect(oversized).toEqual([]);
  });

  it('defaults to 50 findings per batch', () => {
    expect(backfillBatches(numberedFindings(120), options).batches.map((b) => idsOf(b.event).length)).toEqual([50, 50, 20]);
  });

  it('keeps every batch within maxBytes', () => {
    const findings = numberedFindings(7);
    const size = bytesOf(findings[0]);
    const maxBytes = Math.floor(size * 2.5);
    const { batches } = backfillBatches(findings, { ...options, maxBytes });
    expect(batches.map((b) => idsOf(b.event).length)).toEqual([2, 2, 2, 1]);
    for (const batch of batches) {
      const findingsOf = (batch.event.detail as { findings: unknown[] }).findings;
      expect(findingsOf.reduce((sum: number, f) => sum + bytesOf(f), 0)).toBeLessThanOrEqual(maxBytes);
    }
  });

  it('fits a finding of exactly maxBytes on its own', () => {
    const findings = numberedFindings(2);
    const { batches, oversized } = backfillBatches(findings, { ...options, maxBytes: bytesOf(findings[0]) });
    expect(batches.map((b) => idsOf(b.event))).toEqual([[findingId(0)], [findingId(1)]]);
    expect(oversized).toEqual([]);
  });

  it('reports a finding larger than maxBytes by id and batches the rest around it', () => {
    const big = numberedFinding(1, undefined, { Title: 'x'.repeat(5000) });
    const { batches, oversized } = backfillBatches([numberedFinding(0), big, numberedFinding(2)], { ...options, maxBytes: 4000 });
    expect(oversized).toEqual([findingId(1)]);
    expect(batches.flatMap((b) => idsOf(b.event))).toEqual([findingId(0), findingId(2)]);
  });

  it('returns no batches for no findings', () => {
    expect(backfillBatches([], options)).toEqual({ batches: [], oversized: [] });
  });

  it('builds a Security Hub Imported event carrying the batch, timed at its latest update', () => {
    const findings = [
      numberedFinding(0, '2026-11-20T09:00:00.000Z'),
      numberedFinding(1, '2026-11-20T11:30:00.000Z'),
      numberedFinding(2, '2026-11-19T23:59:59.000Z'),
    ];
    const [batch] = backfillBatches(findings, options).batches;
    expect(batch?.name).toMatch(/^backfill-[0-9a-f]{40}$/);
    expect(batch?.name).toMatch(/^[A-Za-z0-9_-]{1,80}$/); // a valid Step Functions execution name
    expect(batch?.event).toEqual({
      version: '0',
      id: `cloudmend-${batch?.name}`,
      'detail-type': 'Security Hub Findings - Imported',
      source: 'aws.securityhub',
      account: ACCOUNT,
      time: '2026-11-20T11:30:00.000Z',
      region: REGION,
      resources: [],
      detail: { findings },
    });
  });

  it('times a batch whose findings carry no UpdatedAt by the clock', () => {
    const [batch] = backfillBatches([numberedFinding(0, undefined, { UpdatedAt: undefined })], options).batches;
    expect(batch?.event.time).toBe(NOW.toISOString());
  });

  describe('names', () => {
    it('are the same, with the same event, for the same findings in the same state at another time', () => {
      const first = backfillBatches(numberedFindings(5), { ...options, maxFindings: 2 });
      const again = backfillBatches(numberedFindings(5), { ...options, maxFindings: 2, now: new Date('2026-12-01T00:00:00.000Z') });
      expect(again.batches.map((b) => b.name)).toEqual(first.batches.map((b) => b.name));
      expect(again.batches).toEqual(first.batches);
    });

    it('change when a finding of the batch was updated since', () => {
      const before = backfillBatches([numberedFinding(0), numberedFinding(1)], options).batches[0]!;
      const after = backfillBatches([numberedFinding(0), numberedFinding(1, '2026-11-21T05:00:00.000Z')], options).batches[0]!;
      expect(after.name).not.toBe(before.name);
      expect(after.event.id).not.toBe(before.event.id);
    });

    it('differ between batches and between different findings', () => {
      const names = [
        ...backfillBatches(numberedFindings(6), { ...options, maxFindings: 2 }).batches,
        ...backfillBatches(numberedFindings(2, 100), options).batches,
      ].map((b) => b.name);
      expect(new Set(names).size).toBe(names.length);
    });
  });

  it('generates events the workflow reads in full: every finding explained, none rejected', () => {
    const findings = numberedFindings(23);
    const { batches } = backfillBatches(findings, { ...options, maxFindings: 10 });
    expect(batches).toHaveLength(3);
    for (const batch of batches) {
      const explained = explainEvent(batch.event, CONFIG);
      expect(explained.error).toBeUndefined();
      expect(explained.problems).toEqual([]);
      expect(explained.kind).toBe('securityhub-imported');
      expect(explained.trigger).toBe('securityhub-imported');
      expect(explained.findings.map((f) => f.finding.raw.findingId)).toEqual(idsOf(batch.event));
      expect(explained.findings.every((f) => f.decision.decision === 'act')).toBe(true);
    }
  });
});
