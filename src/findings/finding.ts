import type { Severity } from './severity.js';

/** Which kind of event a finding came from. */
export type FindingSource = 'securityhub' | 'config-compliance' | 'config-change' | 'drift' | 'schedule';

/** Compliance in Security Hub's vocabulary; Config's COMPLIANT etc. are mapped onto it. */
export type ComplianceStatus = 'PASSED' | 'FAILED' | 'WARNING' | 'NOT_AVAILABLE';

export interface FindingResource {
  /** CloudFormation / Config type name (`AWS::S3::Bucket`); unknown ASFF types pass through. */
  readonly type: string;
  /** The resource's id as the source gives it: an ARN for Security Hub, a resource id for Config. */
  readonly id: string;
  readonly arn?: string | undefined;
  /** Physical name where one can be told (bucket name, group name, function name...). */
  readonly name?: string | undefined;
  /** The description the source gives (a KMS key's), matched against the code's: untrusted input. */
  readonly description?: string | undefined;
  /** Tags as reported by the source: untrusted input. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface FindingStates {
  /** Security Hub RecordState: ACTIVE or ARCHIVED (OCSF activity Close or status Archived is ARCHIVED). */
  readonly record?: string | undefined;
  /** Security Hub Workflow.Status: NEW, NOTIFIED, SUPPRESSED, RESOLVED (OCSF status_id New, In Progress, Suppressed, Resolved). */
  readonly workflow?: string | undefined;
  readonly compliance?: ComplianceStatus | undefined;
  /** Why the source could not evaluate (Security Hub StatusReasons, Config annotation). */
  readonly complianceReasons?: readonly string[] | undefined;
  /** Config configurationItemStatus (OK, ResourceDiscovered, ResourceDeleted...). */
  readonly resourceStatus?: string | undefined;
  /** Who wrote the finding's note (OCSF: comment) last; cloudmend's own write-backs are recognised by it. */
  readonly noteUpdatedBy?: string | undefined;
}

/** Where the finding came from, without copying the (untrusted, possibly large) event. */
export interface RawPointer {
  readonly eventId: string;
  readonly detailType: string;
  readonly eventSource: string;
  /** Position in `detail.findings` for Security Hub events. */
  readonly index?: number | undefined;
  /** The ASFF finding Id, or the OCSF `finding_info.uid` (the same string for one control finding). */
  readonly findingId?: string | undefined;
  /**
   * The ASFF ProductArn, or the OCSF `metadata.product.uid`; with the finding id (and for OCSF the
   * account), what BatchUpdateFindings or BatchUpdateFindingsV2 needs to name the finding.
   */
  readonly productArn?: string | undefined;
  /** `ocsf` for Security Hub v2 findings, which are written back with BatchUpdateFindingsV2; absent for ASFF. */
  readonly format?: 'ocsf' | undefined;
  /** The custom action that sent it (Security Hub Findings - Custom Action). */
  readonly customAction?: string | undefined;
  /** Config rule behind the finding. */
  readonly configRule?: string | undefined;
  /** S3 location of an oversized configuration item, which the event does not carry. */
  readonly oversizedItem?: string | undefined;
}

/** One property that differs between the code and the live resource, as a drift detector said. */
export interface ReportedDifference {
  readonly path: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
  /** `ADD`, `REMOVE`, `NOT_EQUAL` (CloudFormation), `DELETED` for a resource gone. */
  readonly type?: string | undefined;
}

/**
 * What the event says about the live resource, kept for the drift comparison: the configuration
 * item of a Config change (untrusted, at most an event's 256 KB), or a drift detector's report.
 */
export type LiveEvidence =
  | { readonly kind: 'configuration-item'; readonly item: Readonly<Record<string, unknown>> }
  | {
      readonly kind: 'differences';
      readonly detector: 'cloudformation' | 'terraform' | 'config';
      readonly differences: readonly ReportedDifference[];
    }
  /** Evidence too large for the workflow's state, in its artifact store (src/workflow/stored.ts). */
  | { readonly kind: 'stored'; readonly key: string; readonly bytes: number };

/** One finding, whatever event it came in; the unit that is claimed, remediated and recorded. */
export interface Finding {
  /** Stable across redeliveries and re-imports; see `fingerprint.ts`. */
  readonly fingerprint: string;
  readonly source: FindingSource;
  /** Security Hub security control id (`S3.4`) when known. */
  readonly controlId?: string | undefined;
  readonly title: string;
  readonly severity: Severity;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly resource: FindingResource;
  readonly states: FindingStates;
  /** ISO-8601: when the source last observed the condition. */
  readonly observedAt: string;
  readonly raw: RawPointer;
  /** Config item changes and drift events only. */
  readonly evidence?: LiveEvidence | undefined;
}
