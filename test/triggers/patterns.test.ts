import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { matchesEventPattern, validateEventPattern } from '../../src/triggers/event-pattern.js';
import { triggersFor } from '../../src/triggers/patterns.js';
import {
  asffFinding,
  complianceEvent,
  customActionEvent,
  driftEvent,
  importedEvent,
  importedV2Event,
  itemChangeEvent,
  oversizedItemEvent,
  ocsfFinding,
  scheduledEvent,
} from '../support/events.js';
import { smokeFinding } from '../../src/smoke/finding.js';

const triggers = triggersFor(parseConfig('version: 1\n', 'c.yaml'));

function matching(event: unknown): string[] {
  return triggers.filter((t) => matchesEventPattern(t.pattern, event)).map((t) => t.name);
}

/** The smoke test's event, its bucket replaced by `resource` when given. */
function smokeEvent(resource?: string): unknown {
  const { event } = smokeFinding('a1b2c3d4e5f6', { owns: { accounts: ['123456789012'] } }, new Date('2026-12-07T12:00:00Z'));
  if (resource === undefined) return event;
  const [finding] = (event.detail as { findings: { Resources: { Id: string }[] }[] }).findings;
  return { ...event, detail: { findings: [{ ...finding, Resources: [{ ...finding!.Resources[0], Id: resource }] }] } };
}

describe('trigger patterns', () => {
  it.each(triggers.map((t) => [t.name, t] as const))('%s is a valid EventBridge pattern', (_, trigger) => {
    expect(() => validateEventPattern(trigger.pattern)).not.toThrow();
  });

  it.each([
    ['a new failed Security Hub finding', importedEvent(), ['securityhub-imported']],
    ["a finding sent to cloudmend's custom action", customActionEvent([asffFinding()]), ['securityhub-custom-action']],
    ['a NON_COMPLIANT Config evaluation', complianceEvent(), ['config-compliance']],
    ['a change of a resource type cloudmend checks for drift', itemChangeEvent(), ['config-item-change']],
    ['an oversized change of such a type', oversizedItemEvent(), ['config-item-change']],
    ['a scheduled event', scheduledEvent(), ['schedule']],
    ["cloudmend's drift event", driftEvent(), ['drift-detected']],
    ["`cloudmend smoke`'s synthetic finding", smokeEvent(), ['smoke-test']],
    ['a smoke-test event about any other resource', smokeEvent('arn:aws:s3:::acme-logs'), []],
    ['a finding below the severity floor', importedEvent([asffFinding({ Severity: { Label: 'LOW' } })]), []],
    ["cloudmend's own NOTIFIED write-back", importedEvent([asffFinding({ Workflow: { Status: 'NOTIFIED' } })]), []],
    ['an archived finding', importedEvent([asffFinding({ RecordState: 'ARCHIVED' })]), []],
    ['a new failed Security Hub v2 (OCSF) control finding', importedV2Event(), ['securityhub-imported-v2']],
    ['a v2 finding updated while still new and failed', importedV2Event([ocsfFinding({ activity_id: 2 })]), ['securityhub-imported-v2']],
    ['a Fatal v2 finding', importedV2Event([ocsfFinding({ severity_id: 6 })]), ['securityhub-imported-v2']],
    ['a v2 finding below the severity floor', importedV2Event([ocsfFinding({ severity_id: 2 })]), []],
    ["cloudmend's own In Progress write-back of a v2 finding", importedV2Event([ocsfFinding({ status_id: 2 })]), []],
    ['a suppressed v2 finding', importedV2Event([ocsfFinding({ status_id: 3 })]), []],
    ['a resolved v2 finding', importedV2Event([ocsfFinding({ status_id: 4 })]), []],
    ['an archived v2 finding', importedV2Event([ocsfFinding({ status_id: 5 })]), []],
    ['a closed v2 finding', importedV2Event([ocsfFinding({ activity_id: 3 })]), []],
    ['a passed v2 finding', importedV2Event([ocsfFinding({ compliance: { control: 'S3.8', status_id: 1, status: 'Pass' } })]), []],
    ['a v2 finding of another class (GuardDuty Detection Finding)', importedV2Event([ocsfFinding({ class_uid: 2004 })]), []],
    ["another tool's custom action", customActionEvent([asffFinding()], 'AFSBPec22'), []],
    ['a COMPLIANT evaluation', complianceEvent({ complianceType: 'COMPLIANT' }), []],
    ['a change of a resource type cloudmend does not check', itemChangeEvent({ resourceType: 'AWS::EFS::FileSystem' }), []],
  ])('match %s', (_, event, expected) => {
    expect(matching(event)).toEqual(expected);
  });

  it('follows the configured severity floor and custom action id', () => {
    const strict = triggersFor(parseConfig('version: 1\ntriggers: { severityFloor: CRITICAL, customActionId: FixIt }\n', 'c.yaml'));
    const imported = strict.find((t) => t.name === 'securityhub-imported');
    const custom = strict.find((t) => t.name === 'securityhub-custom-action');
    expect(imported?.pattern).toMatchObject({ detail: { findings: { Severity: { Label: ['CRITICAL'] } } } });
    expect(strict.find((t) => t.name === 'securityhub-imported-v2')?.pattern).toMatchObject({
      detail: { findings: { severity_id: [5, 6] } },
    });
    expect(matchesEventPattern(custom?.pattern ?? {}, customActionEvent([asffFinding()], 'FixIt'))).toBe(true);
  });
});
