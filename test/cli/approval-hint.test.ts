/**
 * An approval request told on the terminal names the command that decides it with the flags that
 * reach the same ledger, and what the request is about (a drift decision says so).
 */
import { describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../src/approvals/port.js';
import { ledgerFlags } from '../../src/cli/ledger-commands.js';
import { terminalNotifier } from '../../src/cli/run-events.js';

const request = (extra: Partial<ApprovalRequest> = {}): ApprovalRequest => ({
  approvalId: 'apr_0123456789abcdef',
  fingerprint: 'f'.repeat(64),
  controlId: 'S3.8',
  title: 'S3 general purpose buckets should block public access',
  severity: 'HIGH',
  resource: 'AWS::S3::Bucket acme-logs',
  repository: 'infra',
  diff: '',
  validation: '',
  expiresAt: new Date('2026-12-08T10:00:00.000Z'),
  ...extra,
});

async function told(flags: string, extra: Partial<ApprovalRequest> = {}): Promise<string> {
  let stderr = '';
  const io = { stdout: () => undefined, stderr: (t: string) => (stderr += t), cwd: '/', env: {} };
  await terminalNotifier(io, 'wait', flags).requestApproval(request(extra));
  return stderr;
}

describe('the approval hint', () => {
  it("carries the run's --config and --state, quoted where a shell needs it", async () => {
    const flags = ledgerFlags({ config: "ops/it's.yaml", state: '/var/lib/cloudmend' });
    expect(flags).toBe(`--config 'ops/it'\\''s.yaml' --state /var/lib/cloudmend`);
    expect(await told(flags)).toContain(
      `approve with: cloudmend approve apr_0123456789abcdef ${flags}  (or reject apr_0123456789abcdef ${flags})`,
    );
  });

  it('needs no flags for the default config and state', async () => {
    expect(ledgerFlags({})).toBe('');
    expect(await told('')).toContain('approve with: cloudmend approve apr_0123456789abcdef  (or reject apr_0123456789abcdef)');
  });

  it('names a drift decision as drift, not a blank control', async () => {
    const drift = { differences: [], weakens: false, security: false, revert: '' } as unknown as ApprovalRequest['drift'];
    expect(await told('', { controlId: undefined, drift })).toContain(
      'approval requested apr_0123456789abcdef: drift AWS::S3::Bucket acme-logs',
    );
  });

  it('asks for a drift decision with cloudmend decide and the choices it accepts', async () => {
    const flags = ledgerFlags({ state: '/var/lib/cloudmend' });
    const drift = { differences: [], weakens: false, ignoreDays: 7 };
    expect(await told(flags, { drift })).toContain(
      'decide with: cloudmend decide apr_0123456789abcdef codify|revert|ignore --state /var/lib/cloudmend',
    );
    const told2 = await told(flags, { drift: { ...drift, codify: false } });
    expect(told2).toContain('decide with: cloudmend decide apr_0123456789abcdef revert|ignore --state /var/lib/cloudmend');
    expect(told2).not.toContain('cloudmend approve');
  });
});
