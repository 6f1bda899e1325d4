/**
 * The independent check of every fix, whoever wrote it: the result parses, the skill's own detect
 * finds nothing fixable left (and whatever it still reports, which only a person can fix, makes
 * the fix `partial`, never clean), fixing again changes nothing, and the validators that are installed
 * (terraform validate, cfn-lint) raise no problem the original did not have. This is the evidence
 * a pull request carries.
 */
import { isUserFacing } from '../errors.js';
import { parseSource, type IacKind, type SourceFile } from '../iac/source.js';
import { nonLocalModules } from '../iac/validators/module-sources.js';
import { listProblems } from '../iac/validators/report.js';
import type { Problem, Validator } from '../iac/validators/result.js';
import { detect, fix } from './engine.js';
import { formatMessage, type Skill, type SkillOptions } from './types.js';

/** `partial`: detect-clean only; the skill still reports violations on the resource that it cannot fix. */
export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'unchanged' | 'partial';

export interface Check {
  readonly name: 'parses' | 'detect-clean' | 'drift-clean' | 'idempotent' | 'terraform-validate' | 'cfn-lint' | 'guardrail';
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

export async function verifyFix(input: VerifyInput): Promise<Verification> {
  const checks: Check[] = [];
  let parsed;
  try {
    parsed = await parseSource(input.kind, input.after);
    checks.push({ name: 'parses', status: 'passed', detail: input.kind === 'terraform' ? 'HCL parses (hcl2json)' : 'YAML/JSON parses' });
  } catch (error) {
    if (!isUserFacing(error)) throw error;
    checks.push({ name: 'parses', status: 'failed', detail: error.message });
    return { passed: false, checks, remaining: [] };
  }
  const found = detect(input.skill, parsed, input.options, input.focus).flatMap((d) => d.violations);
  const left = found.filter((v) => v.fixable);
  const remaining = [...new Set(found.filter((v) => !v.fixable && v.kind === 'violation').map((v) => formatMessage(input.skill.meta, v)))];
  const id = input.skill.meta.id;
  checks.push(
    left.length > 0
      ? { name: 'detect-clean', status: 'failed', detail: `${id} still finds ${left.map((v) => v.messageId).join(', ')}` }
      : remaining.length > 0
        ? {
            name: 'detect-clean',
            status: 'partial',
            detail: `partial: ${remaining.length} violation(s) remain that ${id} cannot fix, only a person can decide: ${remaining.join(' ')}`,
          }
        : { name: 'detect-clean', status: 'passed', detail: `${id} finds nothing left to fix` },
  );
  const again = await fix(input.skill, input.kind, input.after, input.options, input.focus);
  checks.push(
    again.files.size === 0
      ? { name: 'idempotent', status: 'passed', detail: 'fixing again changes nothing' }
      : { name: 'idempotent', status: 'failed', detail: 'fixing again would change the files' },
  );
  if (input.validator) checks.push(await validatorCheck(input.validator, input));
  return { passed: checks.every((c) => c.status !== 'failed'), checks, remaining };
}
