/**
 * The Lambda face of a task: middy with Powertools around the same function the local runtime
 * binds. Structured logs carry the finding's fingerprint as correlation id, traces wrap the
 * invocation, and each task emits success, failure and duration metrics. Payloads are never logged:
 * findings, file contents and task tokens are untrusted or secret.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { CloudmendError } from '../errors.js';
import type { TaskContext } from './context.js';
import { taskSpec } from './tasks.js';

export interface Observability {
  readonly logger: Logger;
  readonly tracer: Tracer;
  readonly metrics: Metrics;
}

export function observability(): Observability {
  return {
    logger: new Logger({ serviceName: 'cloudmend' }),
    tracer: new Tracer({ serviceName: 'cloudmend', captureHTTPsRequests: true }),
    metrics: new Metrics({ namespace: 'cloudmend', serviceName: 'cloudmend' }),
  };
}

/** The fingerprint of a task's input, wherever the task keeps it. */
export function fingerprintOf(event: unknown): string | undefined {
  const e = event as { finding?: { fingerprint?: unknown }; fingerprint?: unknown; input?: { finding?: { fingerprint?: unknown } } } | null;
  const fp = e?.finding?.fingerprint ?? e?.fingerprint ?? e?.input?.finding?.fingerprint;
  return typeof fp === 'string' ? fp : undefined;
}

/**
 * A Lambda handler for task `name`. `context` builds the ports (once per container: it is called
 * on every invocation and should cache).
 */
export function taskHandler(name: string, context: () => Promise<TaskContext>, obs: Observability = observability()) {
  const spec = taskSpec(name);
  if (!spec) throw new CloudmendError(`no task ${name} in the task table`);
  const { logger, tracer, metrics } = obs;
  const run = async (event: unknown): Promise<unknown> => {
    const fingerprint = fingerprintOf(event);
    if (fingerprint) logger.setCorrelationId(fingerprint);
    logger.appendKeys({ task: name });
    const started = Date.now();
    try {
      const result = await (spec.fn as (input: unknown, ctx: TaskContext) => Promise<unknown>)(event, await context());
      metrics.addMetric(`${name}Succeeded`, MetricUnit.Count, 1);
      logger.info(`${name} done`, { status: (result as { status?: unknown } | null)?.status });
      return result;
    } catch (error) {
      metrics.addMetric(`${name}Failed`, MetricUnit.Count, 1);
      // The name decides Retry and Catch in the state machine; the message is safe to log.
      logger.error(`${name} failed`, { errorName: error instanceof Error ? error.name : 'Error', errorMessage: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      metrics.addMetric(`${name}Duration`, MetricUnit.Milliseconds, Date.now() - started);
    }
  };
  return middy(run).use(captureLambdaHandler(tracer)).use(injectLambdaContext(logger, { resetKeys: true })).use(logMetrics(metrics));
}
