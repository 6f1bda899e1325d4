/**
 * The sandbox's second mode: validating a patch written outside it (a skill's fix, a codify patch).
 * terraform validate and cfn-lint run only here, in their jail; the workflow leaves the task in
 * the artifact store and CollectValidation reads the verdict (src/workflow/validation.ts).
 */
import type { Config } from '../config/schema.js';
import type { IacKind, SourceFile } from '../iac/source.js';
import { validatorsFor } from '../iac/validators/index.js';
import type { Validator } from '../iac/validators/result.js';
import { validatorCheck, type Check } from '../skills/verify.js';
import type { SandboxFailure } from './output.js';

export interface ValidationTask {
  readonly mode: 'validate';
  readonly kind: IacKind;
  readonly before: readonly SourceFile[];
  readonly after: readonly SourceFile[];
  /** With `pluginDir` absolute. */
  readonly validators: Config['validators'];
}

/** What the sandbox leaves for CollectValidation: the validator's check, or why the run failed. */
export type ValidationOutput = { readonly status: 'validated'; readonly check: Check } | SandboxFailure;

/** A sandbox input is a validation task, or else an agent task. */
export function isValidationTask(task: unknown): task is ValidationTask {
  return typeof task === 'object' && task !== null && (task as { mode?: unknown }).mode === 'validate';
}

export type Validators = Readonly<Record<IacKind, Validator>>;

/** The validators a task asks for, as this process can run them. */
export function validatorsOf(task: ValidationTask, env: NodeJS.ProcessEnv): Promise<Validators> {
  return validatorsFor({ validators: task.validators }, env, process.cwd());
}

/** The kind's validator on `after`, counting only what `before` did not have. */
export async function runValidation(task: ValidationTask, validators: Validators): Promise<ValidationOutput> {
  return { status: 'validated', check: await validatorCheck(validators[task.kind], task) };
}
