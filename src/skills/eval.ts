/**
 * `cloudmend eval`: skills against labelled vulnerable and compliant files (the format of KICS-
 * derived `cases.json`): detection recall, false positives, and how many fixes verify.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import * as z from 'zod';
import { UsageError, isUserFacing } from '../errors.js';
import { parseSource, type IacKind } from '../iac/source.js';
import type { Validator } from '../iac/validators/result.js';
import { mapLimit } from '../map-limit.js';
import { describeIssues } from '../validation.js';
import { detect } from './engine.js';
import { fixAndVerify } from './fix-and-verify.js';
import { skillsFor } from './registry.js';
import type { Skill, SkillOptions } from './types.js';
import type { Verification } from './verify.js';

const CasesFile = z.object({
  cases: z.array(
    z.object({
      id: z.string().min(1),
      control: z.string().min(1),
      iac: z.enum(['terraform', 'cloudformation']),
      vulnerable: z.array(z.string()).default([]),
      compliant: z.array(z.string()).default([]),
    }),
  ),
});

export interface FileResult {
  readonly caseId: string;
  readonly control: string;
  readonly iac: IacKind;
  readonly file: string;
  readonly label: 'vulnerable' | 'compliant';
  /** Set when the file could not be read or parsed. */
  readonly error?: string | undefined;
  readonly violations: number;
  readonly unpinned: number;
  readonly messages: readonly string[];
  /** For vulnerable files the skills changed: the verification of each skill's fix. */
  readonly fix?: { readonly verifications: readonly Verification[]; readonly verified: boolean } | undefined;
}

export interface ControlSummary {
  readonly control: string;
  readonly iac: IacKind;
  readonly skills: readonly string[];
  readonly vulnerable: number;
  readonly detected: number;
  readonly compliant: number;
  /** Compliant files with a violation (not counting `unpinned` reports). */
  readonly flagged: number;
  readonly unpinnedOnCompliant: number;
  readonly fixed: number;
  readonly verified: number;
  /** Fixed files where the skills still report what they cannot fix (verification `remaining`). */
  readonly partial: number;
  /** Validator runs on fixed files that could run, and how many were clean. */
  readonly validatorRuns: number;
  readonly validatorClean: number;
  /** Validator runs that failed before and after with the same problems (the sample's, not the fix's). */
  readonly validatorUnchanged: number;
  readonly unreadable: number;
}

export interface EvalReport {
  readonly files: readonly FileResult[];
  readonly controls: readonly ControlSummary[];
  /** Controls in the cases without a skill for that IaC kind. */
  readonly uncovered: readonly { readonly control: string; readonly iac: IacKind; readonly files: number }[];
}

export interface EvalOptions {
  readonly options: SkillOptions;
  readonly validators: Readonly<Record<IacKind, Validator | undefined>>;
  /** Called once per file as it completes, for progress output. */
  readonly onFile?: (result: FileResult) => void;
  /** Files evaluated at once (validators run as processes); 1 unless given. The report keeps the cases' order. */
  readonly concurrency?: number | undefined;
}

function loadCases(path: string) {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new UsageError(`cannot read cases file ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  const parsed = CasesFile.safeParse(json);
  if (!parsed.success) throw new UsageError(`${path} is not a cases file: ${describeIssues(parsed.error.issues).join('; ')}`);
  return parsed.data.cases;
}

/** Validators that answer the same files once: a corpus lists a file under several controls, and fixes often match. */
function memoized(validators: EvalOptions['validators']): EvalOptions['validators'] {
  const once = (v: Validator | undefined): Validator | undefined => {
    if (!v) return undefined;
    const seen = new Map<string, ReturnType<Validator['validate']>>();
    return {
      tool: v.tool,
      validate: (files) => {
        const key = JSON.stringify(files.map((f) => [f.path, f.text]));
        const result = seen.get(key) ?? v.validate(files);
        seen.set(key, result);
        return result;
      },
    };
  };
  return { terraform: once(validators.terraform), cloudformation: once(validators.cloudformation) };
}

export async function evaluate(casesPath: string, opts: EvalOptions): Promise<EvalReport> {
  const base = dirname(resolve(casesPath));
  const validators = memoized(opts.validators);
  const uncovered = new Map<string, { control: string; iac: IacKind; files: number }>();
  const skillIds = new Map<string, string[]>();
  const tasks: { head: Omit<FileResult, 'violations' | 'unpinned' | 'messages'>; skills: Skill[] }[] = [];
  for (const c of loadCases(casesPath)) {
    const skills = await skillsFor(c.control, c.iac);
    skillIds.set(
      `${c.control}|${c.iac}`,
      skills.map((s) => s.meta.id),
    );
    if (skills.length === 0) {
      const key = `${c.control}|${c.iac}`;
      const u = uncovered.get(key) ?? { control: c.control, iac: c.iac, files: 0 };
      uncovered.set(key, { ...u, files: u.files + c.vulnerable.length + c.compliant.length });
      continue;
    }
    for (const [label, list] of [
      ['vulnerable', c.vulnerable],
      ['compliant', c.compliant],
    ] as const) {
      for (const rel of list) tasks.push({ head: { caseId: c.id, control: c.control, iac: c.iac, file: rel, label }, skills });
    }
  }
  const files = await mapLimit(tasks, opts.concurrency ?? 1, async ({ head, skills }) => {
    let result: FileResult;
    try {
      const text = readFileSync(resolve(base, head.file), 'utf8');
      const path = basename(head.file);
      const source = await parseSource(head.iac, [{ path, text }]);
      const violations = skills.flatMap((s) => detect(s, source, opts.options).flatMap((d) => d.violations.map((v) => ({ v, s }))));
      const messages = violations.map(({ v, s }) => `${s.meta.id}:${v.messageId}${v.kind === 'unpinned' ? ' (unpinned)' : ''}`);
      let fixResult: FileResult['fix'];
      if (head.label === 'vulnerable') {
        const fixed = await fixAndVerify({
          skills,
          kind: head.iac,
          files: [{ path, text }],
          options: opts.options,
          validator: validators[head.iac],
        });
        const verifications = fixed.status === 'unfixed' ? [] : fixed.steps.map((s) => s.verification);
        if (verifications.length > 0) fixResult = { verifications, verified: fixed.status === 'fixed' };
      }
      result = {
        ...head,
        violations: violations.filter(({ v }) => v.kind === 'violation').length,
        unpinned: violations.filter(({ v }) => v.kind === 'unpinned').length,
        messages,
        fix: fixResult,
      };
    } catch (error) {
      if (!isUserFacing(error) && !(error instanceof Error && 'code' in error)) throw error;
      result = { ...head, error: error instanceof Error ? error.message : String(error), violations: 0, unpinned: 0, messages: [] };
    }
    opts.onFile?.(result);
    return result;
  });
  return { files, controls: summarize(files, skillIds), uncovered: [...uncovered.values()] };
}

/** Per control and IaC kind, over any subset of an evaluation's files (the report splits them by case source). */
export function summarize(files: readonly FileResult[], skillIds: ReadonlyMap<string, readonly string[]>): ControlSummary[] {
  const groups = new Map<string, FileResult[]>();
  for (const f of files) groups.set(`${f.control}|${f.iac}`, [...(groups.get(`${f.control}|${f.iac}`) ?? []), f]);
  return [...groups].map(([key, group]) => {
    const [control = '', iac = 'terraform'] = key.split('|');
    const vulnerable = group.filter((f) => f.label === 'vulnerable');
    const compliant = group.filter((f) => f.label === 'compliant');
    const fixed = vulnerable.filter((f) => f.fix);
    const validatorChecks = fixed.flatMap(
      (f) => f.fix?.verifications.flatMap((v) => v.checks.filter((c) => c.name === 'terraform-validate' || c.name === 'cfn-lint')) ?? [],
    );
    return {
      control,
      iac: iac as IacKind,
      skills: skillIds.get(key) ?? [],
      vulnerable: vulnerable.length,
      detected: vulnerable.filter((f) => f.violations + f.unpinned > 0).length,
      compliant: compliant.length,
      flagged: compliant.filter((f) => f.violations > 0).length,
      unpinnedOnCompliant: compliant.filter((f) => f.violations === 0 && f.unpinned > 0).length,
      fixed: fixed.length,
      verified: fixed.filter((f) => f.fix?.verified).length,
      partial: fixed.filter((f) => f.fix?.verifications.some((v) => v.remaining?.length)).length,
      validatorRuns: validatorChecks.filter((c) => c.status !== 'skipped').length,
      validatorClean: validatorChecks.filter((c) => c.status === 'passed').length,
      validatorUnchanged: validatorChecks.filter((c) => c.status === 'unchanged').length,
      unreadable: group.filter((f) => f.error !== undefined).length,
    };
  });
}

/** The sum of summaries (a totals row). */
export function totalOf(rows: readonly ControlSummary[]): ControlSummary {
  const sum = (k: keyof ControlSummary): number => rows.reduce((a, r) => a + (r[k] as number), 0);
  return {
    control: 'total',
    iac: 'terraform',
    skills: [],
    vulnerable: sum('vulnerable'),
    detected: sum('detected'),
    compliant: sum('compliant'),
    flagged: sum('flagged'),
    unpinnedOnCompliant: sum('unpinnedOnCompliant'),
    fixed: sum('fixed'),
    verified: sum('verified'),
    partial: sum('partial'),
    validatorRuns: sum('validatorRuns'),
    validatorClean: sum('validatorClean'),
    validatorUnchanged: sum('validatorUnchanged'),
    unreadable: sum('unreadable'),
  };
}
