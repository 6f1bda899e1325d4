/**
 * Security Hub speaks two formats: ASFF ("Security Hub Findings - Imported", `securityhub.ts`) and,
 * since Security Hub v2, OCSF ("Findings Imported V2", `ocsf.ts`). Each normalizer reads its own
 * fields; this turns what they read into a Finding one way, so that the same control on the same
 * resource has one fingerprint whichever format reported it (a customer running both gets one pull
 * request) and the same resource type, id, ARN and name for Locate.
 */
import type * as z from 'zod';
import { describeIssues } from '../validation.js';
import { nameFromArn, parseArn } from './arn.js';
import { getControl } from './controls.js';
import type { Envelope } from './envelope.js';
import type { Finding, FindingStates, RawPointer } from './finding.js';
import { fingerprintOf } from './fingerprint.js';
import type { Normalizer } from './normalized.js';
import { arnOf, resourceKey } from './resource-identity.js';
import { cloudFormationTypeOf } from './resource-types.js';
import { severityOf, UNKNOWN_SEVERITY, type Severity } from './severity.js';

export interface SecurityHubParts {
  /** The security control id (`S3.8`) when known. */
  readonly controlId: string | undefined;
  /** The finding's own id: ASFF `Id`, OCSF `finding_info.uid` (the same string for one control finding). */
  readonly findingId: string;
  /** What the fingerprint names when no control is known, before the finding id (ASFF `GeneratorId`). */
  readonly generator?: string | undefined;
  readonly title: string | undefined;
  /** The severity the finding states; undefined: its control's, else unknown. */
  readonly severity: Severity | undefined;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  /** The primary resource: type in ASFF (`AwsS3Bucket`) or CloudFormation vocabulary, id an ARN or a resource id. */
  readonly resource: {
    readonly type: string;
    readonly id: string;
    readonly name?: string | undefined;
    readonly description?: string | undefined;
    readonly tags: Readonly<Record<string, string>>;
  };
  readonly states: FindingStates;
  readonly observedAt: string;
  readonly raw: RawPointer;
}

function controlSeverity(controlId: string | undefined): Severity {
  const control = controlId === undefined ? undefined : getControl(controlId);
  return control ? severityOf(control.severity, 'control') : UNKNOWN_SEVERITY;
}

/** The Finding for a Security Hub control finding, whichever format it came in. */
/**
 * The resource's CloudFormation / Config type. A resource ASFF has no type for arrives as `Other`
 * (an ElastiCache replication group, an API Gateway v1 stage on some standards): the control's
 * type then, when the control evaluates exactly one.
 */
function resourceTypeOf(asffType: string, controlId: string | undefined): string {
  if (asffType !== 'Other') return cloudFormationTypeOf(asffType);
  const types = controlId === undefined ? [] : (getControl(controlId)?.resourceTypes ?? []);
  return types.length === 1 && types[0] !== undefined ? types[0] : asffType;
}

export function securityHubFinding(parts: SecurityHubParts): Finding {
  const { controlId, account, region, partition } = parts;
  const scope = { partition, region, account };
  const type = resourceTypeOf(parts.resource.type, controlId);
  const arn = arnOf(type, parts.resource.id, scope);
  const parsed = arn === undefined ? undefined : parseArn(arn);
  const name = type === 'AWS::::Account' ? account : (parts.resource.name ?? (parsed ? nameFromArn(parsed) : undefined));
  const subject = controlId ?? parts.generator ?? `finding:${parts.findingId}`;
  return {
    fingerprint: fingerprintOf({ ...scope, subject, resource: resourceKey(type, parts.resource.id, scope, arn) }),
    source: 'securityhub',
    controlId,
    title: parts.title ?? controlId ?? parts.findingId,
    severity: parts.severity ?? controlSeverity(controlId),
    account,
    region,
    partition,
    resource: {
      type,
      id: parts.resource.id,
      arn,
      name,
      ...(parts.resource.description === undefined ? {} : { description: parts.resource.description }),
      tags: parts.resource.tags,
    },
    states: parts.states,
    observedAt: parts.observedAt,
    raw: parts.raw,
  };
}

/**
 * The normalizer of a Security Hub event: one finding per entry of `detail.findings`, each read by
 * `parse`; an entry it refuses is reported with its path, and the others still count.
 */
export function securityHubNormalizer<T>(
  format: 'ASFF' | 'OCSF',
  parse: (entry: unknown) => z.ZodSafeParseResult<T>,
  toFinding: (finding: T, envelope: Envelope, index: number) => Finding,
): Normalizer {
  return (envelope) => {
    const entries = envelope.detail.findings;
    if (!Array.isArray(entries) || entries.length === 0) {
      return { findings: [], problems: [`detail.findings: expected a non-empty array of ${format} findings`] };
    }
    const findings: Finding[] = [];
    const problems: string[] = [];
    entries.forEach((entry: unknown, index) => {
      const parsed = parse(entry);
      if (parsed.success) findings.push(toFinding(parsed.data, envelope, index));
      else problems.push(...describeIssues(parsed.error.issues, ['detail', 'findings', index]));
    });
    return { findings, problems };
  };
}
