/**
 * `cloudmend guard [--repo <path>] [--base <rev>] [--head <rev>] [--json] [--allow-replacement]`:
 * the guardrail's rule families over the change between two revisions of any repository, for use
 * as a CI check on pull requests, whoever (or whatever) wrote them. Exit 0: it passes; 1: refused,
 * every reason listed with its file and line; 2: bad input (not a repository, an unknown revision).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { guardChange, type GuardReport } from '../guardrails/guard.js';
import { printable } from '../printable.js';
import { GitRepository } from '../scm/git.js';
import { changedPaths, revisionAt } from '../scm/revision-files.js';
import type { Io } from './io.js';

export interface GuardOptions {
  readonly repo?: string | undefined;
  readonly base: string;
  readonly head: string;
  readonly json?: boolean | undefined;
  readonly allowReplacement?: boolean | undefined;
}

function text(report: GuardReport, base: string, head: string): string {
  const judged = report.units.map((u) =>
    u.kind === 'terraform' ? `Terraform module ${u.name === '' ? '.' : u.name}` : `template ${u.name}`,
  );
  const lines = [
    `cloudmend guard: ${base.slice(0, 12)}..${head.slice(0, 12)}: ${judged.length === 0 ? 'no Terraform or CloudFormation change' : `judged ${judged.join(', ')}`}`,
  ];
  if (report.notJudged.length > 0) lines.push(`not judged (neither Terraform nor CloudFormation): ${report.notJudged.join(', ')}`);
  for (const v of report.violations) lines.push(`${v.message} [${v.rule}${v.needsApproval ? ', needs an approver' : ''}]`);
  const count = report.violations.length;
  lines.push(
    report.passed
      ? count === 0
        ? 'passed'
        : `passed: ${count} replacement${count === 1 ? '' : 's'} accepted (--allow-replacement)`
      : `refused: ${count} problem${count === 1 ? '' : 's'}`,
  );
  return `${lines.join('\n')}\n`;
}

/** Runs the guard; returns the exit code. */
export async function runGuard(options: GuardOptions, io: Io): Promise<number> {
  const path = resolve(io.cwd, options.repo ?? '.');
  const repo = GitRepository.at(path, options.repo ?? '.');
  const [base, head] = await Promise.all([revisionAt(repo, options.base), revisionAt(repo, options.head)]);
  const report = await guardChange(await changedPaths(repo, base.commit, head.commit), base, head, {
    allowReplacement: options.allowReplacement,
  });
  if (options.json) io.stdout(`${printable(JSON.stringify({ base: base.commit, head: head.commit, ...report }, null, 2))}\n`);
  else io.stdout(printable(text(report, base.commit, head.commit)));
  return report.passed ? 0 : 1;
}

export function registerGuard(cli: Command, io: Io, setExitCode: (code: number) => void): void {
  cli
    .command('guard')
    .description('judge the change between two revisions of a repository with the guardrail (exit 0 passes, 1 refused, 2 bad input)')
    .option('--repo <path>', 'the repository (a working tree or a bare repository)', '.')
    .option('--base <rev>', 'the revision the change starts from (a pull request checkout: HEAD~1)', 'HEAD~1')
    .option('--head <rev>', 'the revision with the change', 'HEAD')
    .option('--json', 'the verdict as JSON')
    .option('--allow-replacement', 'let changes that replace a resource pass (they are still listed)')
    .action(async (options: GuardOptions) => setExitCode(await runGuard(options, io)));
}
