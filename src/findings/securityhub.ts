/** "Security Hub Findings - Imported" and "- Custom Action": one finding per entry of detail.findings. */
import * as z from 'zod';
import { parseArn, partitionOfRegion } from './arn.js';
import type { Envelope } from './envelope.js';
import type { ComplianceStatus, Finding } from './finding.js';
import { consolidatedControlId } from './legacy-controls.js';
import { stringTags, type Normalizer } from './normalized.js';
import { securityHubFinding, securityHubNormalizer } from './security-hub-finding.js';
import { labelOfScore, parseSeverityLabel, severityOf, type Severity } from './severity.js';

/**
 * The ASFF fields cloudmend reads. `bag` is the schema of the three free-form objects (resource
 * tags and details, product fields): zod's record schema, or, for entries whose bags are already
 * known to pass it, one that takes them as they are (see `parseFinding`).
 */
function asffSchema(bag: z.ZodType<Record<string, unknown>>) {
  const resource = z.object({
    Type: z.string().min(1),
    Id: z.string().min(1),
    Partition: z.string().optional(),
    Region: z.string().optional(),
    Tags: bag.optional(),
    Details: bag.optional(),
  });
  return z.object({
    Id: z.string().min(1),
    ProductArn: z.string().min(1).optional(),
    AwsAccountId: z.string().min(1),
    GeneratorId: z.string().optional(),
    Title: z.string().optional(),
    Region: z.string().optional(),
    Severity: z.object({ Label: z.string().optional(), Normalized: z.number().min(0).max(100).optional() }).optional(),
    Compliance: z
      .object({
        Status: z.string().optional(),
        SecurityControlId: z.string().min(1).optional(),
        StatusReasons: z.array(z.object({ ReasonCode: z.string().optional(), Description: z.string().optional() })).optional(),
      })
      .optional(),
    RecordState: z.string().optional(),
    Workflow: z.object({ Status: z.string().optional() }).optional(),
    WorkflowState: z.string().optional(),
    ProductFields: bag.optional(),
    Resources: z.array(resource).min(1),
    LastObservedAt: z.string().optional(),
    UpdatedAt: z.string().optional(),
    Note: z.object({ UpdatedBy: z.string().optional() }).optional(),
  });
}

const AsffFinding = asffSchema(z.record(z.string(), z.unknown()));
const AsffFindingPlainBags = asffSchema(z.custom<Record<string, unknown>>(() => true));

/**
 * True when `value` passes `z.record(z.string(), z.unknown())` and that schema's copy would hold the
 * same keys and values: a plain object whose own keys are enumerable strings, none `__proto__`, as
 * parsed JSON gives. Undefined passes too (the bags are optional).
 */
function plainBag(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  const names = Object.getOwnPropertyNames(value);
  return (
    !Object.hasOwn(value, '__proto__') &&
    !Object.hasOwn(value, 'constructor') &&
    Object.getOwnPropertySymbols(value).length === 0 &&
    names.length === Object.keys(value).length
  );
}

function plainBags(entry: unknown): boolean {
  if (typeof entry !== 'object' || entry === null) return false;
  const { ProductFields, Resources } = entry as { ProductFields?: unknown; Resources?: unknown };
  if (!plainBag(ProductFields) || !Array.isArray(Resources)) return false;
  for (const resource of Resources as unknown[]) {
    if (typeof resource !== 'object' || resource === null) return false;
    const { Tags, Details } = resource as { Tags?: unknown; Details?: unknown };
    if (!plainBag(Tags) || !plainBag(Details)) return false;
  }
  return true;
}

/**
 * `AsffFinding.safeParse(entry)`, cheaper. zod's record schema runs two schemas and a regular
 * expression per key of each bag, a seventh of normalizing an event; for a plain bag it can only
 * succeed with a copy of it, so when every bag is plain they are taken as they are (bags are only
 * read, so the copy changes nothing) and the rest is checked by the same schema. Any other entry
 * gets the full schema, and with it the same issues and messages.
 */
function parseFinding(entry: unknown) {
  return plainBags(entry) ? AsffFindingPlainBags.safeParse(entry) : AsffFinding.safeParse(entry);
}

type AsffFinding = z.infer<typeof AsffFinding>;

const COMPLIANCE: readonly ComplianceStatus[] = ['PASSED', 'FAILED', 'WARNING', 'NOT_AVAILABLE'];
// A generator id ends in a control id for AWS standards (`.../v/1.0.0/EC2.2`, `security-control/EC2.8`).
const CONTROL_SUFFIX = /\/([A-Za-z][A-Za-z0-9]*\.\d+)$/;
const CIS_120_RULE = /cis-aws-foundations-benchmark\/v\/1\.2\.0\/rule\/(\d+\.\d+)$/;
const NAME_KEYS = [
  'GroupName',
  'DbInstanceIdentifier',
  'DbClusterIdentifier',
  'FunctionName',
  'TableName',
  'RoleName',
  'UserName',
  'PolicyName',
  'TopicName',
  'QueueName',
  'DomainName',
  'RepositoryName',
  'LoadBalancerName',
  'Name',
];

function productField(f: AsffFinding, key: string): string | undefined {
  const value = f.ProductFields?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Consolidated `Compliance.SecurityControlId`, else the legacy per-standard id mapped to it. */
function controlIdOf(f: AsffFinding): string | undefined {
  if (f.Compliance?.SecurityControlId) return f.Compliance.SecurityControlId;
  const legacy = productField(f, 'ControlId') ?? (f.GeneratorId ? CONTROL_SUFFIX.exec(f.GeneratorId)?.[1] : undefined);
  const cisRule =
    (f.GeneratorId ? CIS_120_RULE.exec(f.GeneratorId)?.[1] : undefined) ??
    (productField(f, 'StandardsGuideArn')?.endsWith('/cis-aws-foundations-benchmark/v/1.2.0') ? productField(f, 'RuleId') : undefined);
  return consolidatedControlId({ pciControlId: legacy, cisRule }) ?? legacy;
}

/** The severity the finding states, by label, else by normalized score. */
function severityOfFinding(f: AsffFinding): Severity | undefined {
  const label = f.Severity?.Label === undefined ? undefined : parseSeverityLabel(f.Severity.Label);
  const score = f.Severity?.Normalized;
  if (label) return severityOf(label, 'finding', score);
  return score === undefined ? undefined : severityOf(labelOfScore(score), 'finding', score);
}

/** The physical name the resource details give (otherwise the ARN tells it). */
function detailsName(resource: AsffFinding['Resources'][number]): string | undefined {
  const details = resource.Details?.[resource.Type];
  if (!details || typeof details !== 'object') return undefined;
  for (const key of NAME_KEYS) {
    const value = (details as Record<string, unknown>)[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** The description the details give (a KMS key's), which the code declares too: a key is otherwise known only by its id. */
function detailsDescription(resource: AsffFinding['Resources'][number]): string | undefined {
  const value = (resource.Details?.[resource.Type] as Record<string, unknown> | undefined)?.Description;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function toFinding(f: AsffFinding, envelope: Envelope, index: number): Finding {
  const [primary] = f.Resources;
  if (!primary) throw new Error('unreachable: Resources has at least one entry');
  const region = f.Region ?? primary.Region ?? envelope.region;
  const reasons = f.Compliance?.StatusReasons?.map((r) => [r.ReasonCode, r.Description].filter(Boolean).join(': '));
  return securityHubFinding({
    controlId: controlIdOf(f),
    findingId: f.Id,
    generator: f.GeneratorId,
    title: f.Title,
    severity: severityOfFinding(f),
    account: f.AwsAccountId,
    region,
    partition: primary.Partition ?? parseArn(primary.Id)?.partition ?? partitionOfRegion(region),
    resource: {
      type: primary.Type,
      id: primary.Id,
      name: detailsName(primary),
      description: detailsDescription(primary),
      tags: stringTags(primary.Tags),
    },
    states: {
      record: f.RecordState,
      workflow: f.Workflow?.Status ?? f.WorkflowState,
      compliance: COMPLIANCE.find((status) => status === f.Compliance?.Status),
      complianceReasons: reasons?.length ? reasons : undefined,
      noteUpdatedBy: f.Note?.UpdatedBy,
    },
    observedAt: f.LastObservedAt ?? f.UpdatedAt ?? envelope.time,
    raw: {
      eventId: envelope.id,
      detailType: envelope['detail-type'],
      eventSource: envelope.source,
      index,
      findingId: f.Id,
      productArn: f.ProductArn,
      customAction: envelope['detail-type'] === 'Security Hub Findings - Custom Action' ? envelope.resources[0] : undefined,
    },
  });
}

export const normalizeSecurityHub: Normalizer = securityHubNormalizer('ASFF', parseFinding, toFinding);
