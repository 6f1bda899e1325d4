/** The backfill sweep against Security Hub and Step Functions (see src/triggers/backfill.ts). */
import { paginateGetFindings, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Config } from '../config/schema.js';
import { backfillBatches, backfillFilters } from '../triggers/backfill.js';
import { bundledConfig } from './context.js';
import { ENV, required } from './environment.js';
import { startOnce } from './executions.js';

export interface BackfillDeps {
  readonly config: Config;
  readonly securityHub: SecurityHubClient;
  readonly sfn: SFNClient;
  readonly stateMachineArn: string;
  readonly account: string;
  readonly region: string;
  readonly now: () => Date;
  /** Findings per run at most; the rest wait for the next run. @default 1000 */
  readonly maxFindings?: number;
}

export interface BackfillSummary {
  readonly findings: number;
  readonly executions: number;
  /** Batches whose execution had already run (same findings, same state). */
  readonly alreadyRun: number;
  /** Ids of findings too large for an execution's input. */
  readonly oversized: readonly string[];
}

export async function runBackfill(deps: BackfillDeps): Promise<BackfillSummary> {
  const max = deps.maxFindings ?? 1000;
  const findings: Record<string, unknown>[] = [];
  const pages = paginateGetFindings(
    { client: deps.securityHub, pageSize: 100 },
    { Filters: backfillFilters(deps.config), SortCriteria: [{ Field: 'UpdatedAt', SortOrder: 'asc' }] },
  );
  for await (const page of pages) {
    findings.push(...((page.Findings ?? []) as unknown as Record<string, unknown>[]));
    if (findings.length >= max) break;
  }
  const { batches, oversized } = backfillBatches(findings.slice(0, max), { account: deps.account, region: deps.region, now: deps.now() });
  let executions = 0;
  let alreadyRun = 0;
  for (const batch of batches) {
    if (await startOnce(deps.sfn, deps.stateMachineArn, batch.name, batch.event)) executions += 1;
    else alreadyRun += 1;
  }
  return { findings: Math.min(findings.length, max), executions, alreadyRun, oversized };
}

/** The sweep as the deployed function runs it: clients and settings from the stack's environment. */
export function backfillFromEnvironment(account: string, env: NodeJS.ProcessEnv = process.env): Promise<BackfillSummary> {
  return runBackfill({
    config: bundledConfig(env),
    securityHub: new SecurityHubClient({}),
    sfn: new SFNClient({}),
    stateMachineArn: required(env, ENV.remediateStateMachineArn),
    account,
    region: required(env, 'AWS_REGION'),
    now: () => new Date(),
  });
}
