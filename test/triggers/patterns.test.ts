import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { matchesEventPattern, validateEventPattern } from '../../src/triggers/event-pattern.js';
import { triggersFor } from '../../src/triggers/patterns.js';
import { asffFinding, complianceEvent, customActionEvent, driftEvent, importedEvent, itemChangeEvent, oversizedItemEvent, scheduledEvent } from '../support/events.js';

const triggers = triggersFor(parseConfig('version: 1\n', 'c.yaml'));

function matching(event: unknown): string[] {
  return triggers.filter((t) => matchesEventPattern(t.pattern, event)).map((t) => t.name);
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
    ['a finding below the severity floor', importedEvent([asffFinding({ Severity: { Label: 'LOW' } })]), []],
    ["cloudmend's own NOTIFIED write-back", importedEvent([asffFinding({ Workflow: { Status: 'NOTIFIED' } })]), []],
    ['an archived finding', importedEvent([asffFinding({ RecordState: 'ARCHIVED' })]), []],
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
    expect(matchesEventPattern(custom?.pattern ?? {}, customActionEvent([asffFinding()], 'FixIt'))).toBe(true);
  });
});
