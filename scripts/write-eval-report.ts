/**
 * Runs `cloudmend eval` on eval/cases.json (validators as the command builds them) and writes
 * docs/eval.md: per control and IaC kind, external (KICS, Checkov) and own (skill) cases, recall, compliant
 * files flagged, fixes, verified and partial fixes, validator problems the fixes introduced.
 * Run: CLOUDMEND_TERRAFORM_PLUGIN_DIR=/opt/tf-plugins npx tsx scripts/write-eval-report.ts [cases.json [report.md]]
 * (EVAL_CONCURRENCY: files at once, 3 unless set).
 * The page holds no times or dates, so the same skills and corpus write the same page.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../src/config/load.js';
import { validatorsFor } from '../src/iac/validators/index.js';
import type { Validator } from '../src/iac/validators/result.js';
import { evaluate, summarize, totalOf, type ControlSummary, type EvalReport, type FileResult } from '../src/skills/eval.js';
import { skillOptionsOf } from '../src/skills/options.js';
import { IAC_KINDS, type IacKind } from '../src/skills/types.js';
import { CASES_FILE, EVAL_DIR } from './eval-cases.js';

/** Files at once: validators are processes (terraform, cfn-lint), so a few overlap well even on two cores. */
const CONCURRENCY = Number(process.env.EVAL_CONCURRENCY ?? 3);
const REPORT_FILE = resolve(import.meta.dirname, '../docs/eval.md');
const CONFIG_FILE = join(EVAL_DIR, 'cloudmend.config.yaml');

/** The least busy of equal validators. */
function pool(members: readonly Validator[]): Validator {
  const busy = members.map(() => 0);
  return {
    tool: members[0]!.tool,
    validate: async (files) => {
      const i = busy.indexOf(Math.min(...busy));
      busy[i] = (busy[i] ?? 0) + 1;
      try {
        return await members[i]!.validate(files);
      } finally {
        busy[i] = (busy[i] ?? 1) - 1;
      }
    },
  };
}

type Source = 'external' | 'own';
const sourceOf = (f: FileResult): Source => (f.caseId.startsWith('skill/') ? 'own' : 'external');
const pct = (n: number, d: number): string => (d === 0 ? '–' : `${Math.round((100 * n) / d)}%`);
const introduced = (r: ControlSummary): number => r.validatorRuns - r.validatorClean - r.validatorUnchanged;
const key = (r: Pick<ControlSummary, 'control' | 'iac'>): string => `${r.control}|${r.iac}`;

/** One row per control and IaC kind, with the files of each source summarized apart. */
function rowsOf(report: EvalReport) {
  const skillIds = new Map(report.controls.map((r) => [key(r), r.skills]));
  const bySource = (source: Source) =>
    new Map(
      summarize(
        report.files.filter((f) => sourceOf(f) === source),
        skillIds,
      ).map((r) => [key(r), r]),
    );
  const external = bySource('external');
  const own = bySource('own');
  const naturally = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });
  return [...report.controls]
    .sort((a, b) => naturally(a.control, b.control) || naturally(a.iac, b.iac))
    .map((all) => ({ all, external: external.get(key(all)), own: own.get(key(all)) }));
}

const cell = (r: ControlSummary | undefined, f: (r: ControlSummary) => string): string => (r ? f(r) : '–');
const recall = (r: ControlSummary | undefined): string =>
  cell(r, (x) => `${x.detected}/${x.vulnerable} (${pct(x.detected, x.vulnerable)})`);

function table(rows: ReturnType<typeof rowsOf>): string[] {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const ext = rows.flatMap((r) => (r.external ? [r.external] : []));
  const own = rows.flatMap((r) => (r.own ? [r.own] : []));
  const row = (
    label: string,
    iac: string,
    skills: string,
    all: ControlSummary,
    external: ControlSummary | undefined,
    mine: ControlSummary | undefined,
  ) =>
    line([
      label,
      iac,
      skills,
      `${external?.vulnerable ?? 0} / ${mine?.vulnerable ?? 0}`,
      `${external?.compliant ?? 0} / ${mine?.compliant ?? 0}`,
      recall(external),
      recall(mine),
      `${cell(external, (x) => String(x.flagged))} / ${cell(mine, (x) => String(x.flagged))}`,
      String(all.fixed),
      `${all.verified} (${pct(all.verified, all.fixed)})`,
      String(all.partial),
      `${introduced(all)} of ${all.validatorRuns}`,
      String(all.validatorUnchanged),
    ]);
  return [
    line([
      'control',
      'IaC',
      'skills',
      'vulnerable files (external / own)',
      'compliant files (external / own)',
      'recall external',
      'recall own',
      'compliant flagged (external / own)',
      'fixed',
      'verified',
      'partial',
      'validator problems introduced',
      'pre-existing',
    ]),
    line(Array.from({ length: 13 }, () => '---')),
    ...rows.map((r) => row(r.all.control, r.all.iac === 'terraform' ? 'tf' : 'cfn', r.all.skills.join(', '), r.all, r.external, r.own)),
    row('**total**', '', '', totalOf(rows.map((r) => r.all)), totalOf(ext), totalOf(own)),
  ];
}

/** Files where the skills and the label disagree, so each can be read and judged. */
function disagreements(report: EvalReport): string[] {
  const missed = report.files.filter((f) => !f.error && f.label === 'vulnerable' && f.violations + f.unpinned === 0);
  const flagged = report.files.filter((f) => !f.error && f.label === 'compliant' && f.violations > 0);
  const unverified = report.files.filter((f) => f.fix && !f.fix.verified);
  const unreadable = report.files.filter((f) => f.error);
  const item = (f: FileResult, what: string): string => `- ${f.control} ${f.iac}: \`${f.file}\`${what ? ` — ${what}` : ''}`;
  const failedChecks = (f: FileResult): string =>
    (f.fix?.verifications ?? [])
      .flatMap((v) => v.checks.filter((c) => c.status === 'failed').map((c) => `${c.name}: ${c.detail}`))
      .join('; ')
      .replace(/\s+/g, ' ')
      .slice(0, 300);
  const section = (title: string, items: string[]): string[] => (items.length ? ['', `### ${title} (${items.length})`, '', ...items] : []);
  return [
    ...section(
      'Vulnerable files nothing was found in',
      missed.map((f) => item(f, '')),
    ),
    ...section(
      'Compliant files flagged',
      flagged.map((f) => item(f, f.messages.join(', '))),
    ),
    ...section(
      'Fixes not verified',
      unverified.map((f) => item(f, failedChecks(f))),
    ),
    ...section(
      'Unreadable files',
      unreadable.map((f) => item(f, f.error ?? '')),
    ),
  ];
}

function page(report: EvalReport, validators: string): string {
  const rows = rowsOf(report);
  const all = totalOf(rows.map((r) => r.all));
  const files = (source: Source, label: FileResult['label']) =>
    report.files.filter((f) => sourceOf(f) === source && f.label === label).length;
  return [
    '# `cloudmend eval`: every claimed control on labelled files',
    '',
    '<!-- Generated by scripts/write-eval-report.ts; do not edit. -->',
    '',
    'Every skill runs over labelled vulnerable and compliant Terraform and CloudFormation files (`eval/cases.json`):',
    '**external** files are KICS and Checkov test samples (Apache-2.0) whose rule tests the same thing as the control',
    "(`eval/kics-map.json`, `eval/checkov-map.json`, rules in `eval/corpus/README.md`); **own** files are the skills' cases",
    '(`src/skills/<id>/cases`: `*.input.*` and `*.manual.*` vulnerable, `*.valid.*` compliant), counted for each control the skill claims.',
    '',
    `Files: external ${files('external', 'vulnerable')} vulnerable, ${files('external', 'compliant')} compliant; own ${files('own', 'vulnerable')} vulnerable, ${files('own', 'compliant')} compliant.`,
    `Totals: recall ${all.detected}/${all.vulnerable} (${pct(all.detected, all.vulnerable)}), compliant files flagged ${all.flagged}/${all.compliant}, fixes verified ${all.verified}/${all.fixed}, validator problems introduced ${introduced(all)} in ${all.validatorRuns} runs.`,
    `Skill options: \`eval/cloudmend.config.yaml\`. Validators: ${validators}.`,
    '',
    '- recall: vulnerable files where the skills report a violation or an unpinned default.',
    '- compliant flagged: compliant files with a violation (unpinned defaults not counted).',
    '- fixed: vulnerable files the skills changed; verified: the fix parses, leaves nothing to fix, is idempotent and adds no validator problem;',
    '  partial: verified fixes after which the skill still reports what only a person can fix (a suggestion-only skill fixes nothing).',
    '- validator problems introduced: terraform validate / cfn-lint problems present after the fix and not before (of the runs that could run);',
    '  pre-existing: runs where the sample had problems before and after, unchanged by the fix.',
    '- A skill claiming several controls (s3-public-access-controls: S3.2 and S3.3) is counted for each with all its findings: a file compliant for one',
    '  control and not the other (a `PublicRead` ACL for S3.3) counts as flagged.',
    '',
    '## Per control',
    '',
    ...table(rows),
    ...(report.uncovered.length
      ? [
          '',
          '## Cases waiting for a skill',
          '',
          ...[...report.uncovered]
            .sort((a, b) => a.control.localeCompare(b.control, 'en', { numeric: true }) || a.iac.localeCompare(b.iac))
            .map((u) => `- ${u.control} ${u.iac}: ${u.files} files`),
        ]
      : []),
    '',
    '## Disagreements',
    '',
    'Each is a file to read: a miss or a false positive of the skill, or a label that does not hold for the control as AWS defines it',
    '(then narrow the mapping in `eval/kics-map.json` or `eval/checkov-map.json`).',
    ...disagreements(report),
    '',
    '## Regenerate',
    '',
    '```sh',
    'npx tsx scripts/write-eval-cases.ts                                          # eval/cases.json from the map and the skills',
    'CLOUDMEND_TERRAFORM_PLUGIN_DIR=/opt/tf-plugins npx tsx scripts/write-eval-report.ts   # this page',
    'CLOUDMEND_TERRAFORM_PLUGIN_DIR=/opt/tf-plugins npx cloudmend eval --cases eval/cases.json --config eval/cloudmend.config.yaml --verbose',
    '```',
    '',
  ].join('\n');
}

const started = Date.now();
const { config, baseDir } = loadConfig({ path: CONFIG_FILE, env: process.env });
// One validator set per file at once: each terraform validator keeps one initialised copy and runs one validation at a time.
const sets = await Promise.all(Array.from({ length: CONCURRENCY }, () => validatorsFor(config, process.env, baseDir)));
const validators = Object.fromEntries(IAC_KINDS.map((kind) => [kind, pool(sets.map((set) => set[kind]))])) as Record<IacKind, Validator>;
let done = 0;
const [casesFile = CASES_FILE, reportFile = REPORT_FILE] = process.argv.slice(2);
const report = await evaluate(casesFile, {
  options: skillOptionsOf(config),
  validators,
  concurrency: CONCURRENCY,
  onFile: (f) => {
    done += 1;
    if (done % 50 === 0) process.stderr.write(`${done} files, ${Math.round((Date.now() - started) / 1000)} s (${f.control} ${f.iac})\n`);
  },
});
/** Why a validator run was skipped, without the names that differ from file to file (a module's). */
function skipReason(detail: string): string {
  return /is not a local path, and the validator fetches nothing$/.test(detail)
    ? 'the file calls a registry module, which the validator never fetches'
    : detail;
}

/** Each validator and whether it ran: skipped runs (absent tool, no provider mirror, registry modules) counted by reason. */
function validatorsRun(report: EvalReport): string {
  const checks = report.files.flatMap((f) => f.fix?.verifications.flatMap((v) => v.checks) ?? []);
  return Object.values(validators)
    .map((v) => {
      const mine = checks.filter((c) => c.name === v.tool);
      const reasons = new Map<string, number>();
      for (const c of mine.filter((c) => c.status === 'skipped')) {
        const reason = skipReason(c.detail);
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
      const skipped = [...reasons].map(([reason, n]) => `${n} skipped: ${reason}`);
      return `${v.tool} (${[`${mine.length - [...reasons.values()].reduce((a, b) => a + b, 0)} runs`, ...skipped].join('; ')})`;
    })
    .join(', ');
}
writeFileSync(reportFile, page(report, validatorsRun(report)));
process.stderr.write(`wrote ${reportFile}: ${report.files.length} files in ${Math.round((Date.now() - started) / 1000)} s\n`);
