/** "Config Rules Compliance Change": one finding per event, for the rule's control when known. */
import * as z from 'zod';
import { describeIssues } from '../validation.js';
import { partitionOfRegion, parseArn } from './arn.js';
import { resolveConfigRule } from './config-rules.js';
import { getControl } from './controls.js';
import type { ComplianceStatus } from './finding.js';
import { fingerprintOf } from './fingerprint.js';
import type { Normalizer } from './normalized.js';
import { arnOf, nameOfConfigResource, resourceKey } from './resource-identity.js';
import { severityOf, UNKNOWN_SEVERITY } from './severity.js';

const Evaluation = z.object({
  complianceType: z.string().min(1),
  resultRecordedTime: z.string().optional(),
  annotation: z.string().optional(),
});

const ComplianceDetail = z.object({
  resourceId: z.string().min(1),
  resourceType: z.string().min(1),
  awsRegion: z.string().optional(),
  awsAccountId: z.string().optional(),
  configRuleName: z.string().min(1),
  configRuleARN: z.string().optional(),
  newEvaluationResult: Evaluation,
});

// Config's vocabulary onto Security Hub's, as Security Hub itself maps it.
const COMPLIANCE: Readonly<Record<string, ComplianceStatus>> = {
  COMPLIANT: 'PASSED',
  NON_COMPLIANT: 'FAILED',
  NOT_APPLICABLE: 'NOT_AVAILABLE',
  INSUFFICIENT_DATA: 'WARNING',
};

export const normalizeConfigCompliance: Normalizer = (envelope) => {
  const parsed = ComplianceDetail.safeParse(envelope.detail);
  if (!parsed.success) return { findings: [], problems: describeIssues(parsed.error.issues, ['detail']) };
  const d = parsed.data;
  const account = d.awsAccountId ?? envelope.account;
  const region = d.awsRegion ?? envelope.region;
  const partition = (d.configRuleARN ? parseArn(d.configRuleARN)?.partition : undefined) ?? partitionOfRegion(region);
  const scope = { partition, region, account };
  const rule = resolveConfigRule(d.configRuleName);
  const control = rule.controlId === undefined ? undefined : getControl(rule.controlId);
  const arn = arnOf(d.resourceType, d.resourceId, scope);
  const evaluation = d.newEvaluationResult;
  const type = evaluation.complianceType;
  return {
    problems: [],
    findings: [
      {
        fingerprint: fingerprintOf({
          ...scope,
          subject: rule.controlId ?? `config-rule:${rule.identifier}`,
          resource: resourceKey(d.resourceType, d.resourceId, scope, arn),
        }),
        source: 'config-compliance',
        controlId: rule.controlId,
        title: control?.title ?? `AWS Config rule ${d.configRuleName}`,
        severity: control ? severityOf(control.severity, 'control') : UNKNOWN_SEVERITY,
        account,
        region,
        partition,
        resource: {
          type: d.resourceType,
          id: d.resourceId,
          arn,
          name: nameOfConfigResource(d.resourceType, d.resourceId, scope),
          tags: {},
        },
        states: {
          compliance: Object.hasOwn(COMPLIANCE, type) ? COMPLIANCE[type] : undefined,
          complianceReasons: [`Config ${type}${evaluation.annotation ? `: ${evaluation.annotation.trim()}` : ''}`],
        },
        observedAt: evaluation.resultRecordedTime ?? envelope.time,
        raw: { eventId: envelope.id, detailType: envelope['detail-type'], eventSource: envelope.source, configRule: d.configRuleName },
      },
    ],
  };
};
