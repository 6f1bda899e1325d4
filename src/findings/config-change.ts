/**
 * "Config Configuration Item Change": a resource changed. Oversized items arrive as a summary and
 * an S3 pointer only; the finding keeps the pointer so a later step can fetch the item.
 */
import * as z from 'zod';
import { describeIssues } from '../validation.js';
import { parseArn, partitionOfRegion } from './arn.js';
import { fingerprintOf } from './fingerprint.js';
import { stringTags, type Normalizer } from './normalized.js';
import { arnOf, nameOfConfigResource, resourceKey } from './resource-identity.js';
import { UNKNOWN_SEVERITY } from './severity.js';

const ItemCore = z.object({
  resourceType: z.string().min(1),
  resourceId: z.string().min(1),
  resourceName: z.string().optional(),
  ARN: z.string().optional(),
  awsAccountId: z.string().optional(),
  awsRegion: z.string().optional(),
  configurationItemStatus: z.string().optional(),
  configurationItemCaptureTime: z.string().optional(),
  configurationStateId: z.union([z.number(), z.string()]).optional(),
});

const ItemChange = z.object({
  messageType: z.literal('ConfigurationItemChangeNotification'),
  // Loose: the whole item (configuration, supplementaryConfiguration...) is kept as evidence.
  configurationItem: ItemCore.extend({ tags: z.record(z.string(), z.unknown()).nullish() }).loose(),
  configurationItemDiff: z.object({ changeType: z.string().optional() }).nullish(),
});

const OversizedChange = z.object({
  messageType: z.literal('OversizedConfigurationItemChangeNotification'),
  configurationItemSummary: ItemCore.extend({ changeType: z.string().optional() }),
  s3DeliverySummary: z.object({ s3BucketLocation: z.string().min(1) }),
});

const ChangeDetail = z.discriminatedUnion('messageType', [ItemChange, OversizedChange]);

export const normalizeConfigChange: Normalizer = (envelope) => {
  const parsed = ChangeDetail.safeParse(envelope.detail);
  if (!parsed.success) return { findings: [], problems: describeIssues(parsed.error.issues, ['detail']) };
  const d = parsed.data;
  const item = d.messageType === 'ConfigurationItemChangeNotification' ? d.configurationItem : d.configurationItemSummary;
  const changeType =
    d.messageType === 'ConfigurationItemChangeNotification' ? d.configurationItemDiff?.changeType : d.configurationItemSummary.changeType;
  const account = item.awsAccountId ?? envelope.account;
  const region = item.awsRegion ?? envelope.region;
  const partition = (item.ARN ? parseArn(item.ARN)?.partition : undefined) ?? partitionOfRegion(region);
  const scope = { partition, region, account };
  const arn = arnOf(item.resourceType, item.resourceId, scope, item.ARN);
  const name = item.resourceName ?? nameOfConfigResource(item.resourceType, item.resourceId, scope);
  // Each configuration state is its own change; redeliveries of one state collapse.
  const state = item.configurationStateId ?? item.configurationItemCaptureTime ?? envelope.time;
  return {
    problems: [],
    findings: [
      {
        fingerprint: fingerprintOf({
          ...scope,
          subject: `config-change@${String(state)}`,
          resource: resourceKey(item.resourceType, item.resourceId, scope, arn),
        }),
        source: 'config-change',
        title: `Configuration ${changeType === undefined ? 'change' : changeType.toLowerCase()}: ${item.resourceType} ${name ?? item.resourceId}`,
        severity: UNKNOWN_SEVERITY,
        account,
        region,
        partition,
        resource: { type: item.resourceType, id: item.resourceId, arn, name, tags: 'tags' in item ? stringTags(item.tags ?? {}) : {} },
        states: { resourceStatus: item.configurationItemStatus },
        observedAt: item.configurationItemCaptureTime ?? envelope.time,
        evidence:
          d.messageType === 'ConfigurationItemChangeNotification' ? { kind: 'configuration-item', item: d.configurationItem } : undefined,
        raw: {
          eventId: envelope.id,
          detailType: envelope['detail-type'],
          eventSource: envelope.source,
          oversizedItem:
            d.messageType === 'OversizedConfigurationItemChangeNotification' ? d.s3DeliverySummary.s3BucketLocation : undefined,
        },
      },
    ],
  };
};
