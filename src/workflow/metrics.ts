/**
 * The domain metrics cloudmend emits (CloudWatch EMF through Powertools), named once for the
 * handlers that emit them and the dashboard that plots them.
 */
export const METRIC = {
  findingsReceived: 'FindingsReceived',
  pullRequestsOpened: 'PullRequestsOpened',
  approvalsRequested: 'ApprovalsRequested',
  approvalsPending: 'ApprovalsPending',
  findingsFailed: 'FindingsFailed',
  /** Findings the stuck-finding sweep recorded as interrupted (functions/sweep.ts). */
  findingsSwept: 'FindingsSwept',
  modelInputTokens: 'ModelInputTokens',
  modelOutputTokens: 'ModelOutputTokens',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** The namespace and service every metric carries. */
export const METRICS_NAMESPACE = 'cloudmend';
export const SERVICE_NAME = 'cloudmend';

type Output = Record<string, unknown> | null | undefined;

const BY_TASK: Readonly<Record<string, (output: Output) => Partial<Record<MetricName, number>>>> = {
  Normalize: (o) => ({ [METRIC.findingsReceived]: Array.isArray(o?.findings) ? o.findings.length : 0 }),
  OpenPullRequest: (o) => ({ [METRIC.pullRequestsOpened]: o?.created === true ? 1 : 0 }),
  RequestApproval: () => ({ [METRIC.approvalsRequested]: 1 }),
  RecordFailure: () => ({ [METRIC.findingsFailed]: 1 }),
};

/** What a task's successful output counts for (findings in, pull requests opened...). */
export function outcomeMetrics(task: string, output: unknown): Partial<Record<MetricName, number>> {
  return BY_TASK[task]?.(output as Output) ?? {};
}
