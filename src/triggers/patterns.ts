/**
 * The EventBridge patterns that start cloudmend, defined once: the CDK stack deploys them as rules
 * and the local runtime evaluates them with the same semantics (`event-pattern.ts`).
 */
import type { Config } from '../config/schema.js';
import { EVENT_KINDS } from '../findings/event-kinds.js';
import type { EventKind } from '../findings/normalized.js';
import { OCSF_ACTIVITY, OCSF_COMPLIANCE_FAIL, OCSF_COMPLIANCE_FINDING, OCSF_SEVERITY_IDS, OCSF_STATUS } from '../findings/ocsf.js';
import { SEVERITY_LABELS, atLeast } from '../findings/severity.js';
import { SMOKE_PREFIX } from '../smoke/finding.js';
import type { EventPattern } from './event-pattern.js';

export interface Trigger {
  /** Stable name; also the suffix of the deployed rule's name. */
  readonly name: string;
  readonly kind: EventKind;
  readonly description: string;
  readonly pattern: EventPattern;
  /** Bursty (imported findings, thousands at once): deployed, the rule feeds the batching queue when batching is on. */
  readonly batched?: boolean | undefined;
}

/** Resource types whose configuration changes cloudmend compares with their IaC declaration. */
export const DRIFT_RESOURCE_TYPES = [
  'AWS::S3::Bucket',
  'AWS::EC2::SecurityGroup',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::Lambda::Function',
  'AWS::RDS::DBInstance',
  'AWS::KMS::Key',
  'AWS::DynamoDB::Table',
] as const;

function envelope(kind: EventKind): EventPattern {
  return { source: [EVENT_KINDS[kind].source], 'detail-type': [EVENT_KINDS[kind].detailType] };
}

/** The triggers for a configuration: the severity floor and custom action id come from it. */
export function triggersFor(config: Pick<Config, 'triggers'>): Trigger[] {
  const { severityFloor, customActionId } = config.triggers;
  return [
    {
      name: 'securityhub-imported',
      kind: 'securityhub-imported',
      batched: true,
      description: `new, active, failed Security Hub control findings of severity ${severityFloor} or above`,
      pattern: {
        ...envelope('securityhub-imported'),
        detail: {
          findings: {
            Compliance: { Status: ['FAILED'] },
            RecordState: ['ACTIVE'],
            // NEW only: cloudmend's own write-back sets NOTIFIED, so it cannot re-trigger itself.
            Workflow: { Status: ['NEW'] },
            Severity: { Label: SEVERITY_LABELS.filter((label) => atLeast(label, severityFloor)) },
          },
        },
      },
    },
    {
      name: 'securityhub-imported-v2',
      kind: 'securityhub-imported-v2',
      batched: true,
      description: `new, open, failed Security Hub v2 (OCSF) control findings of severity ${severityFloor} or above`,
      pattern: {
        ...envelope('securityhub-imported-v2'),
        detail: {
          findings: {
            class_uid: [OCSF_COMPLIANCE_FINDING],
            // Create and Update only: Close archives the finding.
            activity_id: [OCSF_ACTIVITY.create, OCSF_ACTIVITY.update],
            // New only: cloudmend's own write-back sets In Progress, so it cannot re-trigger itself.
            status_id: [OCSF_STATUS.new],
            compliance: { status_id: [OCSF_COMPLIANCE_FAIL] },
            severity_id: SEVERITY_LABELS.filter((label) => atLeast(label, severityFloor)).flatMap((label) => OCSF_SEVERITY_IDS[label]),
          },
        },
      },
    },
    {
      name: 'securityhub-custom-action',
      kind: 'securityhub-custom-action',
      description: `findings sent to the Security Hub custom action "${customActionId}"`,
      pattern: { ...envelope('securityhub-custom-action'), resources: [{ suffix: `:action/custom/${customActionId}` }] },
    },
    {
      name: 'config-compliance',
      kind: 'config-compliance-change',
      description: 'AWS Config rule evaluations that turned NON_COMPLIANT',
      pattern: {
        ...envelope('config-compliance-change'),
        detail: { messageType: ['ComplianceChangeNotification'], newEvaluationResult: { complianceType: ['NON_COMPLIANT'] } },
      },
    },
    {
      name: 'config-item-change',
      kind: 'config-item-change',
      description: 'configuration changes of resource types cloudmend checks for drift',
      pattern: {
        ...envelope('config-item-change'),
        detail: {
          $or: [
            { messageType: ['ConfigurationItemChangeNotification'], configurationItem: { resourceType: [...DRIFT_RESOURCE_TYPES] } },
            {
              messageType: ['OversizedConfigurationItemChangeNotification'],
              configurationItemSummary: { resourceType: [...DRIFT_RESOURCE_TYPES] },
            },
          ],
        },
      },
    },
    {
      name: 'schedule',
      kind: 'scheduled',
      description: 'scheduled runs (drift scan, backfill, approval expiry)',
      pattern: envelope('scheduled'),
    },
    {
      name: 'drift-detected',
      kind: 'drift-detected',
      description: "drift reported by cloudmend's own scans",
      pattern: envelope('drift-detected'),
    },
    {
      // Batched as imported findings are, so the smoke test goes through the batching queue too. The
      // workflow acts on such an event only for the smoke run `cloudmend smoke` recorded in the ledger.
      name: 'smoke-test',
      kind: 'smoke-test',
      batched: true,
      description: 'the synthetic finding of `cloudmend smoke` (acted on only for a smoke run recorded in the ledger)',
      pattern: {
        ...envelope('smoke-test'),
        detail: { findings: { Resources: { Id: [{ prefix: `arn:aws:s3:::${SMOKE_PREFIX}-` }] } } },
      },
    },
  ];
}
