/** `cloudmend eval`: measure the skills on labelled vulnerable and compliant files. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { validatorsFor } from '../iac/validators/index.js';
import { evaluate, totalOf, type ControlSummary, type EvalReport } from '../skills/eval.js';
import { skillOptionsOf } from '../skills/options.js';
import { printable } from '../printable.js';
import type { Io } from './io.js';

const pct = (n: number, d: number): string => (d === 0 ? '-' : `${Math.round((100 * n) / d)}%`);

function table(report: EvalReport): string {
  const head = [
    'control',
    'iac',
    'vuln',
    'detected',
    'recall',
    'compliant',
    'flagged',
    'fp',
    'fixed',
    'verified',
    'partial',
    'validator clean/ran',
    'pre-existing',
  ];
  const line = (r: ControlSummary, iac: string): string[] => [
    r.control,
    iac,
    String(r.vulnerable),
    String(r.detected),
    pct(r.detected, r.vulnerable),
    String(r.compliant),
    String(r.flagged),
    pct(r.flagged, r.compliant),
    String(r.fixed),
    `${r.verified} (${pct(r.verified, r.fixed)})`,
    String(r.partial),
    `${r.validatorClean}/${r.validatorRuns}`,
    String(r.validatorUnchanged),
  ];
  const rows = [head, ...report.controls.map((r) => line(r, r.iac === 'terraform' ? 'tf' : 'cfn')), line(totalOf(report.controls), '')];
  const widths = head.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export async function runEval(options: { cases: string; json?: boolean; config?: string; verbose?: boolean }, io: Io): Promise<number> {
  const { config, baseDir } = loadConfig({ path: options.config, env: io.env, cwd: io.cwd });
  const validators = await validatorsFor(config, io.env, baseDir);
  const report = await evaluate(resolve(io.cwd, options.cases), {
    options: skillOptionsOf(config),
    validators,
    onFile: options.json
      ? undefined
      : (f) => {
          if (!options.verbose && !f.error) return;
          const verdict = f.error
            ? `unreadable: ${f.error}`
            : `${f.messages.join(', ') || 'nothing found'}${f.fix ? ` -> fix ${f.fix.verified ? 'verified' : 'NOT verified'}` : ''}`;
          io.stderr(`${f.label === 'vulnerable' ? 'V' : 'C'} ${f.control} ${printable(f.file)}: ${printable(verdict)}\n`);
        },
  });
  if (options.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else {
    io.stdout(`${table(report)}\n`);
    if (report.uncovered.length)
      io.stdout(`\nnot covered by a skill: ${report.uncovered.map((u) => `${u.control} (${u.iac}, ${u.files} files)`).join(', ')}\n`);
    io.stdout(
      `\nrecall: vulnerable files with a finding; fp: compliant files with a violation (unpinned defaults not counted: ${totalOf(report.controls).unpinnedOnCompliant} files);\nverified: fixes that parse, leave nothing to fix, are idempotent and add no validator problem; partial: verified fixes after which the skill still reports what only a person can fix; validator: ${Object.values(
        validators,
      )
        .map((v) => v.tool)
        .join(', ')}.\n`,
    );
  }
  return 0;
}

export function registerEval(program: Command, io: Io, setExitCode: (code: number) => void): void {
  program
    .command('eval')
    .description(
      'run every skill over labelled vulnerable/compliant IaC files and report recall, false positives and verified fixes per control',
    )
    .requiredOption(
      '--cases <file>',
      'cases JSON: {"cases":[{"id","control","iac","vulnerable":[paths],"compliant":[paths]}]}, paths relative to it',
    )
    .option('-c, --config <file>', 'config file (skill options, validators)')
    .option('--json', 'print the full report as JSON')
    .option('-v, --verbose', 'print one line per file on stderr')
    .action(async (options: { cases: string; json?: boolean; config?: string; verbose?: boolean }) =>
      setExitCode(await runEval(options, io)),
    );
}
