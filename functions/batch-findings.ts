/** Lambda entry of the batching stage: imported findings from SQS, one execution per batch (see src/aws/batch-findings.ts). */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { batchFindingsFromEnvironment } from '../src/aws/batch-findings.js';
import { instrumentedHandler } from '../src/workflow/lambda.js';

export const handler = instrumentedHandler('BatchFindings', async (event, { logger }) => {
  const { batchItemFailures, failed, ...summary } = await batchFindingsFromEnvironment(event as SQSEvent);
  if (summary.unreadable > 0) logger.warn('queue messages that were not JSON were dropped', { unreadable: summary.unreadable });
  if (failed.length > 0)
    logger.error('executions that could not start; their messages come back', { failed, messages: batchItemFailures.length });
  logger.info('batched', { ...summary });
  // ReportBatchItemFailures: only these messages return to the queue.
  return { batchItemFailures } satisfies SQSBatchResponse;
});
