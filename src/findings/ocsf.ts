/**
 * "Findings Imported V2": Security Hub v2 findings in OCSF (the Compliance Finding class for
 * control findings), one finding per entry of detail.findings. Read into the same Finding an ASFF
 * finding of the same control and resource gives (`security-hub-finding.ts`):
 * - control from `compliance.control`, account from `cloud.account.uid`, region from `cloud.region`;
 * - resource from `resources[0]`: its ARN (`uid_alt`, or `uid` where that is the ARN) is its id, as in
 *   ASFF; `type` is the CloudFormation name (ASFF names seen in the wild are mapped too);
 * - states from `status_id` (New, In Progress, Suppressed, Resolved, Archived), `activity_id`
 *   (Close archives) and `compliance.status_id` (Pass, Warning, Fail), in Security Hub's ASFF
 *   vocabulary, so the decisions are the ones an ASFF finding in the same state gets.
 */
import * as z from 'zod';
import { parseArn, partitionOfRegion } from './arn.js';
import type { Envelope } from './envelope.js';
import type { ComplianceStatus, Finding } from './finding.js';
import { consolidatedControlId } from './legacy-controls.js';
import type { Normalizer } from './normalized.js';
import { securityHubFinding, securityHubNormalizer } from './security-hub-finding.js';
import { severityOf, type Severity, type SeverityLabel } from './severity.js';
import { commentAuthor } from './write-back.js';

/** OCSF class_uid of Compliance Finding: Security Hub v2's control findings. */
export const OCSF_COMPLIANCE_FINDING = 2003;

/** OCSF activity_id: 1 Create, 2 Update, 3 Close (the finding was closed: Security Hub archived it). */
export const OCSF_ACTIVITY = { create: 1, update: 2, close: 3 } as const;

/** OCSF status_id: 1 New, 2 In Progress, 3 Suppressed, 4 Resolved (ASFF Workflow.Status), 5 Archived (ASFF RecordState). */
export const OCSF_STATUS = { new: 1, archived: 5 } as const;
const WORKFLOW_OF_STATUS: Readonly<Record<number, string>> = { 1: 'NEW', 2: 'NOTIFIED', 3: 'SUPPRESSED', 4: 'RESOLVED' };

/** OCSF compliance.status_id: 0 Unknown, 1 Pass, 2 Warning, 3 Fail. */
export const OCSF_COMPLIANCE_FAIL = 3;
const COMPLIANCE_OF_STATUS: Readonly<Record<number, ComplianceStatus>> = { 0: 'NOT_AVAILABLE', 1: 'PASSED', 2: 'WARNING', 3: 'FAILED' };
const COMPLIANCE_OF_NAME: Readonly<Record<string, ComplianceStatus>> = {
  unknown: 'NOT_AVAILABLE',
  pass: 'PASSED',
  warning: 'WARNING',
  fail: 'FAILED',
};

/** OCSF severity_id for each Security Hub label; 6 Fatal counts as CRITICAL (ASFF has nothing above). */
export const OCSF_SEVERITY_IDS: Readonly<Record<SeverityLabel, readonly number[]>> = {
  INFORMATIONAL: [1],
  LOW: [2],
  MEDIUM: [3],
  HIGH: [4],
  CRITICAL: [5, 6],
};

const Resource = z.object({
  type: z.string().min(1),
  uid: z.string().min(1).optional(),
  uid_alt: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
  cloud_partition: z.string().min(1).optional(),
  // Tags are untrusted and only read: entries that are not {name, value} strings are dropped below.
  tags: z.array(z.unknown()).optional(),
});

/** The OCSF fields cloudmend reads; everything else in the finding is ignored. */
const OcsfFinding = z.object({
  // Only control findings: another class (Detection, Vulnerability…) is refused by name rather than read as one.
  class_uid: z.literal(OCSF_COMPLIANCE_FINDING, {
    error: `expected ${OCSF_COMPLIANCE_FINDING} (Compliance Finding): cloudmend remediates control findings only`,
  }),
  activity_id: z.number().optional(),
  status_id: z.number().optional(),
  severity_id: z.number().optional(),
  comment: z.string().optional(),
  time_dt: z.string().optional(),
  cloud: z.object({ account: z.object({ uid: z.string().min(1) }), region: z.string().min(1).optional() }),
  finding_info: z.object({
    uid: z.string().min(1),
    title: z.string().optional(),
    last_seen_time_dt: z.string().optional(),
    modified_time_dt: z.string().optional(),
  }),
  metadata: z.object({ product: z.object({ uid: z.string().min(1).optional() }).optional() }).optional(),
  compliance: z
    .object({
      control: z.string().min(1).optional(),
      standards: z.array(z.string()).optional(),
      status_id: z.number().optional(),
      status: z.string().optional(),
      status_code: z.string().optional(),
      status_detail: z.string().optional(),
    })
    .optional(),
  resources: z.array(Resource.refine((r) => r.uid ?? r.uid_alt ?? r.name, { message: 'a resource needs uid, uid_alt or name' })).min(1),
});

type OcsfFinding = z.infer<typeof OcsfFinding>;

const SEVERITY_OF_ID: Readonly<Record<number, SeverityLabel>> = Object.fromEntries(
  Object.entries(OCSF_SEVERITY_IDS).flatMap(([label, ids]) => ids.map((id) => [id, label as SeverityLabel])),
);

function severityOfFinding(f: OcsfFinding): Severity | undefined {
  const label = f.severity_id === undefined ? undefined : SEVERITY_OF_ID[f.severity_id];
  return label ? severityOf(label, 'finding') : undefined;
}

function complianceOf(f: OcsfFinding): ComplianceStatus | undefined {
  const { status_id: id, status } = f.compliance ?? {};
  if (id !== undefined && Object.hasOwn(COMPLIANCE_OF_STATUS, id)) return COMPLIANCE_OF_STATUS[id];
  const name = status?.toLowerCase();
  return name !== undefined && Object.hasOwn(COMPLIANCE_OF_NAME, name) ? COMPLIANCE_OF_NAME[name] : undefined;
}

/** Tags as OCSF lists them (`[{name, value}]`), string-valued ones only; a `__proto__` name stays a plain key. */
function tagsOf(tags: readonly unknown[] | undefined): Record<string, string> {
  const pairs = (tags ?? []).map((tag) => (typeof tag === 'object' && tag !== null ? (tag as { name?: unknown; value?: unknown }) : {}));
  return Object.fromEntries(
    pairs
      .filter((t): t is { name: string; value: string } => typeof t.name === 'string' && typeof t.value === 'string')
      .map((t) => [t.name, t.value]),
  );
}

// Findings of standards not yet consolidated name the control as that standard does (`PCI.KMS.1`, CIS 1.2.0 `2.7`).
const CIS_120_STANDARD = /cis-aws-foundations-benchmark\/v\/1\.2\.0$/;

/** `compliance.control`, mapped to its security control when a standard names it its own way, as ASFF's GeneratorId does. */
function controlIdOf(f: OcsfFinding): string | undefined {
  const control = f.compliance?.control;
  if (control === undefined) return undefined;
  const cis = f.compliance?.standards?.some((s) => CIS_120_STANDARD.test(s)) ? control : undefined;
  return consolidatedControlId({ pciControlId: control, cisRule: cis }) ?? control;
}

function toFinding(f: OcsfFinding, envelope: Envelope, index: number): Finding {
  const [primary] = f.resources;
  if (!primary) throw new Error('unreachable: resources has at least one entry');
  // Security Hub puts the ARN in uid_alt for most types and in uid for some (and the queue URL in uid for SQS).
  const arn = [primary.uid_alt, primary.uid].find((id) => id !== undefined && parseArn(id) !== undefined);
  const id = arn ?? primary.uid ?? primary.uid_alt ?? primary.name ?? '';
  // IAM and other global resources say "global"; the finding's own region is the one ASFF names.
  const region = f.cloud.region ?? (primary.region === 'global' ? undefined : primary.region) ?? envelope.region;
  const archived = f.activity_id === OCSF_ACTIVITY.close || f.status_id === OCSF_STATUS.archived;
  const reason = [f.compliance?.status_code, f.compliance?.status_detail].filter(Boolean).join(': ');
  return securityHubFinding({
    controlId: controlIdOf(f),
    findingId: f.finding_info.uid,
    title: f.finding_info.title,
    severity: severityOfFinding(f),
    account: f.cloud.account.uid,
    region,
    partition: primary.cloud_partition ?? (arn ? parseArn(arn)?.partition : undefined) ?? partitionOfRegion(region),
    resource: { type: primary.type, id, name: primary.name, tags: tagsOf(primary.tags) },
    states: {
      record: archived ? 'ARCHIVED' : 'ACTIVE',
      workflow: f.status_id === undefined ? undefined : WORKFLOW_OF_STATUS[f.status_id],
      compliance: complianceOf(f),
      complianceReasons: reason ? [reason] : undefined,
      noteUpdatedBy: commentAuthor(f.comment),
    },
    observedAt: f.finding_info.last_seen_time_dt ?? f.finding_info.modified_time_dt ?? f.time_dt ?? envelope.time,
    raw: {
      eventId: envelope.id,
      detailType: envelope['detail-type'],
      eventSource: envelope.source,
      index,
      findingId: f.finding_info.uid,
      productArn: f.metadata?.product?.uid,
      format: 'ocsf',
    },
  });
}

export const normalizeOcsf: Normalizer = securityHubNormalizer('OCSF', (entry) => OcsfFinding.safeParse(entry), toFinding);
