/**
 * The console's JSON API behind the `cloudmend serve` HTTP server, over real HTTP and a real SQLite
 * ledger: the same guard as `/events` (Host, Origin, bearer token), the findings and their patches as
 * the ledger and artifact store hold them, and decisions recorded once, as the console's token holder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONSOLE_ACTOR } from '../../src/console/api.js';
import { createConsole } from '../../src/console/index.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { fileArtifacts } from '../../src/local/artifacts.js';
import type { RunOutput } from '../../src/local/runtime.js';
import { createLocalServer } from '../../src/local/server.js';
import { exact } from '../support/http.js';

const TOKEN = 'console-token-0123456789abcdef0123456789abcdef';
const TASK_TOKEN = 'task-token-never-shown-0123456789';
const HOSTILE = '<img src=x onerror=alert(1)> S3 buckets should block public access';
const DIFF = '--- a/storage.tf\n+++ b/storage.tf\n@@ -1,3 +1,7 @@\n resource "aws_s3_bucket" "logs" {\n+  # fixed\n }\n';
const at = new Date('2026-12-07T10:00:00Z');

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

/** A ledger with one finding waiting for approval `apr_1` (and its patch), behind a listening server. */
async function consoleServer() {
  const dir = mkdtempSync(join(tmpdir(), 'cloudmend-console-'));
  const ledger = openSqliteLedger({ path: join(dir, 'ledger.db') });
  const artifacts = fileArtifacts(join(dir, 'artifacts'));
  const fingerprint = 'f'.repeat(64);
  const move = (from: 'claimed' | 'located' | 'patched', to: 'located' | 'patched' | 'awaiting_approval', data: Record<string, unknown>) =>
    ledger.transition({ fingerprint, from, to, actor: 'workflow:test', at, data });
  const summary = {
    source: 'securityhub',
    controlId: 'S3.8',
    title: HOSTILE,
    resourceType: 'AwsS3Bucket',
    resourceId: 'arn:aws:s3:::acme-logs',
  };
  await ledger.claim({ fingerprint, summary, actor: 'workflow:test', at });
  await move('claimed', 'located', { repository: 'infra', file: 'storage.tf' });
  const artifact = `${fingerprint}/1/patch.json`;
  const patch = { diff: DIFF, skill: 's3-block-public-access', files: [{ path: 'storage.tf' }], validation: { checks: [] } };
  await artifacts.put(artifact, patch);
  await move('located', 'patched', { artifact });
  await ledger.putApproval({
    id: 'apr_1',
    fingerprint,
    taskToken: TASK_TOKEN,
    requestedAt: at,
    expiresAt: new Date(Date.now() + 3600_000),
  });
  await move('patched', 'awaiting_approval', { approvalId: 'apr_1' });
  // What the agent's runs record (collect-agent.ts): one `model.usage` event per run.
  for (const calls of [2, 3]) {
    const data = { model: 'anthropic.claude-test', calls, inputTokens: 1000 * calls, outputTokens: 100 * calls, latencyMs: 5 };
    await ledger.appendAudit({ fingerprint, type: 'model.usage', actor: 'workflow:test', at, data });
  }
  await ledger.claim({
    fingerprint: 'e'.repeat(64),
    summary: { source: 'securityhub', controlId: 'EC2.2', title: 'default VPC' },
    actor: 'workflow:test',
    at,
  });

  const output: RunOutput = { eventId: 'e-1', results: [], problems: [], inputBytes: 0, largestStateBytes: 0 };
  const server: Server = createLocalServer({
    runEvent: () => Promise.resolve(output),
    access: { token: TOKEN, allowedHosts: [] },
    log: () => undefined,
    console: createConsole({ ledger, artifacts, now: () => new Date() }),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  cleanup = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  };
  const base = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, headers: Record<string, string> = {}) => {
    const answer = await exact(base, {
      method,
      path,
      headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${TOKEN}`, ...headers },
    });
    const isJson = String(answer.headers['content-type']).startsWith('application/json');
    return { ...answer, json: (isJson ? JSON.parse(answer.body) : {}) as Record<string, unknown> & { error?: string } };
  };
  /** Makes the waiting patch a drift codify patch, whose approval is a codify / revert / ignore decision. */
  const makeDrift = (codify?: false) =>
    artifacts.put(artifact, { ...patch, drift: { differences: ['versioning: Enabled live'], weakens: false, codify } });
  return { base, port, call, ledger, fingerprint, makeDrift };
}

describe('the console API', () => {
  it('answers only with the token, to its own Host names and to no other site’s page', async () => {
    const { call, port } = await consoleServer();
    const refusals: [string, Record<string, string>, number][] = [
      ['no token', { authorization: '' }, 401],
      ['a wrong token', { authorization: `Bearer ${TOKEN.slice(0, -1)}x` }, 401],
      ['another Host', { host: `evil.example:${port}` }, 421],
      ['another site’s page', { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }, 403],
    ];
    for (const [, headers, status] of refusals) {
      const answer = await call('GET', '/api/findings', headers);
      expect(answer.status).toBe(status);
      expect(answer.body).not.toContain('acme-logs');
    }
    expect((await call('POST', '/api/approvals/apr_1/approve', { authorization: '' })).status).toBe(401);
    const unauthorized = await call('GET', '/api/approvals', { authorization: '' });
    expect(unauthorized.json.error).toMatch(/^the console API needs Authorization: Bearer <token>/);
    expect(unauthorized.headers['www-authenticate']).toBe('Bearer realm="cloudmend"');

    const allowed = await call('GET', '/api/findings');
    expect(allowed.status).toBe(200);
    expect(allowed.headers['cache-control']).toBe('no-store');
  });

  it('serves the page without the token: a shell with a strict Content-Security-Policy and no ledger data', async () => {
    const { call, port } = await consoleServer();
    const page = await call('GET', '/', { authorization: '' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'/);
    expect(page.body).not.toContain('acme-logs');
    expect(page.body).not.toMatch(/https?:\/\//);
    expect((await call('GET', '/console.js', { authorization: '' })).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await call('GET', '/', { authorization: '', host: `evil.example:${port}` })).status).toBe(421);
    expect((await call('POST', '/', { authorization: '' })).status).toBe(405);
  });

  it('lists findings with their repository and model usage, and filters them; shows one with its history, diff and approval, never the task token', async () => {
    const { call, fingerprint } = await consoleServer();
    const list = await call('GET', '/api/findings');
    const findings = list.json.findings as { fingerprint: string; state: string; repository?: string; title: string }[];
    expect(findings.map((f) => [f.state, f.repository])).toEqual([
      ['claimed', undefined],
      ['awaiting_approval', 'infra'],
    ]);
    expect(list.json.facets).toEqual({ states: ['claimed', 'awaiting_approval'], controls: ['EC2.2', 'S3.8'], repositories: ['infra'] });
    const usage = { calls: 5, inputTokens: 5000, outputTokens: 500, tokens: 5500, models: ['anthropic.claude-test'] };
    expect(list.json.usage).toEqual({ ...usage, findings: 1 });
    expect(findings[1]).toMatchObject({ model: usage });
    const count = async (query: string) => ((await call('GET', `/api/findings?${query}`)).json.findings as unknown[]).length;
    expect(await count('state=awaiting_approval')).toBe(1);
    expect(await count('state=pr_opened')).toBe(0);
    expect(await count('control=s3.8')).toBe(1);
    expect(await count('repository=infra')).toBe(1);
    expect(await count('q=ACME%20public')).toBe(1);
    expect(await count('q=nothing-like-this')).toBe(0);
    expect((await call('GET', '/api/findings?state=opened')).json.error).toMatch(/^state must be one of claimed, located/);

    const detail = await call('GET', `/api/findings/${fingerprint}`);
    expect(detail.json).toMatchObject({
      finding: { title: HOSTILE, state: 'awaiting_approval', repository: 'infra' },
      patch: { diff: DIFF, skill: 's3-block-public-access', files: ['storage.tf'] },
      approval: { id: 'apr_1', drift: false },
      pullRequests: [],
    });
    const history = detail.json.history as { type: string; from?: string; to?: string }[];
    expect(history.map((e) => e.to ?? e.type)).toEqual([
      'claimed',
      'located',
      'patched',
      'awaiting_approval',
      'model.usage',
      'model.usage',
    ]);
    expect((await call('GET', `/api/findings/${'0'.repeat(64)}`)).status).toBe(404);

    const approvals = await call('GET', '/api/approvals');
    expect(approvals.json.approvals).toMatchObject([{ id: 'apr_1', fingerprint, drift: false, finding: { controlId: 'S3.8' } }]);
    for (const answer of [list, detail, approvals]) expect(answer.body).not.toContain(TASK_TOKEN);
  });

  it('decides an approval once, as the console’s token holder; an unknown, decided or mistaken one changes nothing', async () => {
    const { call, ledger, fingerprint } = await consoleServer();
    expect((await call('POST', '/api/approvals/apr_nope/approve')).status).toBe(404);
    expect((await call('POST', '/api/approvals/apr_1/codify')).json.error).toBe(
      'apr_1 is an approval that accepts approve, reject, not codify',
    );
    expect((await call('POST', '/api/approvals/apr_1/merge')).status).toBe(404);
    expect((await call('GET', '/api/approvals/apr_1/approve')).status).toBe(405);
    expect((await ledger.get(fingerprint))?.state).toBe('awaiting_approval');

    const approved = await call('POST', '/api/approvals/apr_1/approve');
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({ outcome: 'decided', decision: 'approved', by: CONSOLE_ACTOR });
    expect(await ledger.getApproval('apr_1')).toMatchObject({ status: 'approved', decidedBy: 'console:token-holder' });
    expect(await ledger.get(fingerprint)).toMatchObject({ state: 'approved', updatedBy: 'console:token-holder' });

    const again = await call('POST', '/api/approvals/apr_1/reject');
    expect(again.status).toBe(409);
    expect(again.json.error).toBe('apr_1 was already approved by console:token-holder; nothing changed');
    expect((await ledger.get(fingerprint))?.state).toBe('approved');
    expect((await call('GET', '/api/approvals')).json.approvals).toEqual([]);
  });

  it('decides a drift approval only by codify, revert or ignore, and records the choice', async () => {
    const { call, ledger, fingerprint, makeDrift } = await consoleServer();
    await makeDrift();
    expect((await call('GET', '/api/approvals')).json.approvals).toMatchObject([{ id: 'apr_1', drift: true }]);
    const approve = await call('POST', '/api/approvals/apr_1/approve');
    expect([approve.status, approve.json.error]).toEqual([
      400,
      'apr_1 is a drift decision that accepts codify, revert, ignore, not approve',
    ]);
    const revert = await call('POST', '/api/approvals/apr_1/revert');
    expect(revert.json).toMatchObject({ outcome: 'decided', decision: 'rejected', choice: 'revert' });
    expect(await ledger.getApproval('apr_1')).toMatchObject({ status: 'rejected', choice: 'revert', decidedBy: CONSOLE_ACTOR });
    expect((await ledger.get(fingerprint))?.state).toBe('rejected');
  });

  it('refuses codify where cloudmend cannot write the live values, before recording anything', async () => {
    const { call, ledger, fingerprint, makeDrift } = await consoleServer();
    await makeDrift(false);
    expect((await call('GET', '/api/approvals')).json.approvals).toMatchObject([
      { id: 'apr_1', drift: true, actions: ['revert', 'ignore'] },
    ]);
    expect((await call('GET', `/api/findings/${fingerprint}`)).json.approval).toMatchObject({ actions: ['revert', 'ignore'] });
    const codify = await call('POST', '/api/approvals/apr_1/codify');
    expect([codify.status, codify.json.error]).toEqual([
      400,
      'apr_1 is a drift decision that accepts revert, ignore, not codify (cloudmend cannot write these live values into the code: write them by hand)',
    ]);
    expect(await ledger.getApproval('apr_1')).toMatchObject({ status: 'pending' });
    expect((await ledger.get(fingerprint))?.state).toBe('awaiting_approval');
    expect((await call('POST', '/api/approvals/apr_1/ignore')).json).toMatchObject({ outcome: 'decided', choice: 'ignore' });
  });
});
