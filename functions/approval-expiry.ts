/** Lambda entry of the approval expiry sweep, run by an EventBridge Scheduler schedule. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { approvalExpiry } from '../src/aws/approval-expiry.js';
import { instrumentedHandler } from '../src/workflow/lambda.js';
import { METRIC } from '../src/workflow/metrics.js';

export const handler = instrumentedHandler('ApprovalExpiry', async (_event, { logger, metrics }) => {
  const summary = await approvalExpiry((message) => logger.warn(message));
  metrics.addMetric(METRIC.approvalsPending, MetricUnit.Count, summary.pending);
  logger.info('approvals swept', { ...summary });
  return summary;
});
