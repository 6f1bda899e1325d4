/**
 * The independent check of every fix, whoever wrote it: the result parses, the skill's own detect
 * finds nothing fixable left (and whatever it still reports, which only a person can fix, makes
 * the fix `partial`, never clean), fixing again changes nothing, and the validators that are installed
 * (terraform validate, cfn-lint) raise no problem the original did not have. This is the evidence
 * a pull request carries.
 */
import { isUserFacing } from '../errors.js';
import { parseSource, type IacKind, type Source, type SourceFile } from '../iac/source.js';
import { nonLocalModules } from '../iac/validators/module-sources.js';
import { listProblems } from '../iac/validators/report.js';
import type { Problem, Validator } from '../iac/validators/result.js';
import { detect, fix } from './engine.js';
import { formatMessage, type Skill, type SkillOptions } from './types.js';

/** `partial`: detect-clean only; the skill still reports violations on the resource that it cannot fix. */
export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'unchanged' | 'partial';

export interface Check {
  readonly name:
    | 'parses'
    | 'detect-clean'
    | 'drift-clean'
    | 'idempotent'
    | 'terraform-validate'
    | 'cfn-lint'
    | 'guardrail'
    /** A CDK app: the patched app synthesizes, its stacks have no new violation, its templates change only under the fixed constructs. */
    | 'synthesizes'
    | 'stack-clean'
    | 'template-scope';
  /** `unchanged`: the validator already failed before the fix, with the same problems. */
  readonly status: CheckStatus;
  readonly detail: string;
}

export interface Verification {
  /** No check failed (skipped and unchanged checks do not fail a fix). */
  readonly passed: boolean;
  readonly checks: readonly Check[];
  /**
   * What the skill still reports on the resource after the fix and cannot fix itself (a parameter's
   * default, a variable without default...), one sentence each: the fix is partial. Absent or empty: clean.
   */
  readonly remaining?: readonly string[] | undefined;
}

export interface VerifyInput {
  readonly skill: Skill;
  readonly kind: IacKind;
  readonly before: readonly SourceFile[];
  readonly after: readonly SourceFile[];
  readonly options: SkillOptions;
  readonly focus?: string | undefined;
  /** The validator for this kind of IaC; none leaves the check to the caller (the workflow runs it in the sandbox). */
  readonly validator?: Validator | undefined;
}

function newProblems(before: readonly Problem[], after: readonly Problem[]): Problem[] {
  const remaining = before.map((p) => p.key);
  return after.filter((p) => {
    const i = remaining.indexOf(p.key);
    if (i < 0) return true;
    remaining.splice(i, 1);
    return false;
  });
}

/**
 * The validator's verdict on `after`, counting only problems `before` did not already have. A
 * module source the validator refused to fetch fails the check when the patch added it, and skips
 * it when the code already had it (the repository uses registry modules).
 */
export async function validatorCheck(
  validator: Validator | undefined,
  input: Pick<VerifyInput, 'kind' | 'before' | 'after'>,
): Promise<Check> {
  const name = input.kind === 'terraform' ? 'terraform-validate' : 'cfn-lint';
  if (!validator) return { name, status: 'skipped', detail: 'no validator configured' };
  const after = await validator.validate(input.after);
  if (after.refused?.length) {
    let had: string[];
    try {
      had = await nonLocalModules(input.before);
    } catch {
      had = [];
    }
    const added = after.refused.filter((r) => !had.includes(r));
    return added.length === 0
      ? { name, status: 'skipped', detail: after.detail }
      : {
          name,
          status: 'failed',
          detail: `the patch adds ${added.join(', ')}: only local module sources (./ or ../) are validated, nothing is fetched`,
        };
  }
  if (after.status !== 'failed') return { name, status: after.status, detail: after.detail };
  const before = await validator.validate(input.before);
  const added = before.status === 'failed' ? newProblems(before.problems, after.problems) : after.problems;
  return added.length === 0
    ? {
        name,
        status: 'unchanged',
        detail: `${after.problems.length} problem(s) already there before the fix: ${listProblems(after.problems.slice(0, 3))}`,
      }
    : { name, status: 'failed', detail: `the fix introduced: ${listProblems(added)}` };
}

/**
 * The `parses` check of patched files, and their source when they parse: the first check of every
 * patch cloudmend judges (a skill's, the model's, a drift codify patch).
 */
export async function parsesCheck(kind: IacKind, files: readonly SourceFile[]): Promise<{ check: Check; source?: Source }> {
  try {
    const source = await parseSource(kind, files);
    return {
      check: { name: 'parses', status: 'passed', detail: kind === 'terraform' ? 'HCL parses (hcl2json)' : 'YAML/JSON parses' },
      source,
    };
  } catch (error) {
    if (!isUserFacing(error)) throw error;
    return { check: { name: 'parses', status: 'failed', detail: error.message } };
  }
}

/**
 * The `detect-clean` check on patched code: failed while `skills` still find something they can
 * fix on `focus`, partial while they report only what a person must decide (`remaining`).
 */
export function detectCleanCheck(
  skills: readonly Skill[],
  source: Source,
  options: SkillOptions,
  focus: string | undefined,
): { readonly check: Check; readonly remaining: readonly string[] } {
  const found = skills.flatMap((skill) => detect(skill, source, options, focus).flatMap((d) => d.violations.map((v) => ({ skill, v }))));
  const left = found
    .filter(({ v }) => v.fixable)
    .map(({ skill, v }) => (skills.length > 1 ? `${skill.meta.id}: ${v.messageId}` : v.messageId));
  const remaining = [
    ...new Set(found.filter(({ v }) => !v.fixable && v.kind === 'violation').map(({ skill, v }) => formatMessage(skill.meta, v))),
  ];
  const ids = skills.map((s) => s.meta.id).join(', ');
  const where = focus === undefined ? '' : ` on ${focus}`;
  const check: Check =
    left.length > 0
      ? { name: 'detect-clean', status: 'failed', detail: `${ids} still finds ${left.join(', ')}${where}` }
      : remaining.length > 0
        ? {
            name: 'detect-clean',
            status: 'partial',
            detail: `partial: ${remaining.length} violation(s) remain that ${ids} cannot fix, only a person can decide: ${remaining.join(' ')}`,
          }
        : { name: 'detect-clean', status: 'passed', detail: `${ids} finds nothing left to fix${where}` };
  return { check, remaining };
}

export async function verifyFix(input: VerifyInput): Promise<Verification> {
  const { check: parses, source: parsed } = await parsesCheck(input.kind, input.after);
  if (!parsed) return { passed: false, checks: [parses], remaining: [] };
  const { check: clean, remaining } = detectCleanCheck([input.skill], parsed, input.options, input.focus);
  const checks: Check[] = [parses, clean];
  const again = await fix(input.skill, input.kind, input.after, input.options, input.focus);
  checks.push(
    again.files.size === 0
      ? { name: 'idempotent', status: 'passed', detail: 'fixing again changes nothing' }
      : { name: 'idempotent', status: 'failed', detail: 'fixing again would change the files' },
  );
  if (input.validator) checks.push(await validatorCheck(input.validator, input));
  return { passed: checks.every((c) => c.status !== 'failed'), checks, remaining };
}
