/**
 * The CloudWatch dashboard: findings in, pull requests opened, approvals, failures and model
 * tokens, from the EMF metrics the functions emit through Powertools.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE, SERVICE_NAME, type MetricName } from '../src/workflow/metrics.js';

export interface CloudmendDashboardProps {
  /** Failed, timed-out and aborted executions. */
  readonly executionProblems: cloudwatch.IMetric;
  /** Messages waiting in each dead-letter queue. */
  readonly deadLetters: readonly cloudwatch.IMetric[];
}

/** A cloudmend metric as Powertools emits it: namespace `cloudmend`, dimension `service`. */
export function cloudmendMetric(name: MetricName, statistic: 'Sum' | 'Maximum' = 'Sum'): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: SERVICE_NAME },
    statistic,
    period: Duration.minutes(5),
  });
}

export class CloudmendDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: CloudmendDashboardProps) {
    super(scope, id);
    const graph = (title: string, metrics: cloudwatch.IMetric[]): cloudwatch.GraphWidget =>
      new cloudwatch.GraphWidget({ title, left: metrics, width: 8, height: 6 });
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
      widgets: [
        [
          graph('Findings in', [cloudmendMetric(METRIC.findingsReceived)]),
          graph('Pull requests opened', [cloudmendMetric(METRIC.pullRequestsOpened)]),
          graph('Approvals', [cloudmendMetric(METRIC.approvalsRequested), cloudmendMetric(METRIC.approvalsPending, 'Maximum')]),
        ],
        [
          graph('Failures', [
            cloudmendMetric(METRIC.findingsFailed),
            cloudmendMetric(METRIC.findingsSwept),
            props.executionProblems,
            ...props.deadLetters,
          ]),
          graph('Model tokens', [cloudmendMetric(METRIC.modelInputTokens), cloudmendMetric(METRIC.modelOutputTokens)]),
        ],
      ],
    });
  }
}
