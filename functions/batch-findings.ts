/** Lambda entry of the batching stage: imported findings from SQS, one execution per batch (see src/aws/batch-findings.ts). */
import type { SQSEvent } from 'aws-lambda';
import { batchFindingsFromEnvironment } from '../src/aws/batch-findings.js';
import { instrumentedHandler } from '../src/workflow/lambda.js';

export const handler = instrumentedHandler('BatchFindings', async (event, { logger }) => {
  const summary = await batchFindingsFromEnvironment(event as SQSEvent);
  if (summary.unreadable > 0) logger.warn('queue messages that were not JSON were dropped', { unreadable: summary.unreadable });
  logger.info('batched', { ...summary });
  return summary;
});
