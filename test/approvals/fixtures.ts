/** Fixtures for the Slack approval tests: signed requests, click payloads, a real SQLite ledger. */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InteractionRequest } from '../../src/approvals/interactions.js';
import type { Artifacts } from '../../src/artifacts/port.js';
import type { Ledger } from '../../src/ledger/port.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { fileArtifacts } from '../../src/local/artifacts.js';
import type { DriftPatch } from '../../src/workflow/types.js';

export const SECRET = 'test-signing-secret-0123456789abcdef';
export const T0 = new Date('2025-03-01T12:00:00.000Z');
export const APPROVAL_ID = 'apr_0123456789abcdef';
export const FINGERPRINT = 'f'.repeat(32);
/** Long and distinctive, so a leak anywhere is found by a substring search. */
export const TASK_TOKEN = `AQCEAAAAKgAAAAMAAAAA-task-token-${'x'.repeat(1900)}-end`;
export const CHANNEL = 'C0APPROVALS';
export const MESSAGE_TS = '1740830400.000100';

/** `T0` plus `seconds`. */
export const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

/** The `X-Slack-Signature` of `body` at Unix time `timestamp` under `secret`. */
export function sign(body: string, timestamp: string, secret = SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** A form body as Slack sends it: `payload=<url-encoded JSON>`. */
export function formBody(payload: unknown): string {
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** A `block_actions` payload for a button click, shaped like Slack's (see the bolt-python fixture). */
export function clickPayload(options: { user?: string; actionId?: string; value?: string; type?: string } = {}): Record<string, unknown> {
  return {
    type: options.type ?? 'block_actions',
    user: { id: options.user ?? 'U0ALICE', username: 'alice', name: 'alice', team_id: 'T0TEAM' },
    api_app_id: 'A0CLOUDMEND',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: MESSAGE_TS, channel_id: CHANNEL, is_ephemeral: false },
    trigger_id: '111.222.abc',
    team: { id: 'T0TEAM', domain: 'example' },
    channel: { id: CHANNEL, name: 'approvals' },
    response_url: 'https://hooks.slack.com/actions/T0TEAM/111/abc',
    actions: [
      {
        action_id: options.actionId ?? 'cloudmend_approve',
        block_id: 'cloudmend_decision',
        text: { type: 'plain_text', text: 'Approve', emoji: true },
        value: options.value ?? APPROVAL_ID,
        type: 'button',
        action_ts: '1740830401.000200',
      },
    ],
  };
}

/** A request signed at `signedAt` (mixed-case header names, as API Gateway REST APIs pass them). */
export function signedRequest(body: string, signedAt: Date, secret = SECRET): InteractionRequest {
  const timestamp = String(Math.floor(signedAt.getTime() / 1000));
  return {
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': timestamp,
      'X-Slack-Signature': sign(body, timestamp, secret),
    },
    body,
  };
}

/** A signed click by `user` on `action` at `signedAt`. */
export function click(signedAt: Date, options: Parameters<typeof clickPayload>[0] = {}): InteractionRequest {
  return signedRequest(formBody(clickPayload(options)), signedAt);
}

/** A fresh SQLite ledger in a temp dir with one finding awaiting approval `APPROVAL_ID` (expires at T0 + 1h). */
/** A finding waiting on `APPROVAL_ID`; with `drift`, its patch (in `artifacts`) codifies drift, so the approval is a drift decision. */
export async function ledgerWithPendingApproval(
  drift?: Pick<DriftPatch, 'differences' | 'codify'>,
): Promise<{ ledger: Ledger; artifacts: Artifacts; cleanup: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudmend-approvals-'));
  const ledger = openSqliteLedger({ path: path.join(dir, 'ledger.db') });
  const artifacts = fileArtifacts(path.join(dir, 'artifacts'));
  const artifact = `${FINGERPRINT}/1/patch.json`;
  await artifacts.put(artifact, { diff: '', drift: drift && { security: false, weakens: false, revert: 'terraform apply', ...drift } });
  const summary = {
    source: 'securityhub',
    controlId: 'S3.8',
    title: 'S3 buckets should block public access',
    severity: 'HIGH',
    account: '123456789012',
    region: 'eu-west-1',
    resourceType: 'AwsS3Bucket',
    resourceId: 'arn:aws:s3:::logs',
  };
  await ledger.claim({ fingerprint: FINGERPRINT, summary, actor: 'workflow:test', at: T0 });
  for (const [from, to] of [
    ['claimed', 'located'],
    ['located', 'patched'],
    ['patched', 'awaiting_approval'],
  ] as const) {
    await ledger.transition({
      fingerprint: FINGERPRINT,
      from,
      to,
      actor: 'workflow:test',
      at: T0,
      data: to === 'patched' ? { artifact } : undefined,
    });
  }
  await ledger.putApproval({ id: APPROVAL_ID, fingerprint: FINGERPRINT, taskToken: TASK_TOKEN, requestedAt: T0, expiresAt: at(3600) });
  return {
    ledger,
    artifacts,
    cleanup: async () => {
      await ledger.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Everything observable about the finding and its approval, to prove a request changed nothing. */
export async function snapshot(ledger: Ledger): Promise<unknown> {
  return {
    finding: await ledger.get(FINGERPRINT),
    approval: await ledger.getApproval(APPROVAL_ID),
    audit: await ledger.auditTrail(FINGERPRINT),
  };
}
