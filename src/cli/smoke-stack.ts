/**
 * `cloudmend smoke --stack <name> --checks-only`: the read-only prerequisite checks against a
 * deployed stack, with the caller's AWS credentials (src/smoke/checks.ts). Each check prints ok,
 * problem (with its fix) or skipped; secret values never do.
 */
import { loadConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { printable, printableLine } from '../printable.js';
import type { PrerequisiteReport, SmokeCheck } from '../smoke/checks.js';
import type { Io } from './io.js';

export interface SmokeStackOptions {
  readonly stack?: string;
  readonly region?: string;
  readonly config?: string;
  readonly json?: boolean;
}

/** The stack name `bin/cloudmend.ts` deploys unless `-c stackName=` says otherwise. */
const DEFAULT_STACK = 'Cloudmend';

function line(check: SmokeCheck): string {
  const fix = check.fix === undefined ? '' : `\n      fix: ${check.fix}`;
  return printable(`  ${check.status.padEnd(8)} ${check.name}: ${check.detail}${fix}`);
}

/** Runs the checks and prints them; the exit status: 0 when no check found a problem, 1 otherwise. */
export async function smokeStackChecks(options: SmokeStackOptions, io: Io): Promise<number> {
  const region = options.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageError('name the stack’s Region: --region <region>, or AWS_REGION');
  const stackName = options.stack ?? DEFAULT_STACK;
  const { config } = loadConfig({ path: options.config, env: io.env, cwd: io.cwd });
  const [{ prerequisiteChecks }, { awsSmokeProbes, smokeClients }] = await Promise.all([
    import('../smoke/checks.js'),
    import('../aws/smoke-probes.js'),
  ]);
  const probes = awsSmokeProbes({ ...smokeClients(region), slackApiUrl: io.env.CLOUDMEND_SLACK_API_URL });
  const report: PrerequisiteReport = await prerequisiteChecks({ stackName, region, config }, probes);
  const problems = report.checks.filter((c) => c.status === 'problem').length;
  if (options.json) io.stdout(`${printable(JSON.stringify({ stack: stackName, region, checks: report.checks }, null, 2))}\n`);
  else
    io.stdout(
      [
        printableLine(`prerequisites of stack ${stackName} in ${region}:`),
        ...report.checks.map(line),
        problems === 0 ? 'no problem found' : `${problems} ${problems === 1 ? 'problem' : 'problems'}: fix and run again`,
      ].join('\n') + '\n',
    );
  return problems === 0 ? 0 : 1;
}
