/**
 * `cloudmend smoke --stack <name>`: against a deployed stack, with the caller's AWS credentials.
 * First the read-only prerequisite checks (src/smoke/checks.ts), each printed ok, problem (with its
 * fix) or skipped, secret values never; then, unless `--checks-only` or a check found a problem,
 * the synthetic finding through the deployed pipeline (src/smoke/deployed.ts).
 */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../config/load.js';
import type { Config, RepositoryConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { printable, printableLine } from '../printable.js';
import type { PrerequisiteReport, SmokeCheck } from '../smoke/checks.js';
import type { StackSmokeDeps } from '../smoke/deployed.js';
import { smokeRepository } from '../smoke/plan.js';
import { cliActor } from './ledger-commands.js';
import { smokeSummary } from './smoke-command.js';
import type { Io } from './io.js';

export interface SmokeStackOptions {
  readonly stack?: string;
  readonly region?: string;
  readonly config?: string;
  readonly json?: boolean;
  readonly checksOnly?: boolean;
  readonly repository?: string;
  readonly keep?: boolean;
  /** Minutes to wait for the finding to end. */
  readonly wait?: string;
}

/** The stack name `bin/cloudmend.ts` deploys unless `-c stackName=` says otherwise. */
const DEFAULT_STACK = 'Cloudmend';
const DEFAULT_WAIT_MINUTES = 15;
const POLL_MS = 5_000;

function line(check: SmokeCheck): string {
  const fix = check.fix === undefined ? '' : `\n      fix: ${check.fix}`;
  return printable(`  ${check.status.padEnd(8)} ${check.name}: ${check.detail}${fix}`);
}

/** The repository to test: named, or the only one; the deployed stack writes to GitHub, and the scratch file is Terraform or CloudFormation. */
function chosenRepository(config: Config, name: string | undefined): RepositoryConfig {
  return smokeRepository(
    config.repositories,
    name,
    'the config has no repository to test: the smoke test needs the config the stack was deployed with (--config)',
    (r) =>
      r.provider === 'github' && r.iac !== 'cdk'
        ? undefined
        : `repository ${r.name} is ${r.provider === 'github' ? 'a CDK app' : 'a local repository'}: the smoke test writes its ` +
          'scratch file in Terraform or CloudFormation to a GitHub repository; pick one with --repository',
  );
}

function minutes(value: string | undefined): number {
  if (value === undefined) return DEFAULT_WAIT_MINUTES;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 120) throw new UsageError(`--wait takes minutes, from 1 to 120 (got ${value})`);
  return n;
}

/** Test seams: the clock, the wait between looks, and the run id. */
export interface SmokeStackSeams {
  readonly now?: StackSmokeDeps['now'];
  readonly sleep?: StackSmokeDeps['sleep'];
  readonly runId?: string;
}

/** Runs the checks (and the smoke test unless checks-only); the exit status: 0 passed, 1 a problem or the finding stopped short. */
export async function smokeStack(options: SmokeStackOptions, io: Io, seams: SmokeStackSeams = {}): Promise<number> {
  const region = options.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageError('name the stack’s Region: --region <region>, or AWS_REGION');
  const stackName = options.stack ?? DEFAULT_STACK;
  const { config } = loadConfig({ path: options.config, env: io.env, cwd: io.cwd });
  const timeoutMs = minutes(options.wait) * 60_000;
  const repo = options.checksOnly ? undefined : chosenRepository(config, options.repository);
  const [{ prerequisiteChecks }, { awsSmokeProbes, smokeClients }] = await Promise.all([
    import('../smoke/checks.js'),
    import('../aws/smoke-probes.js'),
  ]);
  const probes = awsSmokeProbes({
    ...smokeClients(region),
    githubBaseUrl: io.env.CLOUDMEND_GITHUB_API_URL,
    slackApiUrl: io.env.CLOUDMEND_SLACK_API_URL,
  });
  const report: PrerequisiteReport = await prerequisiteChecks({ stackName, region, config }, probes);
  const problems = report.checks.filter((c) => c.status === 'problem').length;
  const checksText = [
    printableLine(`prerequisites of stack ${stackName} in ${region}:`),
    ...report.checks.map(line),
    problems === 0 ? 'no problem found' : `${problems} ${problems === 1 ? 'problem' : 'problems'}: fix and run again`,
  ].join('\n');
  const base = { stack: stackName, region, checks: report.checks };
  if (repo === undefined || problems > 0 || report.outputs === undefined) {
    if (options.json) io.stdout(`${printable(JSON.stringify(base, null, 2))}\n`);
    else io.stdout(`${checksText}${repo === undefined ? '' : '\nthe smoke finding was not sent'}\n`);
    return problems === 0 ? 0 : 1;
  }
  if (!options.json) io.stderr(`${checksText}\n`);

  const [{ smokeThroughStack }, { smokeDeployment }] = await Promise.all([
    import('../smoke/deployed.js'),
    import('../aws/smoke-deployment.js'),
  ]);
  const deployment = await smokeDeployment({
    region,
    outputs: report.outputs,
    config,
    githubBaseUrl: io.env.CLOUDMEND_GITHUB_API_URL,
    slackApiUrl: io.env.CLOUDMEND_SLACK_API_URL,
    secretString: (arn) => probes.secretString(arn),
  });
  try {
    const result = await smokeThroughStack(
      { config, repository: repo, outputs: report.outputs, region, keep: options.keep === true, timeoutMs, pollMs: POLL_MS },
      {
        ...deployment,
        runId: seams.runId ?? randomUUID().replace(/-/g, '').slice(0, 12),
        actor: cliActor(undefined),
        now: seams.now ?? (() => new Date()),
        sleep: seams.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
        say: (text) => (options.json ? undefined : io.stderr(`${printable(text)}\n`)),
      },
    );
    io.stdout(options.json ? `${printable(JSON.stringify({ ...base, ...result }, null, 2))}\n` : `${smokeSummary(result)}\n`);
    return result.passed ? 0 : 1;
  } finally {
    await deployment.ledger.close();
  }
}
