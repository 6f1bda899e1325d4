/** "Scheduled Event": a schedule fired. The rule in `resources` says which one. */
import { parseArn, partitionOfRegion } from './arn.js';
import { fingerprintOf } from './fingerprint.js';
import type { Normalizer } from './normalized.js';
import { UNKNOWN_SEVERITY } from './severity.js';

export const normalizeSchedule: Normalizer = (envelope) => {
  const ruleArn = envelope.resources.find((r) => parseArn(r)?.service === 'events');
  if (!ruleArn) {
    return {
      findings: [],
      problems: [
        'resources: a Scheduled Event names the rule that fired in resources[]; this one names none, so the schedule cannot be told',
      ],
    };
  }
  // Rules on a custom bus are `rule/<bus>/<name>`: the name is the last segment.
  const ruleName = ruleArn.slice(ruleArn.lastIndexOf('/') + 1);
  const partition = parseArn(ruleArn)?.partition ?? partitionOfRegion(envelope.region);
  const scope = { partition, region: envelope.region, account: envelope.account };
  return {
    problems: [],
    findings: [
      {
        // Each tick is one run; a redelivered tick carries the same time and collapses.
        fingerprint: fingerprintOf({ ...scope, subject: `schedule:${ruleName}`, resource: `${ruleArn}@${envelope.time}` }),
        source: 'schedule',
        title: `Scheduled run of ${ruleName}`,
        severity: UNKNOWN_SEVERITY,
        ...scope,
        resource: { type: 'AWS::Events::Rule', id: ruleArn, arn: ruleArn, name: ruleName, tags: {} },
        states: {},
        observedAt: envelope.time,
        raw: { eventId: envelope.id, detailType: envelope['detail-type'], eventSource: envelope.source },
      },
    ],
  };
};
