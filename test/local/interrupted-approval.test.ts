/**
 * Approvals survive interruption: a run stopped while it waits for a decision (Ctrl-C, `serve`
 * stopped), then `cloudmend approve|reject` from another terminal. The decision says truthfully
 * who carries it out, and the next run (or `serve` at start) continues the finding from where it
 * stopped: the pull request of exactly the approved patch, or the rejection recorded.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startServe } from '../../src/cli/serve.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { finishInterrupted } from '../../src/local/approval-resume.js';
import { createRuntime } from '../../src/local/runtime.js';
import type { Patch } from '../../src/workflow/types.js';
import { asffFinding, importedEvent } from '../support/events.js';
import { makeWorld, type World } from './fixture.js';

let world: World | undefined;
afterEach(() => world?.cleanup());

const EVENT_ID = 'evt-interrupted-approval';
const bucketEvent = () =>
  importedEvent([asffFinding({ Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::acme-logs' }] })], { id: EVENT_ID });

/** A promise and the function that settles it: the test goes on when the workflow gets somewhere, never after a sleep. */
function signal<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  return { promise: new Promise<T>((r) => (resolve = r)), resolve };
}

/** `cloudmend <args>` in process, on the world's ledger; stdout and stderr as text (`watch` sees stderr as it comes). */
async function cli(w: World, ...args: string[]) {
  return cliWatching(w, () => undefined, ...args);
}

async function cliWatching(w: World, watch: (stderr: string) => void, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main([...args, '--config', w.configFile, '--state', w.state], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (watch((stderr += t)), undefined),
    cwd: w.root,
    env: {},
  });
  return { code, stdout, stderr };
}

/** A run with `--approve wait` that asks, and is stopped while it waits (as Ctrl-C leaves it). */
async function stoppedWhileWaiting(w: World): Promise<string> {
  const asked = signal<string>();
  const local = await w.open({ approvals: { requestApproval: (r) => (asked.resolve(r.approvalId), Promise.resolve({})) } });
  const runtime = createRuntime({ context: local.ctx, approve: 'wait', pollMs: 10 });
  const run = runtime.run(bucketEvent());
  const approvalId = await asked.promise;
  await runtime.stop(0);
  const out = await run;
  await local.close();
  expect(out.interrupted).toMatch(/^stopped before it ended: the next `cloudmend run` or `serve` takes over the approvals it waited on/);
  expect(out.eventId).toBe(EVENT_ID);
  return approvalId;
}

async function ledgerState(w: World) {
  const ledger = openSqliteLedger({ path: join(w.state, 'ledger.db') });
  try {
    const [finding] = await ledger.list({ limit: 10 });
    return { finding, approvals: await ledger.listApprovals() };
  } finally {
    await ledger.close();
  }
}

/** The patch the approvers were shown: the one the run kept beside the approval. */
function approvedPatch(w: World, approvalId: string): Patch {
  const artifacts = join(w.state, 'artifacts');
  const held = JSON.parse(readFileSync(join(artifacts, 'approvals', `${approvalId}.json`), 'utf8')) as {
    state: { patch: { artifact: string } };
  };
  return JSON.parse(readFileSync(join(artifacts, held.state.patch.artifact), 'utf8')) as Patch;
}

function eventFile(w: World): string {
  mkdirSync(join(w.root, 'events'), { recursive: true });
  const file = join(w.root, 'events', 'bucket.json');
  writeFileSync(file, JSON.stringify(bucketEvent()));
  return file;
}

const NO_RUN_WAITS = (w: World) =>
  `no run is waiting on it: the next \`cloudmend run\` or \`cloudmend serve\` with --config ${w.configFile} --state ${w.state}`;

describe('an approval decided while no run waits', () => {
  it('is carried out by the next run: the pull request of the approved patch opens', async () => {
    const w = (world = await makeWorld());
    const approvalId = await stoppedWhileWaiting(w);

    const approved = await cli(w, 'approve', approvalId, '--by', 'alice');
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain(`${NO_RUN_WAITS(w)} opens the pull request of the approved patch`);
    expect(approved.stdout).not.toContain('the run waiting on it continues');
    expect((await ledgerState(w)).finding?.state).toBe('approved');

    // The same event again: the decision is carried out first, so the event finds the work done, not "already approved".
    const next = await cli(w, 'run', eventFile(w), '--approve', 'wait', '--json');
    expect(next.code).toBe(0);
    expect(next.stderr).toContain(`continuing approval ${approvalId}: approved by cli:alice`);
    const report = JSON.parse(next.stdout) as { results: { file: string; status: string; branch: string | null; reason: string }[] };
    expect(report.results).toEqual([
      expect.objectContaining({ file: `approval ${approvalId}`, status: 'pr_opened' }),
      expect.objectContaining({ status: 'duplicate', reason: expect.stringMatching(/^already pr_opened/) as unknown }),
    ]);
    const { finding, approvals } = await ledgerState(w);
    expect(finding?.state).toBe('pr_opened');
    expect(approvals.map((a) => [a.id, a.status])).toEqual([[approvalId, 'approved']]);
    const patch = approvedPatch(w, approvalId);
    const branch = report.results[0]?.branch ?? '';
    for (const file of patch.files) expect(await w.git('show', `${branch}:${file.path}`)).toBe(file.after);
  });

  it('records a rejection, and the next run opens nothing', async () => {
    const w = (world = await makeWorld());
    const approvalId = await stoppedWhileWaiting(w);

    const rejected = await cli(w, 'reject', approvalId, '--by', 'bob');
    expect(rejected.stdout).toContain(
      `no run is waiting on it: no pull request opens, and the next \`cloudmend run\` or \`cloudmend serve\` with --config ${w.configFile} --state ${w.state} finishes recording the rejection`,
    );
    expect((await ledgerState(w)).finding?.state).toBe('rejected');

    const next = await cli(w, 'run', eventFile(w), '--approve', 'auto', '--json');
    const report = JSON.parse(next.stdout) as { results: { status: string; reason: string }[] };
    expect(report.results).toEqual([
      expect.objectContaining({ status: 'duplicate', reason: expect.stringMatching(/^already rejected/) as unknown }),
    ]);
    expect((await ledgerState(w)).finding?.state).toBe('rejected');
    expect(await w.git('branch', '--list', 'cloudmend/*')).toBe('');
  });

  it('is not carried out when the kept patch is not the one approved: the finding is asked again', async () => {
    const w = (world = await makeWorld());
    const approvalId = await stoppedWhileWaiting(w);
    await cli(w, 'approve', approvalId);
    const held = JSON.parse(readFileSync(join(w.state, 'artifacts', 'approvals', `${approvalId}.json`), 'utf8')) as {
      state: { patch: { artifact: string } };
    };
    const path = join(w.state, 'artifacts', held.state.patch.artifact);
    const patch = JSON.parse(readFileSync(path, 'utf8')) as Patch;
    writeFileSync(path, JSON.stringify({ ...patch, files: patch.files.map((f) => ({ ...f, after: `${f.after}# not approved\n` })) }));

    const next = await cli(w, 'run', eventFile(w), '--approve', 'reject', '--json');
    expect(next.stderr).toContain(
      `approval ${approvalId} (approved) cannot be continued: its patch is no longer the one that was approved`,
    );
    const { finding, approvals } = await ledgerState(w);
    // Restarted, asked again (a new approval), and rejected this time: nothing was opened from the changed patch.
    expect(finding?.state).toBe('rejected');
    expect(approvals).toHaveLength(2);
    expect(await w.git('branch', '--list', 'cloudmend/*')).toBe('');
  });
});

describe('an approval still undecided when the next run starts', () => {
  it('is taken over under the same id: approve says the waiting run continues, and it opens the approved pull request', async () => {
    const w = (world = await makeWorld());
    const approvalId = await stoppedWhileWaiting(w);
    const before = (await ledgerState(w)).approvals[0]?.taskToken;

    const waiting = signal<undefined>();
    const next = cliWatching(
      w,
      (stderr) => stderr.includes(`waiting on approval ${approvalId}, asked by a run that is gone`) && waiting.resolve(undefined),
      ...['run', eventFile(w), '--approve', 'wait', '--json'],
    );
    await waiting.promise;
    const taken = (await ledgerState(w)).approvals;
    expect(taken.map((a) => [a.id, a.status])).toEqual([[approvalId, 'pending']]);
    expect(taken[0]?.taskToken).not.toBe(before);

    // A third start while that run waits takes nothing from it.
    const third = await w.open();
    try {
      const runtime = createRuntime({ context: third.ctx, approve: 'auto', pollMs: 10 });
      expect((await finishInterrupted(third.ctx, runtime, () => undefined)).taken).toEqual([]);
    } finally {
      await third.close();
    }
    expect((await ledgerState(w)).approvals.map((a) => [a.status, a.taskToken])).toEqual([['pending', taken[0]?.taskToken]]);

    const approved = await cli(w, 'approve', approvalId, '--by', 'alice');
    expect(approved.stdout).toContain('the run waiting on it continues: it opens the pull request of the approved patch');
    const { code, stdout, stderr } = await next;
    expect(code).toBe(0);
    expect(stderr).toContain(`approve with: cloudmend approve ${approvalId}`);
    const report = JSON.parse(stdout) as { results: { file: string; status: string; branch: string | null }[]; recovered: string[] };
    expect(report.recovered).toEqual([]);
    expect(report.results).toEqual([
      expect.objectContaining({ file: `approval ${approvalId}`, status: 'pr_opened' }),
      expect.objectContaining({ status: 'duplicate' }),
    ]);
    const { finding, approvals } = await ledgerState(w);
    expect(finding?.state).toBe('pr_opened');
    expect(approvals.map((a) => [a.id, a.status])).toEqual([[approvalId, 'approved']]);
    const branch = report.results[0]?.branch ?? '';
    for (const file of approvedPatch(w, approvalId).files) expect(await w.git('show', `${branch}:${file.path}`)).toBe(file.after);
  });

  it('is decided at once by --approve reject, as a new request would be', async () => {
    const w = (world = await makeWorld());
    const approvalId = await stoppedWhileWaiting(w);
    const next = await cli(w, 'run', eventFile(w), '--approve', 'reject', '--json');
    const report = JSON.parse(next.stdout) as { results: { file: string; status: string }[] };
    expect(report.results[0]).toMatchObject({ file: `approval ${approvalId}`, status: 'rejected' });
    const { finding, approvals } = await ledgerState(w);
    expect(finding?.state).toBe('rejected');
    expect(approvals.map((a) => [a.id, a.status])).toEqual([[approvalId, 'rejected']]);
    expect(await w.git('branch', '--list', 'cloudmend/*')).toBe('');
  });

  it('is expired as before once past its deadline: the finding ends expired, nothing is asked again', async () => {
    const w = (world = await makeWorld());
    const approvalId = await stoppedWhileWaiting(w);
    const deadline = (await ledgerState(w)).approvals[0]?.expiresAt ?? new Date(0);
    const local = await w.open();
    try {
      const ctx = { ...local.ctx, now: () => new Date(deadline.getTime() + 1000) };
      const runtime = createRuntime({ context: ctx, approve: 'wait', pollMs: 10 });
      const { taken, interrupted } = await finishInterrupted(ctx, runtime, () => undefined);
      expect(taken).toEqual([]);
      expect(interrupted).toHaveLength(1);
    } finally {
      await local.close();
    }
    const { finding, approvals } = await ledgerState(w);
    expect(finding?.state).toBe('expired');
    expect(approvals.map((a) => [a.id, a.status])).toEqual([[approvalId, 'expired']]);
  });
});

describe('cloudmend approve while the run waits', () => {
  it('says the waiting run continues, and it does', async () => {
    const w = (world = await makeWorld());
    const asked = signal<string>();
    const local = await w.open({ approvals: { requestApproval: (r) => (asked.resolve(r.approvalId), Promise.resolve({})) } });
    try {
      const runtime = createRuntime({ context: local.ctx, approve: 'wait', pollMs: 10 });
      const run = runtime.run(bucketEvent());
      const approved = await cli(w, 'approve', await asked.promise);
      expect(approved.stdout).toContain('the run waiting on it continues: it opens the pull request of the approved patch');
      expect((await run).results).toEqual([expect.objectContaining({ status: 'pr_opened' })]);
    } finally {
      await local.close();
    }
  });
});

/** `cloudmend serve` that takes the bucket event, asks, and is stopped while it waits; `start` starts it again (stderr from then). */
async function servedAndStopped(w: World) {
  const asked = signal<string>();
  const lines: ((stderr: string) => void)[] = [];
  let stderr = '';
  const io = {
    stdout: () => undefined,
    stderr: (t: string) => {
      stderr += t;
      const id = /approval requested (apr_[0-9a-f]+)/.exec(t)?.[1];
      if (id) asked.resolve(id);
      for (const line of lines) line(stderr);
    },
    cwd: w.root,
    env: { CLOUDMEND_SERVE_TOKEN: 'serve-bearer-token-0123456789abcdef0123456789' },
  };
  const options = { port: '0', config: w.configFile, state: w.state };
  const serving = await startServe(options, io);
  const posted = await fetch(`${serving.url}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${io.env.CLOUDMEND_SERVE_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(bucketEvent()),
  });
  expect(posted.status).toBe(202);
  const approvalId = await asked.promise;
  await serving.close(0);
  return {
    approvalId,
    stderr: () => stderr,
    /** Resolves once stderr (since the last start) matches `pattern`. */
    seen: (pattern: RegExp) => new Promise<void>((resolve) => lines.push((text) => pattern.test(text) && resolve())),
    start: () => ((stderr = ''), startServe(options, io)),
  };
}

describe('cloudmend serve stopped mid-run', () => {
  it('loses nothing: the waiting finding stays recorded, and the next start opens the approved pull request', async () => {
    const w = (world = await makeWorld());
    const serve = await servedAndStopped(w);
    const { approvalId } = serve;

    expect(serve.stderr()).toContain(`event ${EVENT_ID}: interrupted: stopped before it ended`);
    expect(serve.stderr()).not.toMatch(/cloudmend\.Unrecorded|openSqliteLedger|\(no id\)|LedgerClosed/);
    expect((await ledgerState(w)).finding?.state).toBe('awaiting_approval');

    const approved = await cli(w, 'approve', approvalId);
    expect(approved.stdout).toContain(NO_RUN_WAITS(w));

    const again = await serve.start();
    await again.close(0);
    expect(serve.stderr()).toMatch(new RegExp(`approval ${approvalId}: [0-9a-f]{12} pr_opened`));
    expect((await ledgerState(w)).finding?.state).toBe('pr_opened');
    const patch = approvedPatch(w, approvalId);
    const [branch] = (await w.git('branch', '--list', '--format=%(refname:short)', 'cloudmend/*')).trim().split('\n');
    for (const file of patch.files) expect(await w.git('show', `${branch}:${file.path}`)).toBe(file.after);
  });
  it('takes over the approvals still undecided at the next start, under the same ids, instead of asking again', async () => {
    const w = (world = await makeWorld());
    const serve = await servedAndStopped(w);
    const { approvalId } = serve;
    const again = await serve.start();
    try {
      expect(serve.stderr()).toContain(`waiting on approval ${approvalId}, asked by a run that is gone`);
      expect((await ledgerState(w)).approvals.map((a) => [a.id, a.status])).toEqual([[approvalId, 'pending']]);
      const opened = serve.seen(new RegExp(`approval ${approvalId}: [0-9a-f]{12} pr_opened`));
      const approved = await cli(w, 'approve', approvalId);
      expect(approved.stdout).toContain('the run waiting on it continues');
      await opened;
    } finally {
      await again.close(0);
    }
    expect((await ledgerState(w)).finding?.state).toBe('pr_opened');
    expect((await ledgerState(w)).approvals.map((a) => [a.id, a.status])).toEqual([[approvalId, 'approved']]);
  });
});

describe('a runtime stopping', () => {
  it('lets an execution under way finish and record its outcome, and starts no other', async () => {
    const w = (world = await makeWorld());
    const local = await w.open();
    try {
      const reached = signal<undefined>();
      const release = signal<undefined>();
      const { pullRequests } = local.ctx;
      const held = {
        ...pullRequests,
        open: async (input: Parameters<typeof pullRequests.open>[0]) => (
          reached.resolve(undefined), await release.promise, pullRequests.open(input)
        ),
      };
      const runtime = createRuntime({ context: { ...local.ctx, pullRequests: held }, approve: 'auto', pollMs: 10 });
      const run = runtime.run(bucketEvent());
      await reached.promise;
      const stopped = runtime.stop(60_000);
      expect(await runtime.run(bucketEvent())).toMatchObject({ eventId: EVENT_ID, interrupted: 'not started: the runtime is stopping' });
      release.resolve(undefined);
      await stopped;
      expect((await run).results).toEqual([expect.objectContaining({ status: 'pr_opened' })]);
      expect((await ledgerState(w)).finding?.state).toBe('pr_opened');
    } finally {
      await local.close();
    }
  });
});

describe('a rejection of a work item of several findings while no run waits', () => {
  it('is recorded on every finding of the item by the next run', async () => {
    const w = (world = await makeWorld());
    const both = importedEvent(
      ['S3.8', 'S3.4'].map((control) =>
        asffFinding({
          control,
          Id: `arn:aws:securityhub:us-east-1:111122223333:security-control/${control}/finding/item`,
          Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::acme-logs' }],
        }),
      ),
      { id: 'evt-one-resource' },
    );
    const asked = signal<string>();
    const local = await w.open({ approvals: { requestApproval: (r) => (asked.resolve(r.approvalId), Promise.resolve({})) } });
    const runtime = createRuntime({ context: local.ctx, approve: 'wait', pollMs: 10 });
    const run = runtime.run(both);
    const approvalId = await asked.promise;
    await runtime.stop(0);
    await run;
    await local.close();
    await cli(w, 'reject', approvalId);
    const states = async () => {
      const ledger = openSqliteLedger({ path: join(w.state, 'ledger.db') });
      try {
        return (await ledger.list({ limit: 10 })).map((r) => r.state).sort();
      } finally {
        await ledger.close();
      }
    };
    // The request's own finding is rejected at once; the other waited on the same request.
    expect(await states()).toEqual(['awaiting_approval', 'rejected']);

    const next = await cli(w, 'run', eventFile(w), '--approve', 'auto', '--json');
    const report = JSON.parse(next.stdout) as { results: { file: string; status: string }[] };
    expect(report.results.filter((r) => r.file === `approval ${approvalId}`).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await states()).toEqual(['rejected', 'rejected']);
    expect(await w.git('branch', '--list', 'cloudmend/*')).toBe('');
  });
});
