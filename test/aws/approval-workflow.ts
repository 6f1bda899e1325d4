/**
 * Approvals made the way the remediate workflow makes them, on a real SQLite ledger: Normalize,
 * Claim, the ledger moves Locate and ApplySkill make, then RequestApproval with its task token.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Ledger } from '../../src/ledger/port.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { scopedContext, type TaskContext } from '../../src/workflow/context.js';
import type { ApprovalNotifier } from '../../src/approvals/port.js';
import type { Artifacts } from '../../src/artifacts/port.js';
import { taskSpec } from '../../src/workflow/tasks.js';
import { claim } from '../../src/workflow/tasks/claim.js';
import { normalize } from '../../src/workflow/tasks/normalize.js';
import { requestApproval } from '../../src/workflow/tasks/request-approval.js';
import type { ItemFinding, Patch } from '../../src/workflow/types.js';
import { importedEvent } from '../support/events.js';
import { CONFIG, numberedFinding } from './backfill-fixtures.js';

export const T0 = new Date('2026-11-20T10:00:00.000Z');
/** `T0` plus `minutes`. */
export const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);
export const CHANNEL = 'C0APPROVALS';
export const ACTOR = 'workflow:approval-expiry';
/** The approval timeout the config sets. */
export const TIMEOUT_MINUTES = 60;
const config = { ...CONFIG, approvals: { ...CONFIG.approvals, timeout: TIMEOUT_MINUTES * 60 } };

/** Long and distinctive, so a leak anywhere is found by a substring search. */
export const tokenOf = (i: number): string => `AQCEAAAAKgAAAAMAAAAA-task-token-${i}-${'x'.repeat(1500)}-end`;

export interface MadeApproval {
  readonly approvalId: string;
  readonly fingerprint: string;
  readonly taskToken: string;
  readonly expiresAt: Date;
}

export interface ApprovalWorld {
  readonly ledger: Ledger;
  /** Finding `i` driven to awaiting_approval at `requestedAt`; `posted`: the notifier says where it posted. */
  /** `taskToken`: the one Step Functions handed out, where a real execution waits. */
  awaitingApproval(
    i: number,
    requestedAt: Date,
    options?: { readonly posted?: boolean; readonly taskToken?: string },
  ): Promise<MadeApproval>;
  cleanup(): Promise<void>;
}

function memoryArtifacts(): Artifacts {
  const objects = new Map<string, string>();
  return {
    put: (key, value) => Promise.resolve(void objects.set(key, JSON.stringify(value))),
    get: <T>(key: string) => {
      const text = objects.get(key);
      return text === undefined ? Promise.reject(new Error(`no artifact ${key}`)) : Promise.resolve(JSON.parse(text) as T);
    },
  };
}

/** A world on a fresh SQLite ledger, or on `ledger` (closed by `cleanup`), with its patches in memory or in `artifacts`. */
export function openApprovalWorld(options: { readonly ledger?: Ledger; readonly artifacts?: Artifacts } = {}): ApprovalWorld {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudmend-expiry-'));
  const ledger = options.ledger ?? openSqliteLedger({ path: path.join(dir, 'ledger.db') });
  const artifacts = options.artifacts ?? memoryArtifacts();

  async function awaitingApproval(
    i: number,
    requestedAt: Date,
    options: { readonly posted?: boolean; readonly taskToken?: string } = {},
  ): Promise<MadeApproval> {
    const approvals: ApprovalNotifier = {
      requestApproval: () =>
        Promise.resolve(options.posted === false ? {} : { channel: CHANNEL, messageTs: `1795000000.${String(i).padStart(6, '0')}` }),
    };
    // Only the ports these tasks declare; scopedContext makes any other use throw.
    const ctx = {
      config,
      configDir: dir,
      ledger,
      artifacts,
      approvals,
      now: () => requestedAt,
      actor: 'workflow:test-execution',
    } as TaskContext;
    const scoped = (name: string) => scopedContext(ctx, name, taskSpec(name)?.ports ?? []);

    const [item] = (await normalize(importedEvent([numberedFinding(i)]), scoped('Normalize'))).items;
    const [one] = Array.isArray(item?.findings) ? (item.findings as readonly ItemFinding[]) : [];
    if (!item || !one || one.decision.code !== 'remediate' || one.decision.tier !== 'pull_request_with_approval')
      throw new Error(`finding ${i} is not one to approve: ${JSON.stringify(one?.decision)}`);
    const claimed = await claim(item, scoped('Claim'));
    if (claimed.status !== 'claimed') throw new Error(`finding ${i} was not claimed: ${claimed.status}`);
    const fingerprint = one.finding.fingerprint;
    // What Locate and ApplySkill record, without a repository to read.
    await ledger.transition({ fingerprint, from: 'claimed', to: 'located', actor: ctx.actor, at: requestedAt });
    const artifact = `patches/${fingerprint}.json`;
    const patch: Patch = {
      fingerprint,
      repository: 'infra',
      base: 'main',
      commit: 'a'.repeat(40),
      skill: 's3-block-public-access',
      files: [
        { path: 'storage.tf', before: 'resource "aws_s3_bucket" "logs" {}\n', after: 'resource "aws_s3_bucket" "logs" {}\n# fixed\n' },
      ],
      diff: '--- a/storage.tf\n+++ b/storage.tf\n@@ -1 +1,2 @@\n resource "aws_s3_bucket" "logs" {}\n+# fixed\n',
      notes: [],
      messages: [],
      validation: { passed: true, checks: [{ name: 'parses', status: 'passed', detail: 'ok' }] },
    };
    await artifacts.put(artifact, patch);
    await ledger.transition({
      fingerprint,
      from: 'located',
      to: 'patched',
      actor: ctx.actor,
      at: requestedAt,
      data: { skill: patch.skill, artifact },
    });

    const taskToken = options.taskToken ?? tokenOf(i);
    const { approvalId } = await requestApproval(
      {
        input: { ...item, claim: claimed, patch: { status: 'patched', skill: patch.skill, artifact, validation: patch.validation } },
        taskToken,
      },
      scoped('RequestApproval'),
    );
    return { approvalId, fingerprint, taskToken, expiresAt: new Date(requestedAt.getTime() + TIMEOUT_MINUTES * 60_000) };
  }

  return {
    ledger,
    awaitingApproval,
    cleanup: async () => {
      await ledger.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
