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

/** How many of an outcome's findings (it and its `members`, which share its status unless they say otherwise) failed. */
function failed(o: Output): number {
  const members = Array.isArray(o?.members) ? (o.members as { status?: unknown }[]) : [];
  return [o?.status, ...members.map((m) => m.status ?? o?.status)].filter((s) => s === 'failed').length;
}

const BY_TASK: Readonly<Record<string, (output: Output) => Partial<Record<MetricName, number>>>> = {
  // Work items of 1..n findings each.
  Normalize: (o) => ({
    [METRIC.findingsReceived]: Array.isArray(o?.items) ? (o.items as { size?: unknown }[]).reduce((n, i) => n + Number(i.size ?? 0), 0) : 0,
  }),
  OpenPullRequest: (o) => ({ [METRIC.pullRequestsOpened]: o?.created === true ? 1 : 0 }),
  RequestApproval: () => ({ [METRIC.approvalsRequested]: 1 }),
  RecordFailure: (o) => ({ [METRIC.findingsFailed]: failed(o) }),
};

/** What a task's successful output counts for (findings in, pull requests opened...). */
export function outcomeMetrics(task: string, output: unknown): Partial<Record<MetricName, number>> {
  return BY_TASK[task]?.(output as Output) ?? {};
}
