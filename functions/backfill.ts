/** Lambda entry of the backfill sweep of open Security Hub findings, run by a schedule. */
import type { Context } from 'aws-lambda';
import { backfillFromEnvironment } from '../src/aws/backfill.js';
import { instrumentedHandler } from '../src/workflow/lambda.js';

let account = '';

const run = instrumentedHandler('Backfill', async (_event, { logger }) => {
  const summary = await backfillFromEnvironment(account);
  if (summary.oversized.length > 0) logger.warn('findings too large for an execution were not sent', { findingIds: summary.oversized });
  logger.info('backfill done', { findings: summary.findings, executions: summary.executions, alreadyRun: summary.alreadyRun });
  return summary;
});

export const handler = (event: unknown, context: Context) => {
  // The account is the fifth field of the function's own ARN.
  account = context.invokedFunctionArn.split(':')[4] ?? '';
  return run(event, context);
};
