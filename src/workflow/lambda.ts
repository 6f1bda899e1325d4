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
import type { Task, TaskContext } from './context.js';
import { correlationOf } from './item.js';
import { METRICS_NAMESPACE, outcomeMetrics, SERVICE_NAME } from './metrics.js';

export interface Observability {
  readonly logger: Logger;
  readonly tracer: Tracer;
  readonly metrics: Metrics;
}

export function observability(): Observability {
  return {
    logger: new Logger({ serviceName: SERVICE_NAME }),
    tracer: new Tracer({ serviceName: SERVICE_NAME, captureHTTPsRequests: true }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
  };
}

/**
 * A Lambda handler named `name`: logs, traces, and counts successes, failures and duration.
 * `run` gets the Powertools trio for its own keys and metrics.
 */
export function instrumentedHandler<Out>(
  name: string,
  run: (event: unknown, obs: Observability) => Promise<Out>,
  obs: Observability = observability(),
) {
  const { logger, tracer, metrics } = obs;
  const handle = async (event: unknown): Promise<Out> => {
    logger.appendKeys({ task: name });
    const started = Date.now();
    try {
      const result = await run(event, obs);
      metrics.addMetric(`${name}Succeeded`, MetricUnit.Count, 1);
      logger.info(`${name} done`, { status: (result as { status?: unknown } | null)?.status });
      return result;
    } catch (error) {
      metrics.addMetric(`${name}Failed`, MetricUnit.Count, 1);
      // The name decides Retry and Catch in the state machine; the message is safe to log.
      logger.error(`${name} failed`, {
        errorName: error instanceof Error ? error.name : 'Error',
        errorMessage: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      metrics.addMetric(`${name}Duration`, MetricUnit.Milliseconds, Date.now() - started);
    }
  };
  return middy(handle)
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}

/**
 * A Lambda handler for task `name` of the task table, running `fn`. Entries import their task's
 * function alone, so a bundle holds the code its task runs and no other. `context` builds the
 * ports (once per container: it is called on every invocation and should cache).
 */
export function taskHandler<In, Out>(
  name: string,
  fn: Task<In, Out>,
  context: () => Promise<TaskContext>,
  obs: Observability = observability(),
) {
  return instrumentedHandler(
    name,
    async (event, { logger, metrics }) => {
      const fingerprint = correlationOf(event);
      if (fingerprint) logger.setCorrelationId(fingerprint);
      const result = await fn(event as In, await context());
      for (const [metric, value] of Object.entries(outcomeMetrics(name, result))) metrics.addMetric(metric, MetricUnit.Count, value);
      return result;
    },
    obs,
  );
}
