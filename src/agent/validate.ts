/**
 * What the agent is told after each change, and what decides that it is done: the files parse,
 * the skills that know the control find nothing left on the resource, the validators raise no new
 * problem, and the guardrail has nothing to say. The guardrail judges the patch again later,
 * independently; telling the model early only saves it a wasted turn.
 */
import { checkPatch, NEEDS_APPROVAL, type GuardrailViolation } from '../guardrails/index.js';
import { addressOf, parseSource, type IacKind, type Source } from '../iac/source.js';
import type { Validator } from '../iac/validators/result.js';
import { detect } from '../skills/engine.js';
import type { Skill, SkillOptions } from '../skills/types.js';
import { detectCleanCheck, parsesCheck, validatorCheck, type Check, type Verification } from '../skills/verify.js';
import type { Workspace } from './workspace.js';

export interface ValidationSetup {
  readonly kind: IacKind;
  /** The located resource: detect looks there, and the guardrail holds the patch to it. */
  readonly address: string;
  /** The control the patch answers: which resource types it may add. */
  readonly controlId?: string | undefined;
  /** Skills covering the control for this kind (detect-only ones included). */
  readonly skills: readonly Skill[];
  /** Every skill for this kind: a patch may not give any of them something new to report. */
  readonly allSkills?: readonly Skill[] | undefined;
  readonly options: SkillOptions;
  readonly validator?: Validator | undefined;
}

export interface AgentVerification extends Verification {
  readonly violations: readonly GuardrailViolation[];
}

/**
 * What the skills report after the patch and did not before: a fix for one control must not turn
 * off encryption, logging or versioning that another control checks.
 */
async function introducedFindings(
  setup: ValidationSetup,
  before: readonly { path: string; text: string }[],
  after: Source,
): Promise<string[]> {
  const skills = setup.allSkills ?? [];
  if (skills.length === 0) return [];
  let original: Source;
  try {
    original = await parseSource(setup.kind, before);
  } catch {
    return [];
  }
  const keys = (source: Source): string[] =>
    skills.flatMap((skill) =>
      detect(skill, source, setup.options).flatMap((d) =>
        d.violations.map((v) => `${skill.meta.id}: ${v.messageId} on ${addressOf(d.target)}`),
      ),
    );
  const remaining = keys(original);
  return keys(after).filter((key) => {
    const i = remaining.indexOf(key);
    if (i < 0) return true;
    remaining.splice(i, 1);
    return false;
  });
}

export async function validateWorkspace(workspace: Workspace, setup: ValidationSetup): Promise<AgentVerification> {
  const files = workspace.files();
  const before = files.map((f) => ({ path: f.path, text: f.before }));
  const after = files.map((f) => ({ path: f.path, text: f.after }));
  const checks: Check[] = [];
  if (workspace.changed().length === 0) {
    return { passed: false, checks: [{ name: 'parses', status: 'skipped', detail: 'nothing has been changed yet' }], violations: [] };
  }
  const { check: parses, source: parsed } = await parsesCheck(setup.kind, after);
  if (!parsed) return { passed: false, checks: [parses], violations: [] };
  checks.push(parses);
  if (setup.skills.length === 0) {
    checks.push({
      name: 'detect-clean',
      status: 'skipped',
      detail: 'no skill detects this control; the validators and the guardrail still judge the patch',
    });
  } else {
    // The model's patch has no "partial": what is left on the resource is for the model to fix, or no patch.
    const { check } = detectCleanCheck(setup.skills, parsed, setup.options, setup.address);
    checks.push(
      check.status === 'partial' ? { ...check, status: 'failed', detail: `still found on ${setup.address}: ${check.detail}` } : check,
    );
  }
  const weakened = await introducedFindings(setup, before, parsed);
  if (weakened.length > 0)
    checks.push({
      name: 'guardrail',
      status: 'failed',
      detail: `the patch weakens what it did not set out to fix: ${weakened.join(', ')}`,
    });
  checks.push(await validatorCheck(setup.validator, { kind: setup.kind, before, after }));
  const contract = { address: setup.address, controlId: setup.controlId };
  const found = await checkPatch({
    kind: setup.kind,
    allowedFiles: workspace.editable,
    files: files.map((f) => ({ path: f.path, before: f.before, after: f.after })),
    contract,
  });
  // A replacement is for an approver to accept, later: it does not stop the model's patch here.
  const violations = found.filter((v) => !NEEDS_APPROVAL.has(v.rule));
  checks.push(
    violations.length === 0
      ? { name: 'guardrail', status: 'passed', detail: 'no guardrail rule objects' }
      : { name: 'guardrail', status: 'failed', detail: violations.map((v) => `${v.rule} in ${v.file}: ${v.message}`).join('; ') },
  );
  return { passed: checks.every((c) => c.status !== 'failed'), checks, violations };
}
