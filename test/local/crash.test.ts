/**
 * kill -9 in the middle of a run, then the same run again: every finding ends in exactly one
 * terminal state, none is lost, no branch is doubled.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { TERMINAL_STATES } from '../../src/ledger/states.js';
import { asffFinding, importedEvent } from '../support/events.js';
import { branches as branchesOf, expectSettled } from '../faults/support.js';
import { makeWorld, type World } from './fixture.js';

const ROOT = join(import.meta.dirname, '../..');
let world: World | undefined;
afterEach(() => world?.cleanup());

const bucket = (name: string, control: string) =>
  importedEvent([asffFinding({ control, Resources: [{ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${name}` }] })], {
    id: `evt-${name}-${control}`,
  });

describe('a run killed with SIGKILL', () => {
  it('is finished by the next run: one terminal state per finding, one branch per resource', async () => {
    world = await makeWorld('', {
      'storage.tf': ['a', 'b', 'c'].map((n) => `resource "aws_s3_bucket" "${n}" {\n  bucket = "acme-${n}"\n}\n`).join('\n'),
    });
    const events = join(world.root, 'events');
    mkdirSync(events);
    for (const n of ['a', 'b', 'c'])
      for (const control of ['S3.8', 'S3.4'])
        writeFileSync(join(events, `${n}-${control}.json`), JSON.stringify(bucket(`acme-${n}`, control)));
    const args = ['run', events, '--config', world.configFile, '--state', world.state, '--repo', `infra=${world.repo}`];

    // First run: waits for approvals that never come; killed while findings are in flight.
    const child = spawn(process.execPath, [join(ROOT, 'bin/cli.js'), ...args, '--approve', 'wait'], { cwd: world.root, stdio: 'ignore' });
    const ledgerPath = join(world.state, 'ledger.db');
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        const ledger = openSqliteLedger({ path: ledgerPath });
        const pending = await ledger.listApprovals({ status: 'pending' });
        await ledger.close();
        if (pending.length > 0) break;
      } catch {
        // the child has not created the ledger yet
      }
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    // Same run again, approving: the interrupted findings are recovered and finished.
    let stdout = '';
    const code = await main([...args, '--approve', 'auto', '--json'], {
      stdout: (t) => (stdout += t),
      stderr: () => undefined,
      cwd: world.root,
      env: {},
    });
    const report = JSON.parse(stdout) as {
      results: { fingerprint: string; status: string; file: string; branch: string | null }[];
      recovered: string[];
    };
    expect(code).toBe(0);
    // What the killed run left is taken over (the approval it waited on, under its id) or recovered (run again).
    const takenOver = report.results.filter((r) => r.file.startsWith('approval '));
    expect(report.recovered.length + takenOver.length).toBeGreaterThan(0);

    const ledger = openSqliteLedger({ path: ledgerPath });
    const records = await ledger.list({ limit: 100 });
    // None is left pending: one taken over was decided (--approve auto) under its id; one the recovery found (killed
    // before its state was kept) was expired, and its finding asked again.
    const approvals = await ledger.listApprovals();
    await ledger.close();
    const statuses = (fp: string) =>
      approvals
        .filter((a) => a.fingerprint === fp)
        .map((a) => a.status)
        .sort();
    for (const { fingerprint } of takenOver) expect(statuses(fingerprint)).toEqual(['approved']);
    for (const fp of report.recovered) expect(statuses(fp)).toEqual(['approved', 'expired']);
    // A finding taken over is told twice by this run (its approval carried out, then its event found done): checked on its
    // own, with the findings that share its branch (the same resource's change).
    const takenBranches = new Set(takenOver.map((r) => r.branch));
    const taken = new Set(report.results.filter((r) => takenBranches.has(r.branch)).map((r) => r.fingerprint));
    await expectSettled(
      world,
      records.flatMap((r) => (taken.has(r.fingerprint) ? [] : [r.fingerprint])),
      { branches: (await branchesOf(world)).filter((b) => !takenBranches.has(b)) },
    );
    for (const r of records.filter((r) => taken.has(r.fingerprint))) expect(r.state).toBe('pr_opened');
    expect(records).toHaveLength(6);
    for (const r of records) expect(TERMINAL_STATES as readonly string[], `${r.fingerprint} is ${r.state}`).toContain(r.state);
    expect(records.filter((r) => r.state === 'pr_opened')).toHaveLength(6);
    // Each bucket's S3.4 and S3.8 fixes share its one change.
    const branches = (await world.git('branch', '--list', 'cloudmend/*')).trim().split('\n');
    expect(branches).toHaveLength(3);
    expect(new Set(report.results.map((r) => r.fingerprint)).size).toBe(6);
  }, 60_000);
});
