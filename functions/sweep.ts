/** Lambda entry of the stuck-finding sweep, run by an EventBridge Scheduler schedule. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { sweep } from '../src/aws/sweep.js';
import { instrumentedHandler } from '../src/workflow/lambda.js';
import { METRIC } from '../src/workflow/metrics.js';

export const handler = instrumentedHandler('Sweep', async (_event, { logger, metrics }) => {
  const summary = await sweep((message) => logger.warn(message));
  metrics.addMetric(METRIC.findingsSwept, MetricUnit.Count, summary.interrupted.length);
  // Each one with its reason: the audit trail has it too, the log is where an operator looks first.
  for (const i of summary.interrupted)
    logger.warn('finding interrupted', { fingerprint: i.fingerprint, from: i.from, to: i.to, reason: i.reason });
  if (summary.failed > 0)
    throw new Error(`${summary.failed} stuck finding(s) could not be recorded as interrupted; the next sweep tries again`);
  return { interrupted: summary.interrupted.length, failed: summary.failed };
});
