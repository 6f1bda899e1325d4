/** runBackfill against mocked Security Hub (GetFindings pages) and Step Functions (StartExecution). */
import { GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding, type GetFindingsCommandInput } from '@aws-sdk/client-securityhub';
import {
  ExecutionAlreadyExists,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  type StartExecutionCommandInput,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runBackfill, type BackfillDeps } from '../../src/aws/backfill.js';
import { backfillFilters } from '../../src/triggers/backfill.js';
import { TransientError } from '../../src/workflow/errors.js';
import { ACCOUNT, CONFIG, NOW, REGION, findingId, idsOf, numberedFinding, numberedFindings } from './backfill-fixtures.js';

const hub = mockClient(SecurityHubClient);
const sfn = mockClient(SFNClient);
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const $metadata = {};
const STATE_MACHINE = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:cloudmend-remediate`;

const deps = (extra: Partial<BackfillDeps> = {}): BackfillDeps => ({
  config: CONFIG,
  securityHub: new SecurityHubClient({ region: REGION, credentials }),
  sfn: new SFNClient({ region: REGION, credentials }),
  stateMachineArn: STATE_MACHINE,
  account: ACCOUNT,
  region: REGION,
  now: () => NOW,
  ...extra,
});

/**
 * Security Hub serving `pages` one per GetFindings call, chained by NextToken. Returns the requests
 * as they were at call time (the paginator reuses one input object from page to page).
 */
function servePages(pages: Record<string, unknown>[][]): GetFindingsCommandInput[] {
  const requests: GetFindingsCommandInput[] = [];
  hub.on(GetFindingsCommand).callsFake((input: GetFindingsCommandInput) => {
    requests.push(structuredClone(input));
    const index = input.NextToken === undefined ? 0 : Number(input.NextToken.replace('page-', ''));
    const findings = pages[index] ?? [];
    return { Findings: findings as unknown as AwsSecurityFinding[], NextToken: index + 1 < pages.length ? `page-${index + 1}` : undefined };
  });
  return requests;
}

/** Step Functions remembering execution names: a name started before answers ExecutionAlreadyExists. */
function fakeStateMachine(): Map<string, StartExecutionCommandInput> {
  const started = new Map<string, StartExecutionCommandInput>();
  sfn.on(StartExecutionCommand).callsFake((input: StartExecutionCommandInput) => {
    if (started.has(input.name!)) throw new ExecutionAlreadyExists({ message: `Execution Already Exists: '${input.name}'`, $metadata });
    started.set(input.name!, input);
    return { executionArn: `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${input.name}`, startDate: NOW };
  });
  return started;
}

const startedIds = () =>
  sfn.commandCalls(StartExecutionCommand).flatMap((c) => idsOf(JSON.parse(c.args[0].input.input!) as Record<string, unknown>));

beforeEach(() => {
  hub.reset();
  sfn.reset();
});
afterAll(() => {
  hub.restore();
  sfn.restore();
});

describe('runBackfill', () => {
  it('asks Security Hub for what the Imported trigger would match, oldest update first, page by page', async () => {
    const requests = servePages([numberedFindings(3), numberedFindings(3, 3), numberedFindings(2, 6)]);
    fakeStateMachine();
    await runBackfill(deps());
    expect(requests).toHaveLength(3);
    expect(requests.map((r) => r.NextToken)).toEqual([undefined, 'page-1', 'page-2']);
    for (const request of requests) {
      expect(request).toMatchObject({
        Filters: backfillFilters(CONFIG),
        SortCriteria: [{ Field: 'UpdatedAt', SortOrder: 'asc' }],
        MaxResults: 100,
      });
    }
  });

  it('starts one execution per batch of 50, every finding of every page in one of them', async () => {
    servePages([numberedFindings(50), numberedFindings(50, 50), numberedFindings(20, 100)]);
    const started = fakeStateMachine();
    const summary = await runBackfill(deps());
    expect(summary).toEqual({ findings: 120, executions: 3, alreadyRun: 0, oversized: [] });
    expect(startedIds()).toEqual(Array.from({ length: 120 }, (_, i) => findingId(i)));
    for (const [name, input] of started) {
      expect(input.stateMachineArn).toBe(STATE_MACHINE);
      expect(name).toMatch(/^backfill-[0-9a-f]{40}$/);
      expect(JSON.parse(input.input!)).toMatchObject({
        'detail-type': 'Security Hub Findings - Imported',
        source: 'aws.securityhub',
        account: ACCOUNT,
        region: REGION,
      });
    }
  });

  it('stops reading pages at maxFindings and starts nothing for the findings beyond it', async () => {
    servePages([numberedFindings(50), numberedFindings(50, 50), numberedFindings(50, 100)]);
    fakeStateMachine();
    const summary = await runBackfill(deps({ maxFindings: 60 }));
    expect(hub.commandCalls(GetFindingsCommand)).toHaveLength(2);
    expect(summary).toEqual({ findings: 60, executions: 2, alreadyRun: 0, oversized: [] });
    expect(startedIds()).toEqual(Array.from({ length: 60 }, (_, i) => findingId(i)));
  });

  it('reports fewer findings than maxFindings when Security Hub has fewer', async () => {
    servePages([numberedFindings(4)]);
    fakeStateMachine();
    expect(await runBackfill(deps({ maxFindings: 60 }))).toEqual({ findings: 4, executions: 1, alreadyRun: 0, oversized: [] });
  });

  it('starts nothing when Security Hub has nothing open', async () => {
    servePages([[]]);
    fakeStateMachine();
    expect(await runBackfill(deps())).toEqual({ findings: 0, executions: 0, alreadyRun: 0, oversized: [] });
    expect(sfn.calls()).toHaveLength(0);
  });

  it('counts ExecutionAlreadyExists as already run and carries on with the next batch', async () => {
    servePages([numberedFindings(120)]);
    sfn
      .on(StartExecutionCommand)
      .resolvesOnce({ executionArn: 'arn:1', startDate: NOW })
      .rejectsOnce(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata }))
      .resolves({ executionArn: 'arn:3', startDate: NOW });
    expect(await runBackfill(deps())).toEqual({ findings: 120, executions: 2, alreadyRun: 1, oversized: [] });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(3);
  });

  it('starts nothing new on a second sweep over unchanged findings', async () => {
    servePages([numberedFindings(50), numberedFindings(30, 50)]);
    fakeStateMachine();
    expect(await runBackfill(deps())).toMatchObject({ executions: 2, alreadyRun: 0 });
    expect(await runBackfill(deps({ now: () => new Date(NOW.getTime() + 3_600_000) }))).toMatchObject({ executions: 0, alreadyRun: 2 });
  });

  it('reports oversized findings by id and starts the rest', async () => {
    const big = numberedFinding(1, undefined, { Title: 'x'.repeat(210_000) });
    servePages([[numberedFinding(0), big, numberedFinding(2)]]);
    fakeStateMachine();
    expect(await runBackfill(deps())).toEqual({ findings: 3, executions: 1, alreadyRun: 0, oversized: [findingId(1)] });
    expect(startedIds()).toEqual([findingId(0), findingId(2)]);
  });

  it('rethrows any other StartExecution error', async () => {
    servePages([numberedFindings(3)]);
    const missing = new StateMachineDoesNotExist({ message: 'State Machine Does Not Exist', $metadata });
    sfn.on(StartExecutionCommand).rejects(missing);
    await expect(runBackfill(deps())).rejects.toBe(missing);
  });

  it('rethrows throttling as a TransientError, for the schedule to retry', async () => {
    servePages([numberedFindings(3)]);
    sfn
      .on(StartExecutionCommand)
      .rejects(new SFNServiceException({ name: 'ThrottlingException', $fault: 'client', message: 'Rate exceeded', $metadata }));
    await expect(runBackfill(deps())).rejects.toBeInstanceOf(TransientError);
  });
});
