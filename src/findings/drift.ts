/**
 * "cloudmend Drift Detected": published by cloudmend's own drift scan (source `cloudmend`) when a
 * deployed resource no longer matches its IaC declaration.
 */
import * as z from 'zod';
import { describeIssues } from '../validation.js';
import { partitionOfRegion } from './arn.js';
import { fingerprintOf } from './fingerprint.js';
import { stringTags, type Normalizer } from './normalized.js';
import { resourceKey } from './resource-identity.js';
import { isSeverityLabel, severityOf, UNKNOWN_SEVERITY } from './severity.js';

const DriftDetail = z.object({
  /** Identifies one detection run; a new run of the same drift is a new decision. */
  detectionId: z.string().min(1),
  detector: z.enum(['cloudformation', 'terraform', 'config']),
  /** The account the resource is in, when a scan of another account publishes from the administrator account. */
  account: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  severity: z.string().optional(),
  resource: z.object({
    type: z.string().min(1),
    id: z.string().min(1),
    arn: z.string().optional(),
    name: z.string().optional(),
    tags: z.record(z.string(), z.unknown()).optional(),
  }),
  /** `path` as cloudmend's own detectors write it, or CloudFormation's `PropertyDifferences` as is. */
  differences: z
    .array(
      z.union([
        z.object({
          path: z.string().min(1),
          expected: z.unknown().optional(),
          actual: z.unknown().optional(),
          type: z.string().optional(),
        }),
        z
          .object({
            PropertyPath: z.string().min(1),
            ExpectedValue: z.unknown().optional(),
            ActualValue: z.unknown().optional(),
            DifferenceType: z.string().optional(),
          })
          .transform((d) => ({ path: d.PropertyPath, expected: d.ExpectedValue, actual: d.ActualValue, type: d.DifferenceType })),
      ]),
    )
    .min(1),
});

export const normalizeDrift: Normalizer = (envelope) => {
  const parsed = DriftDetail.safeParse(envelope.detail);
  if (!parsed.success) return { findings: [], problems: describeIssues(parsed.error.issues, ['detail']) };
  const d = parsed.data;
  const scope = { partition: partitionOfRegion(envelope.region), region: envelope.region, account: d.account ?? envelope.account };
  const label = d.severity?.toUpperCase();
  return {
    problems: [],
    findings: [
      {
        fingerprint: fingerprintOf({
          ...scope,
          subject: `drift@${d.detectionId}`,
          resource: resourceKey(d.resource.type, d.resource.id, scope, d.resource.arn),
        }),
        source: 'drift',
        title: `Drift on ${d.resource.type} ${d.resource.name ?? d.resource.id}: ${d.differences.map((x) => x.path).join(', ')}`,
        severity: isSeverityLabel(label) ? severityOf(label, 'finding') : UNKNOWN_SEVERITY,
        ...scope,
        resource: {
          type: d.resource.type,
          id: d.resource.id,
          arn: d.resource.arn,
          name: d.resource.name,
          tags: stringTags(d.resource.tags),
        },
        states: {},
        observedAt: envelope.time,
        raw: { eventId: envelope.id, detailType: envelope['detail-type'], eventSource: envelope.source },
        evidence: { kind: 'differences', detector: d.detector, differences: d.differences },
      },
    ],
  };
};
