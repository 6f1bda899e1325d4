/**
 * Acceptance: a burst of 250 full-size Security Hub findings (40 tags each, full details) for one
 * Terraform repository and one control, run as a user runs it: `cloudmend run --batch --repo <path>`,
 * no config file, under Step Functions' enforced payload limit. Every finding ends pr_opened, one
 * branch per batch, nothing failed, each execution starts with its batch's key (the events in the
 * artifact store), and the largest state stays far under 256 KiB.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { RunReport } from '../../src/cli/run-events.js';
import { EXECUTION_INPUT_BUDGET_BYTES, STATE_LIMIT_BYTES } from '../../src/state-size.js';
import { complianceEvent, importedEvent } from '../support/events.js';
import { fullSizeFinding } from '../support/full-size-findings.js';

const BUCKETS = 250;
/** Buckets per file, as an estate spreads them over modules and files. */
const PER_FILE = 10;
const bucketName = (i: number): string => `acme-data-${String(i).padStart(3, '0')}`;
const bucketTf = (i: number): string => `resource "aws_s3_bucket" "b${i}" {\n  bucket = "${bucketName(i)}"\n}\n`;
// The ledger syncs every commit to disk; in memory, where there is such a file system, the burst's thousand commits cost nothing.
const SCRATCH = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
const GIT_ENV = { PATH: process.env.PATH ?? '', HOME: tmpdir(), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

let root: string | undefined;
afterEach(() => {
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

async function burstWorld() {
  root = mkdtempSync(join(SCRATCH, 'cloudmend-burst-'));
  const repo = join(root, 'infra');
  mkdirSync(repo);
  for (let f = 0; f < BUCKETS / PER_FILE; f++) {
    writeFileSync(join(repo, `buckets-${f}.tf`), Array.from({ length: PER_FILE }, (_, k) => bucketTf(f * PER_FILE + k)).join('\n'));
  }
  const git = async (...args: string[]): Promise<string> =>
    (await promisify(execFile)('git', args, { cwd: repo, env: GIT_ENV, encoding: 'utf8' })).stdout;
  await git('init', '--quiet', '--initial-branch=main');
  await git('add', '.');
  await git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-m', 'initial');
  const dir = (name: string, events: readonly unknown[]): string => {
    const path = join(root!, name);
    mkdirSync(path);
    events.forEach((event, i) => writeFileSync(join(path, `${String(i).padStart(3, '0')}.json`), JSON.stringify(event)));
    return path;
  };
  // As Security Hub sends them: one finding per event.
  const imported = dir(
    'imported',
    Array.from({ length: BUCKETS }, (_, i) => importedEvent([fullSizeFinding(i, bucketName(i))], { id: `evt-${i}` })),
  );
  return { root, repo, git, imported, dir };
}

async function cli(cwd: string, argv: string[]): Promise<{ code: number; report: RunReport; stderr: string }> {
  let stdout = '';
  let stderr = '';
  // No config file, no PATH: the validators find no terraform, as on a laptop without it.
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env: {} });
  return { code, report: JSON.parse(stdout || '{}') as RunReport, stderr };
}

describe('a burst of 250 full-size findings, run --batch --repo without a config file', () => {
  it('opens one branch per batch, every finding pr_opened, every state far under 256 KiB', async () => {
    const w = await burstWorld();
    // Security Hub's own Config rule evaluates the same buckets first: those events are not worked on twice.
    const config = w.dir(
      'config',
      [0, 1, 2].map((i) => ({
        ...complianceEvent({ rule: 'securityhub-s3-bucket-level-public-access-prohibited-727dd3b1', resourceId: bucketName(i) }),
        id: `cfg-${i}`,
      })),
    );
    const state = join(w.root, 'state');
    const first = await cli(w.root, ['run', config, '--repo', w.repo, '--state', state, '--approve', 'auto', '--json']);
    expect(first.report.results.map((r) => r.status)).toEqual(['skipped', 'skipped', 'skipped']);

    const { code, report, stderr } = await cli(w.root, [
      'run',
      w.imported,
      '--batch',
      '--repo',
      w.repo,
      '--state',
      state,
      '--approve',
      'auto',
      '--json',
    ]);
    expect(stderr).toMatch(/batched 250 events: \d+ batch(es)? for 1 repository, 0 events on their own/);
    expect(code).toBe(0);
    expect(report.rejected).toEqual([]);
    expect(report.results).toHaveLength(BUCKETS);
    expect(new Set(report.results.map((r) => r.fingerprint)).size).toBe(BUCKETS);
    expect(report.results.filter((r) => r.status !== 'pr_opened')).toEqual([]);
    const batches = Number(/(\d+) batch(es)? for/.exec(stderr)?.[1]);
    const branches = (await w.git('branch', '--list', 'cloudmend/*'))
      .split('\n')
      .map((b) => b.trim())
      .filter(Boolean);
    expect(branches).toHaveLength(batches);
    expect(new Set(report.results.map((r) => r.branch))).toEqual(new Set(branches));
    // The number this test is about: printed, so the note can quote it.
    console.info(
      `burst: ${batches} batches, largest execution input ${report.largestInputBytes} bytes, largest state after it ${report.largestStateBytes} bytes`,
    );
    // Claim-check: each batch's events (up to the budget) are in the artifact store; the execution carries their key.
    expect(report.largestInputBytes).toBeLessThan(1_000);
    expect(report.largestStateBytes).toBeLessThan(STATE_LIMIT_BYTES / 4);
    const stored = readdirSync(join(state, 'artifacts', 'claim-check', 'batches'));
    expect(stored).toHaveLength(batches);
    for (const file of stored)
      expect(statSync(join(state, 'artifacts', 'claim-check', 'batches', file)).size).toBeLessThanOrEqual(EXECUTION_INPUT_BUDGET_BYTES);
  }, 60_000);
});
