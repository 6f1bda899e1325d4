/** The events cloudmend consumes, each identified by its EventBridge source and detail-type. */
import { normalizeConfigChange } from './config-change.js';
import { normalizeConfigCompliance } from './config-compliance.js';
import { normalizeDrift } from './drift.js';
import type { EventKind, Normalizer } from './normalized.js';
import { normalizeOcsf } from './ocsf.js';
import { normalizeSchedule } from './schedule.js';
import { normalizeSecurityHub } from './securityhub.js';

export interface EventKindSpec {
  readonly source: string;
  readonly detailType: string;
  readonly normalize: Normalizer;
}

export const EVENT_KINDS: Readonly<Record<EventKind, EventKindSpec>> = {
  'securityhub-imported': { source: 'aws.securityhub', detailType: 'Security Hub Findings - Imported', normalize: normalizeSecurityHub },
  'securityhub-imported-v2': { source: 'aws.securityhub', detailType: 'Findings Imported V2', normalize: normalizeOcsf },
  'securityhub-custom-action': {
    source: 'aws.securityhub',
    detailType: 'Security Hub Findings - Custom Action',
    normalize: normalizeSecurityHub,
  },
  'config-compliance-change': { source: 'aws.config', detailType: 'Config Rules Compliance Change', normalize: normalizeConfigCompliance },
  'config-item-change': { source: 'aws.config', detailType: 'Config Configuration Item Change', normalize: normalizeConfigChange },
  scheduled: { source: 'aws.events', detailType: 'Scheduled Event', normalize: normalizeSchedule },
  'drift-detected': { source: 'cloudmend', detailType: 'cloudmend Drift Detected', normalize: normalizeDrift },
  // `cloudmend smoke`'s synthetic finding: ASFF, put on the bus by the CLI (EventBridge refuses `aws.*` sources to callers).
  'smoke-test': { source: 'cloudmend', detailType: 'cloudmend Smoke Test Finding', normalize: normalizeSecurityHub },
};

export function kindOf(source: string, detailType: string): EventKind | undefined {
  return (Object.keys(EVENT_KINDS) as EventKind[]).find(
    (kind) => EVENT_KINDS[kind].source === source && EVENT_KINDS[kind].detailType === detailType,
  );
}
