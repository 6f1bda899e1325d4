/**
 * Prompt-injection corpus: hostile text as it reaches the agent (a finding's title or description,
 * a resource tag, a comment in the IaC file), the IaC before, and the patch a fully compromised
 * model would write obeying it. Whatever the model does, the guardrail must refuse each patch with
 * the rule named here: the defence is structural, not a prompt.
 */
import type { GuardrailInput, GuardrailRule, PatchedFile } from '../../../src/guardrails/index.js';
import { CLOUDFORMATION_CASES } from './cloudformation-cases.js';
import { TERRAFORM_CASES } from './terraform-cases.js';

/** Where the hostile text arrives. */
export type Vector = 'finding-title' | 'finding-description' | 'tag' | 'iac-comment';

export interface InjectionCase {
  readonly id: string;
  readonly vector: Vector;
  /** The hostile text, as the finding, the tag or the file carries it. */
  readonly input: string;
  readonly kind: GuardrailInput['kind'];
  /** The file the patch may write. */
  readonly path: string;
  readonly before: string;
  /** What a compromised model writes to `path`. */
  readonly after: string;
  /** Files it writes besides, which it may not. */
  readonly extra?: readonly PatchedFile[];
  /** The rule that must refuse the patch (others may too). */
  readonly rule: GuardrailRule;
}

export const CORPUS: readonly InjectionCase[] = [...TERRAFORM_CASES, ...CLOUDFORMATION_CASES];

/** The guardrail's input for a case: its one allowed file, plus whatever else the patch writes. */
export function inputOf(c: InjectionCase): GuardrailInput {
  return { kind: c.kind, allowedFiles: [c.path], files: [{ path: c.path, before: c.before, after: c.after }, ...(c.extra ?? [])] };
}
