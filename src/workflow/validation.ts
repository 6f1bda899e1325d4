/**
 * The validators' verdict on a patch written outside the sandbox (a skill's fix, a codify patch).
 * terraform validate and cfn-lint run only in the sandbox: the task that wrote the patch leaves a
 * validation task in the artifact store and returns `sandbox`; the state machine runs the sandbox
 * and CollectValidation records the verdict. With the validator for the patch's kind off, the
 * patch is finished at once. Either way the ledger learns of the patch only once it is verified.
 */
import { resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import type { IacKind, SourceFile } from '../iac/source.js';
import type { ValidationTask } from '../sandbox/validation.js';
import type { Check } from '../skills/verify.js';
import type { TaskContext } from './context.js';
import { activeFingerprints, transitionAll } from './item.js';
import type { IterationState, Patch, PatchOutput } from './types.js';

/** A written, otherwise verified patch waiting for the validators. */
export interface PendingPatch {
  readonly kind: IacKind;
  readonly before: readonly SourceFile[];
  readonly after: readonly SourceFile[];
  readonly patch: Patch;
  /** What the task returns once the patch is verified (`status: 'patched'`, with `artifact`). */
  readonly output: PatchOutput & { readonly artifact: string };
}

/** The config's validators as a sandbox task carries them: a relative provider mirror resolved against the config. */
export function taskValidators(ctx: Pick<TaskContext, 'config' | 'configDir'>): Config['validators'] {
  const { terraform, cfnLint } = ctx.config.validators;
  const pluginDir = terraform.pluginDir === undefined ? undefined : resolve(ctx.configDir, terraform.pluginDir);
  return { terraform: { ...terraform, pluginDir }, cfnLint };
}

const validatorOff = (config: Config, kind: IacKind): boolean =>
  (kind === 'terraform' ? config.validators.terraform.mode : config.validators.cfnLint.mode) === 'off';

/** Some patch may go to the sandbox's validators, or a CDK app to be synthesized there: the stack deploys the sandbox for them, model or not. */
export function validatesInSandbox(config: Config): boolean {
  return !validatorOff(config, 'terraform') || !validatorOff(config, 'cloudformation') || config.repositories.some((r) => r.iac === 'cdk');
}

/** The checks with `check` in place of any of its name, and whether they pass. */
export function withCheck(checks: readonly Check[], check: Check): { passed: boolean; checks: Check[] } {
  const all = [...checks.filter((c) => c.name !== check.name), check];
  return { passed: all.every((c) => c.status !== 'failed'), checks: all };
}

/** Leaves the patch in the artifact store and its validation for the sandbox; finishes it if its validator is off. */
export async function validateInSandbox(ctx: TaskContext, state: IterationState, pending: PendingPatch): Promise<PatchOutput> {
  const { patch, output, kind } = pending;
  if (validatorOff(ctx.config, kind)) {
    const off: Check =
      kind === 'terraform'
        ? { name: 'terraform-validate', status: 'skipped', detail: 'off (validators.terraform.mode)' }
        : { name: 'cfn-lint', status: 'skipped', detail: 'off (validators.cfnLint.mode)' };
    const validation = withCheck(patch.validation.checks, off);
    await ctx.artifacts.put(output.artifact, { ...patch, validation });
    return finishPatch(ctx, state, { ...patch, validation }, { ...output, validation });
  }
  await ctx.artifacts.put(output.artifact, patch);
  const { before, after } = pending;
  const task: ValidationTask = { mode: 'validate', kind, before, after, validators: taskValidators(ctx) };
  // Beside the agent's: `sandbox/input/<fingerprint>/<attempt>-validate.json`.
  const run = output.artifact.replace(/\/patch\.json$/, '');
  const input = `sandbox/input/${run}-validate.json`;
  await ctx.artifacts.put(input, task);
  const network = await ctx.sandbox.network();
  const sandbox = { mode: 'validate', input, output: `sandbox/output/${run}-validate.json`, network } as const;
  return { ...output, status: 'sandbox', sandbox };
}

/** The findings the verified patch fixes move to `patched`, with what the ledger keeps of it. */
export async function finishPatch(
  ctx: TaskContext,
  state: IterationState,
  patch: Patch,
  output: PatchOutput & { readonly artifact: string },
): Promise<PatchOutput> {
  const data = {
    skill: output.skill,
    artifact: output.artifact,
    files: output.files,
    ...(state.batchId === undefined ? {} : { batch: state.batchId }),
    ...(patch.drift ? { drift: { differences: patch.drift.differences.length, weakens: patch.drift.weakens } } : {}),
  };
  // A drift's security rules raise the finding's severity in the ledger: it is listed and decided at it.
  const severity = patch.drift?.severity?.label;
  await transitionAll(ctx, output.members ?? activeFingerprints(state), 'located', 'patched', { data, ...(severity ? { severity } : {}) });
  return { ...output, status: 'patched', sandbox: undefined, validation: patch.validation };
}
