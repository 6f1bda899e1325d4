/**
 * The Security Hub write-back (BatchUpdateFindings, aws-sdk-client-mock), the loop guard that keeps
 * its echo from starting another remediation, and the local adapter that records it instead.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BatchUpdateFindingsCommand, InvalidInputException, SecurityHubClient, ThrottlingException, type BatchUpdateFindingsCommandInput } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { securityHubFindingUpdates } from '../../src/aws/securityhub-updates.js';
import { parseConfig } from '../../src/config/load.js';
import { CloudmendError } from '../../src/errors.js';
import type { Finding } from '../../src/findings/finding.js';
import { normalizeEvent } from '../../src/findings/normalize.js';
import type { Ledger } from '../../src/ledger/port.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { ledgerFindingUpdates } from '../../src/local/finding-updates.js';
import { explainEvent } from '../../src/policy/explain.js';
import { summaryOf } from '../../src/workflow/summary.js';
import { TransientError } from '../../src/workflow/errors.js';
import { asffFinding, complianceEvent, importedEvent } from '../support/events.js';

const hub = mockClient(SecurityHubClient);
const client = new SecurityHubClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const $metadata = {};
const PULL_REQUEST = { id: 'github:acme/infra#42', branch: 'cloudmend/s3.8-1a2b3c4d', url: 'https://github.com/acme/infra/pull/42' };

const CONFIG = parseConfig(
  `
version: 1
repositories:
  - name: infra
    location: acme/infra
    provider: github
    iac: terraform
    owns: { accounts: ["111122223333"] }
policy: { default: pull_request }
`,
  'cloudmend.config.yaml',
);

function findingOf(event: Record<string, unknown>): Finding {
  const finding = normalizeEvent(event).findings[0];
  if (!finding) throw new Error('the event carries no finding');
  return finding;
}

const ASFF = asffFinding();
const FINDING = findingOf(importedEvent([ASFF]));

beforeEach(() => hub.reset());
afterAll(() => hub.restore());

/** The finding as Security Hub re-emits it once BatchUpdateFindings has applied `update`. */
function reEmitted(asff: Record<string, unknown>, update: BatchUpdateFindingsCommandInput): Record<string, unknown> {
  const updatedAt = '2026-11-20T09:20:00.000Z';
  return { ...asff, Workflow: { Status: update.Workflow?.Status }, Note: { ...update.Note, UpdatedAt: updatedAt }, UpdatedAt: updatedAt };
}

describe('securityHubFindingUpdates', () => {
  const updates = securityHubFindingUpdates(client);

  it('sets workflow NOTIFIED and leaves a note by cloudmend naming the pull request', async () => {
    hub.on(BatchUpdateFindingsCommand).resolves({ ProcessedFindings: [{ Id: ASFF.Id as string, ProductArn: ASFF.ProductArn as string }], UnprocessedFindings: [] });
    await updates.pullRequestOpened(FINDING, PULL_REQUEST);
    const calls = hub.commandCalls(BatchUpdateFindingsCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    expect(input).toEqual({
      FindingIdentifiers: [{ Id: ASFF.Id, ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/securityhub' }],
      Note: { Text: expect.any(String) as unknown, UpdatedBy: 'cloudmend' },
      Workflow: { Status: 'NOTIFIED' },
    });
    expect(input.Note?.Text).toContain(PULL_REQUEST.url);
    expect(input.Note?.Text).toContain(PULL_REQUEST.branch);
  });

  it('names the pull request by id when it has no url', async () => {
    hub.on(BatchUpdateFindingsCommand).resolves({ UnprocessedFindings: [] });
    await updates.pullRequestOpened(FINDING, { id: 'local:infra:cloudmend/s3.8-1a2b3c4d', branch: 'cloudmend/s3.8-1a2b3c4d' });
    expect(hub.commandCalls(BatchUpdateFindingsCommand)[0]?.args[0].input.Note?.Text).toContain('local:infra:cloudmend/s3.8-1a2b3c4d');
  });

  it('keeps the note within the 512 characters Security Hub accepts', async () => {
    hub.on(BatchUpdateFindingsCommand).resolves({ UnprocessedFindings: [] });
    await updates.pullRequestOpened(FINDING, { ...PULL_REQUEST, url: `https://github.com/acme/infra/pull/42?${'q'.repeat(600)}` });
    expect(hub.commandCalls(BatchUpdateFindingsCommand)[0]?.args[0].input.Note?.Text?.length).toBeLessThanOrEqual(512);
  });

  it.each<[string, Finding]>([
    ['a Config compliance finding', findingOf(complianceEvent())],
    ['a Security Hub finding without ProductArn', findingOf(importedEvent([asffFinding({ ProductArn: undefined })]))],
  ])('calls nothing for %s', async (_, finding) => {
    await updates.pullRequestOpened(finding, PULL_REQUEST);
    expect(hub.calls()).toHaveLength(0);
  });

  it('fails naming the finding and the error code when Security Hub leaves the finding unprocessed', async () => {
    hub.on(BatchUpdateFindingsCommand).resolves({
      ProcessedFindings: [],
      UnprocessedFindings: [{ FindingIdentifier: { Id: ASFF.Id as string, ProductArn: ASFF.ProductArn as string }, ErrorCode: 'FindingNotFound', ErrorMessage: 'Finding not found' }],
    });
    const thrown = await updates.pullRequestOpened(FINDING, PULL_REQUEST).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(CloudmendError);
    expect((thrown as Error).message).toContain(ASFF.Id as string);
    expect((thrown as Error).message).toContain('FindingNotFound');
  });

  it('turns throttling into a TransientError', async () => {
    hub.on(BatchUpdateFindingsCommand).rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata }));
    await expect(updates.pullRequestOpened(FINDING, PULL_REQUEST)).rejects.toBeInstanceOf(TransientError);
  });

  it('passes an invalid request through unchanged', async () => {
    const invalid = new InvalidInputException({ message: 'Invalid ProductArn', $metadata });
    hub.on(BatchUpdateFindingsCommand).rejects(invalid);
    await expect(updates.pullRequestOpened(FINDING, PULL_REQUEST)).rejects.toBe(invalid);
  });
});

describe('the write-back loop guard', () => {
  /** Runs the write-back and returns the event Security Hub sends afterwards. */
  async function echoOfWriteBack(): Promise<Record<string, unknown>> {
    hub.on(BatchUpdateFindingsCommand).resolves({ UnprocessedFindings: [] });
    await securityHubFindingUpdates(client).pullRequestOpened(FINDING, PULL_REQUEST);
    const update = hub.commandCalls(BatchUpdateFindingsCommand)[0]!.args[0].input;
    return importedEvent([reEmitted(ASFF, update)]);
  }

  it('acts on the original finding (the baseline the echo is compared with)', () => {
    const explained = explainEvent(importedEvent([ASFF]), CONFIG);
    expect(explained.trigger).toBe('securityhub-imported');
    expect(explained.findings.map((f) => f.decision)).toMatchObject([{ decision: 'act', code: 'remediate', repository: 'infra' }]);
  });

  it('skips the re-emitted finding as an echo, and the deployed rule does not match it', async () => {
    const explained = explainEvent(await echoOfWriteBack(), CONFIG);
    expect(explained.error).toBeUndefined();
    expect(explained.kind).toBe('securityhub-imported');
    expect(explained.trigger).toBeUndefined();
    expect(explained.findings).toHaveLength(1);
    expect(explained.findings[0]?.finding.fingerprint).toBe(FINDING.fingerprint);
    expect(explained.findings[0]?.decision).toEqual({ decision: 'skip', code: 'echo', reason: "echo of cloudmend's own write-back (note by cloudmend, Workflow NOTIFIED)" });
  });

  it('does not call a finding NOTIFIED by someone else an echo: the trigger just does not match', () => {
    const explained = explainEvent(importedEvent([asffFinding({ Workflow: { Status: 'NOTIFIED' }, Note: { Text: 'ticket OPS-7', UpdatedBy: 'alice' } })]), CONFIG);
    expect(explained.trigger).toBeUndefined();
    expect(explained.findings[0]?.decision).toMatchObject({ decision: 'skip', code: 'no_trigger' });
    expect(explained.findings[0]?.decision.reason).toContain('Workflow.Status');
  });

  it('acts again when a person sets the workflow back to NEW, even with cloudmend\'s note still on it', async () => {
    const echo = ((await echoOfWriteBack()).detail as { findings: Record<string, unknown>[] }).findings[0]!;
    const explained = explainEvent(importedEvent([{ ...echo, Workflow: { Status: 'NEW' } }]), CONFIG);
    expect(explained.trigger).toBe('securityhub-imported');
    expect(explained.findings[0]?.decision).toMatchObject({ decision: 'act', code: 'remediate' });
  });
});

describe('ledgerFindingUpdates', () => {
  const T = new Date('2026-11-20T09:15:00.000Z');
  let dir: string;
  let ledger: Ledger;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudmend-write-back-'));
    ledger = openSqliteLedger({ path: path.join(dir, 'ledger.db') });
  });
  afterEach(async () => {
    await ledger.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records write_back.skipped with the note cloudmend would have written', async () => {
    await ledger.claim({ fingerprint: FINDING.fingerprint, summary: summaryOf(FINDING), actor: 'local:test', at: T });
    await ledgerFindingUpdates(ledger, 'local:test', () => T).pullRequestOpened(FINDING, PULL_REQUEST);
    const events = (await ledger.auditTrail(FINDING.fingerprint)).filter((e) => e.type === 'write_back.skipped');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ fingerprint: FINDING.fingerprint, actor: 'local:test', at: T });
    expect(events[0]?.data).toEqual({ reason: 'local run: Security Hub is not called', note: expect.stringContaining(PULL_REQUEST.url) as unknown, updatedBy: 'cloudmend', workflow: 'NOTIFIED' });
  });

  it('records the same note text the deployed adapter sends', async () => {
    hub.on(BatchUpdateFindingsCommand).resolves({ UnprocessedFindings: [] });
    await securityHubFindingUpdates(client).pullRequestOpened(FINDING, PULL_REQUEST);
    await ledgerFindingUpdates(ledger, 'local:test', () => T).pullRequestOpened(FINDING, PULL_REQUEST);
    const [event] = await ledger.auditTrail(FINDING.fingerprint);
    expect(event?.data?.note).toBe(hub.commandCalls(BatchUpdateFindingsCommand)[0]?.args[0].input.Note?.Text);
  });

  it('records nothing for a finding that did not come from Security Hub', async () => {
    const config = findingOf(complianceEvent());
    await ledgerFindingUpdates(ledger, 'local:test', () => T).pullRequestOpened(config, PULL_REQUEST);
    expect(await ledger.auditTrail(config.fingerprint)).toEqual([]);
  });
});
