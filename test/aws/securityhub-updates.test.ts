/**
 * The Security Hub write-back (BatchUpdateFindings, and BatchUpdateFindingsV2 for Security Hub v2
 * findings; aws-sdk-client-mock), the loop guard that keeps
 * its echo from starting another remediation, and the local adapter that records it instead.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BatchUpdateFindingsCommand,
  BatchUpdateFindingsV2Command,
  InvalidInputException,
  SecurityHubClient,
  ThrottlingException,
  type BatchUpdateFindingsCommandInput,
  type BatchUpdateFindingsV2CommandInput,
} from '@aws-sdk/client-securityhub';
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
import { asffFinding, complianceEvent, importedEvent, importedV2Event, ocsfFinding } from '../support/events.js';

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
    hub
      .on(BatchUpdateFindingsCommand)
      .resolves({ ProcessedFindings: [{ Id: ASFF.Id as string, ProductArn: ASFF.ProductArn as string }], UnprocessedFindings: [] });
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
      UnprocessedFindings: [
        {
          FindingIdentifier: { Id: ASFF.Id as string, ProductArn: ASFF.ProductArn as string },
          ErrorCode: 'FindingNotFound',
          ErrorMessage: 'Finding not found',
        },
      ],
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

const OCSF = ocsfFinding();
const V2_FINDING = findingOf(importedV2Event([OCSF]));

/** The v2 finding as Security Hub re-emits it once BatchUpdateFindingsV2 has applied `update`. */
function reEmittedV2(ocsf: Record<string, unknown>, update: BatchUpdateFindingsV2CommandInput): Record<string, unknown> {
  return { ...ocsf, activity_id: 2, status_id: update.StatusId, status: 'In Progress', comment: update.Comment };
}

describe('securityHubFindingUpdates for a Security Hub v2 (OCSF) finding', () => {
  const updates = securityHubFindingUpdates(client);

  it('calls BatchUpdateFindingsV2, never the v1 API: status In Progress and the note as comment', async () => {
    hub.on(BatchUpdateFindingsV2Command).resolves({ ProcessedFindings: [], UnprocessedFindings: [] });
    await updates.pullRequestOpened(V2_FINDING, PULL_REQUEST);
    expect(hub.commandCalls(BatchUpdateFindingsCommand)).toHaveLength(0);
    const calls = hub.commandCalls(BatchUpdateFindingsV2Command);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      FindingIdentifiers: [
        {
          FindingInfoUid: 'arn:aws:securityhub:us-east-1:111122223333:security-control/S3.8/finding/7c0f6c1e-1f0e-4b8e-9d1a-2c3b4d5e6f70',
          MetadataProductUid: 'arn:aws:securityhub:us-east-1::productv2/aws/securityhub',
          CloudAccountUid: '111122223333',
        },
      ],
      Comment: expect.stringContaining(PULL_REQUEST.url) as unknown,
      StatusId: 2,
    });
  });

  it('writes the same text as the ASFF note, within the 512 characters a comment may hold', async () => {
    hub.on(BatchUpdateFindingsV2Command).resolves({ ProcessedFindings: [], UnprocessedFindings: [] });
    hub.on(BatchUpdateFindingsCommand).resolves({ UnprocessedFindings: [] });
    const long = { ...PULL_REQUEST, url: `https://github.com/acme/infra/pull/42?${'q'.repeat(600)}` };
    await updates.pullRequestOpened(V2_FINDING, long);
    await updates.pullRequestOpened(FINDING, long);
    const comment = hub.commandCalls(BatchUpdateFindingsV2Command)[0]?.args[0].input.Comment;
    expect(comment).toBe(hub.commandCalls(BatchUpdateFindingsCommand)[0]?.args[0].input.Note?.Text);
    expect(comment?.length).toBeLessThanOrEqual(512);
  });

  it('fails naming the finding, the API and the error code when Security Hub leaves the finding unprocessed', async () => {
    hub.on(BatchUpdateFindingsV2Command).resolves({
      ProcessedFindings: [],
      UnprocessedFindings: [{ ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Finding not found' }],
    });
    const thrown = await updates.pullRequestOpened(V2_FINDING, PULL_REQUEST).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(CloudmendError);
    expect((thrown as Error).message).toMatch(
      /security-control\/S3\.8\/finding\/.*\(BatchUpdateFindingsV2\): ResourceNotFoundException: Finding not found/,
    );
  });

  it('turns throttling into a TransientError', async () => {
    hub.on(BatchUpdateFindingsV2Command).rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata }));
    await expect(updates.pullRequestOpened(V2_FINDING, PULL_REQUEST)).rejects.toBeInstanceOf(TransientError);
  });

  it('calls nothing for a v2 finding without metadata.product.uid', async () => {
    await updates.pullRequestOpened(findingOf(importedV2Event([ocsfFinding({ metadata: {} })])), PULL_REQUEST);
    expect(hub.calls()).toHaveLength(0);
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
    expect(explained.findings[0]?.decision).toEqual({
      decision: 'skip',
      code: 'echo',
      reason: "echo of cloudmend's own write-back (note by cloudmend, Workflow NOTIFIED)",
    });
  });

  it('does not call a finding NOTIFIED by someone else an echo: the trigger just does not match', () => {
    const explained = explainEvent(
      importedEvent([asffFinding({ Workflow: { Status: 'NOTIFIED' }, Note: { Text: 'ticket OPS-7', UpdatedBy: 'alice' } })]),
      CONFIG,
    );
    expect(explained.trigger).toBeUndefined();
    expect(explained.findings[0]?.decision).toMatchObject({ decision: 'skip', code: 'no_trigger' });
    expect(explained.findings[0]?.decision.reason).toContain('Workflow.Status');
  });

  it("acts again when a person sets the workflow back to NEW, even with cloudmend's note still on it", async () => {
    const echo = ((await echoOfWriteBack()).detail as { findings: Record<string, unknown>[] }).findings[0]!;
    const explained = explainEvent(importedEvent([{ ...echo, Workflow: { Status: 'NEW' } }]), CONFIG);
    expect(explained.trigger).toBe('securityhub-imported');
    expect(explained.findings[0]?.decision).toMatchObject({ decision: 'act', code: 'remediate' });
  });
});

describe('the write-back loop guard for Security Hub v2', () => {
  it('skips the re-emitted v2 finding as an echo, and the deployed v2 rule does not match it', async () => {
    expect(explainEvent(importedV2Event([OCSF]), CONFIG)).toMatchObject({
      trigger: 'securityhub-imported-v2',
      findings: [{ decision: { code: 'remediate' } }],
    });
    hub.on(BatchUpdateFindingsV2Command).resolves({ ProcessedFindings: [], UnprocessedFindings: [] });
    await securityHubFindingUpdates(client).pullRequestOpened(V2_FINDING, PULL_REQUEST);
    const echo = importedV2Event([reEmittedV2(OCSF, hub.commandCalls(BatchUpdateFindingsV2Command)[0]!.args[0].input)]);
    const explained = explainEvent(echo, CONFIG);
    expect(explained.trigger).toBeUndefined();
    expect(explained.findings[0]?.finding.fingerprint).toBe(V2_FINDING.fingerprint);
    expect(explained.findings[0]?.decision).toEqual({
      decision: 'skip',
      code: 'echo',
      reason: "echo of cloudmend's own write-back (cloudmend's comment, status In Progress)",
    });
  });

  it('does not call a finding someone else set In Progress an echo', () => {
    const explained = explainEvent(importedV2Event([ocsfFinding({ status_id: 2, comment: 'ticket OPS-7' })]), CONFIG);
    expect(explained.findings[0]?.decision).toMatchObject({ decision: 'skip', code: 'no_trigger' });
    expect(explained.findings[0]?.decision.reason).toContain('status_id');
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
    expect(events[0]?.data).toEqual({
      reason: 'local run: Security Hub is not called',
      api: 'BatchUpdateFindings',
      note: expect.stringContaining(PULL_REQUEST.url) as unknown,
      updatedBy: 'cloudmend',
      workflow: 'NOTIFIED',
    });
  });

  it('records the BatchUpdateFindingsV2 call for a Security Hub v2 finding: the comment and status In Progress', async () => {
    await ledger.claim({ fingerprint: V2_FINDING.fingerprint, summary: summaryOf(V2_FINDING), actor: 'local:test', at: T });
    await ledgerFindingUpdates(ledger, 'local:test', () => T).pullRequestOpened(V2_FINDING, PULL_REQUEST);
    const events = (await ledger.auditTrail(V2_FINDING.fingerprint)).filter((e) => e.type === 'write_back.skipped');
    expect(events.map((e) => e.data)).toEqual([
      {
        reason: 'local run: Security Hub is not called',
        api: 'BatchUpdateFindingsV2',
        note: expect.stringContaining(PULL_REQUEST.url) as unknown,
        statusId: 2,
      },
    ]);
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
