/**
 * `cloudmend smoke --local`: the synthetic finding through the local runtime `run` uses, with the
 * config unchanged, as a deployed stack runs it. Its scratch file goes on a branch of its own; the
 * run is recorded in the ledger first, which is what makes the workflow base the fix on that branch
 * (src/workflow/smoke-base.ts; the event never chooses a branch), so the pull request touches only
 * the scratch file. Its branches are deleted at the end unless kept.
 */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../config/load.js';
import type { RepositoryConfig } from '../config/schema.js';
import { isUserFacing, UsageError } from '../errors.js';
import type { SmokeRun } from '../ledger/port.js';
import { createRuntime } from '../local/runtime.js';
import { openLocal, repositoriesOf } from '../local/setup.js';
import { GitRepository } from '../scm/git.js';
import type { BranchOwner } from '../scm/port.js';
import type { FindingOutcome } from '../workflow/types.js';
import { SMOKE_LABEL, SMOKE_RUN_TTL_MS, smokeFinding } from '../smoke/finding.js';
import { plannedFinding, smokeRepository } from '../smoke/plan.js';
import { smokeVerdict, type SmokeReport, type SmokeVerdict } from '../smoke/verdict.js';
import type { Io } from './io.js';
import { cliActor } from './ledger-commands.js';
import { progress, terminalNotifier } from './run-events.js';

export interface SmokeLocalOptions {
  readonly config?: string;
  readonly state?: string;
  readonly repo?: string[];
  /** The configured repository to test; the only one when there is one. */
  readonly repository?: string;
  readonly keep?: boolean;
  readonly json?: boolean;
}

/** The repository to test: named, or the only one; it must be a local Terraform or CloudFormation repository with its default branch. */
async function chosenRepository(repositories: readonly RepositoryConfig[], name: string | undefined): Promise<RepositoryConfig> {
  const repo = smokeRepository(
    repositories,
    name,
    'no repository to test: add one under repositories: in the config, or pass --repo <path to a git repository>',
    (r) =>
      r.provider === 'local' && r.iac !== 'cdk'
        ? undefined
        : `repository ${r.name} is ${r.provider === 'local' ? 'a CDK app' : 'on GitHub'}: cloudmend smoke --local writes its scratch file ` +
          `in Terraform or CloudFormation into a local git repository; pick one with --repository, or pass --repo ${r.name}=<path>`,
  );
  let head: string | undefined;
  try {
    head = await GitRepository.at(repo.location, repo.name).branchHead(repo.defaultBranch);
  } catch (error) {
    if (!isUserFacing(error)) throw error;
    throw new UsageError(
      `repository ${repo.name}: ${repo.location} is not a git repository (${error.message}); fix its location, or pass --repo ${repo.name}=<path>`,
    );
  }
  if (head === undefined)
    throw new UsageError(
      `repository ${repo.name} has no default branch ${repo.defaultBranch}: commit to it first, or set defaultBranch in the config`,
    );
  return repo;
}

/** Runs the smoke test; progress goes to stderr (unless `json`), the report is returned. */
export async function smokeLocal(options: SmokeLocalOptions, io: Io): Promise<SmokeReport> {
  const loaded = loadConfig({ path: options.config, env: io.env, cwd: io.cwd });
  const repositories = await repositoriesOf({ config: loaded.config, configDir: loaded.baseDir, cwd: io.cwd, repos: options.repo });
  const repo = await chosenRepository(repositories, options.repository);
  const runId = randomUUID().replace(/-/g, '').slice(0, 12);
  const startedAt = new Date();
  const smoke = smokeFinding(runId, repo, startedAt);
  const planned = plannedFinding(smoke, { ...loaded.config, repositories }, repo.name);
  if ('problem' in planned)
    return {
      smoke: true,
      runId,
      repository: repo.name,
      passed: false,
      state: 'not_sent',
      reason: planned.problem,
      branches: { scratch: smoke.branch, pullRequest: null },
      fingerprint: null,
      kept: options.keep === true,
    };
  const say = (line: string): void => (options.json ? undefined : io.stderr(`${line}\n`));
  const local = await openLocal({
    config: loaded.config,
    configDir: loaded.baseDir,
    cwd: io.cwd,
    stateDir: options.state,
    repos: options.repo,
    env: io.env,
    approvals: terminalNotifier(io, 'reject'),
    runId: `smoke-${runId}`,
  });
  const scratchOwner: BranchOwner = { kind: 'batch', id: `smoke-${runId}` };
  let verdict: SmokeVerdict = smokeVerdict(undefined);
  let outcome: FindingOutcome | undefined;
  const { pullRequests } = local.ctx;
  try {
    const run: SmokeRun = {
      runId,
      repository: repo.name,
      by: cliActor(undefined),
      startedAt,
      expiresAt: new Date(startedAt.getTime() + SMOKE_RUN_TTL_MS),
    };
    await local.ctx.ledger.recordSmokeRun(run);
    await pullRequests.open({
      repository: repo.name,
      branch: smoke.branch,
      owner: scratchOwner,
      base: repo.defaultBranch,
      title: SMOKE_LABEL,
      body: SMOKE_LABEL,
      commitMessage: `${SMOKE_LABEL}: scratch file of run ${runId}`,
      files: [smoke.file],
    });
    say(`smoke test ${runId}: ${smoke.file.path} on branch ${smoke.branch} of ${repo.name} (${repo.defaultBranch} untouched)`);
    const runtime = createRuntime({ context: local.ctx, approve: 'reject', onStep: options.json ? undefined : progress(io) });
    const out = await runtime.run(smoke.event);
    outcome = out.results[0];
    verdict = smokeVerdict(outcome, out.error);
  } finally {
    // Also when the run threw: the smoke test leaves no branch behind unless asked to.
    try {
      if (!options.keep) {
        const reason = 'smoke test over';
        if (outcome?.branch)
          await pullRequests.retire({
            repository: repo.name,
            branch: outcome.branch,
            owner: { kind: 'finding', id: outcome.fingerprint },
            reason,
          });
        await pullRequests.retire({ repository: repo.name, branch: smoke.branch, owner: scratchOwner, reason });
      }
    } finally {
      await local.close();
    }
  }
  return {
    smoke: true,
    runId,
    repository: repo.name,
    ...verdict,
    branches: { scratch: smoke.branch, pullRequest: outcome?.branch ?? null },
    fingerprint: outcome?.fingerprint ?? null,
    kept: options.keep === true,
  };
}
