/** `cloudmend smoke`: one synthetic, clearly labelled finding through the whole pipeline, to show it works end to end. */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { printable, printableLine } from '../printable.js';
import type { Io } from './io.js';
import type { SmokeReport } from '../smoke/verdict.js';
import type { SmokeLocalOptions } from './smoke-local.js';
import type { SmokeStackOptions } from './smoke-stack.js';

/** The report's last lines: passed or not, where it stopped, and what it left (the same words locally and against a stack). */
export function smokeSummary(r: SmokeReport): string {
  const where = r.kept
    ? `branches kept: ${[r.branches.scratch, r.branches.pullRequest].filter(Boolean).join(', ')}`
    : 'its branches deleted';
  const kept = r.fingerprint === null ? '' : `; the ledger keeps it as ${r.fingerprint.slice(0, 8)}`;
  return [
    `smoke test ${r.runId} (not a real finding${kept}): ${r.passed ? 'passed' : 'FAILED'}`,
    `stopped at ${r.state}: ${r.reason}`,
    ...(r.pullRequestUrl ? [`pull request: ${r.pullRequestUrl}`] : []),
    ...(r.execution ? [`execution: ${r.execution.consoleUrl}`] : []),
    `${r.repository}: ${where}`,
  ]
    .map(printableLine)
    .join('\n');
}

export function registerSmoke(program: Command, io: Io, setExitCode: (code: number) => void): void {
  program
    .command('smoke')
    .description(
      'run one synthetic, clearly labelled finding through the pipeline: its pull request touches only a scratch file on a branch of its own',
    )
    .option('--local', 'run it through the local runtime (offline), in a local git repository, instead of the deployed stack')
    .option('--stack <name>', 'the deployed stack, with your AWS credentials (default: Cloudmend)')
    .option('--region <region>', 'the stack’s Region (default: AWS_REGION)')
    .option('--checks-only', 'against a deployed stack: only check its prerequisites (read-only), send nothing')
    .option('--wait <minutes>', 'against a deployed stack: how long to wait for the finding to end (default: 15)')
    .option('-c, --config <file>', 'config file (default: $CLOUDMEND_CONFIG, else ./cloudmend.config.yaml)')
    .option('--state <dir>', 'where the ledger and patches live (default: the ledger path of the config, .cloudmend/)')
    .option('--repo <[name=]path>', 'the git repository to use (repeatable), as for cloudmend run', (v: string, all: string[] = []) => [
      ...all,
      v,
    ])
    .option('--repository <name>', 'the configured repository to test (default: the only one)')
    .option('--keep', 'leave the scratch branch and the pull request branch in place')
    .option('--json', 'print the report as JSON instead of progress and a summary')
    .addHelpText(
      'after',
      '\nExit status: 0 it reached pr_opened (or the approval request, which it rejects) or, with --checks-only, no check found a problem;' +
        ' 1 it stopped elsewhere or a check found one; 2 usage.',
    )
    .action(async (options: SmokeLocalOptions & SmokeStackOptions & { local?: boolean }) => {
      const stackOnly = (['stack', 'region', 'checksOnly', 'wait'] as const).filter((key) => options[key] !== undefined);
      const localOnly = (['state', 'repo'] as const).filter((key) => options[key] !== undefined);
      const flag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      if (options.local && stackOnly.length > 0)
        throw new UsageError(
          `${stackOnly.map(flag).join(', ')} ${stackOnly.length === 1 ? 'is' : 'are'} for a deployed stack, not --local`,
        );
      if (!options.local && localOnly.length > 0)
        throw new UsageError(
          `${localOnly.map(flag).join(', ')} ${localOnly.length === 1 ? 'is' : 'are'} for --local, not a deployed stack`,
        );
      if (!options.local) {
        const { smokeStack } = await import('./smoke-stack.js');
        setExitCode(await smokeStack(options, io));
        return;
      }
      const { smokeLocal } = await import('./smoke-local.js');
      const report = await smokeLocal(options, io);
      io.stdout(options.json ? `${printable(JSON.stringify(report, null, 2))}\n` : `${smokeSummary(report)}\n`);
      setExitCode(report.passed ? 0 : 1);
    });
}
