/**
 * The one fix → verify chain: the skills covering a control run one after another on the same
 * files, each fix verified on its own (src/skills/verify.ts) before the next skill sees it. Used by
 * ApplySkill (each finding of a work item), `cloudmend eval` and the agent's reviewer, so a fix is
 * judged the same way wherever it is written.
 */
import type { IacKind, SourceFile } from '../iac/source.js';
import type { Validator } from '../iac/validators/result.js';
import { fix } from './engine.js';
import { formatMessage, type Skill, type SkillOptions } from './types.js';
import { verifyFix, type Verification } from './verify.js';

export interface FixAndVerifyInput {
  /** In the order they are tried; each one sees the files as the ones before it left them. */
  readonly skills: readonly Skill[];
  readonly kind: IacKind;
  readonly files: readonly SourceFile[];
  readonly options: SkillOptions;
  /** The located resource: only it (and its own sub-resources) is fixed and checked. */
  readonly focus?: string | undefined;
  /** The validator for this kind; none leaves it to the caller (the workflow runs it in the sandbox). */
  readonly validator?: Validator | undefined;
}

/** One skill's verified fix. */
export interface FixStep {
  readonly skill: Skill;
  readonly notes: readonly string[];
  /** What the skill found before fixing, worded by its messages. */
  readonly messages: readonly string[];
  readonly verification: Verification;
}

export type FixAndVerify =
  /** Some skill changed the files and every change verified. */
  | {
      readonly status: 'fixed';
      readonly after: readonly SourceFile[];
      /** Path → new text, for the files that differ from `files`. */
      readonly changed: ReadonlyMap<string, string>;
      readonly steps: readonly FixStep[];
      /** What the skills found that only a person can fix. */
      readonly suggestions: readonly string[];
    }
  /** No skill changed anything: `suggestions` says what only a person can fix; none means compliant. */
  | { readonly status: 'unfixed'; readonly suggestions: readonly string[] }
  /** A skill's change did not verify: a bug in the skill, never a patch (`steps` ends with it). */
  | { readonly status: 'failed'; readonly skill: Skill; readonly reason: string; readonly steps: readonly FixStep[] };

export async function fixAndVerify(input: FixAndVerifyInput): Promise<FixAndVerify> {
  const { kind, options, focus, validator } = input;
  let current = input.files;
  const steps: FixStep[] = [];
  const suggestions: string[] = [];
  for (const skill of input.skills) {
    const result = await fix(skill, kind, current, options, focus);
    if (result.files.size === 0) {
      suggestions.push(...result.violations.filter((v) => !v.fixable).map((v) => formatMessage(skill.meta, v)));
      continue;
    }
    const after = current.map((f) => ({ path: f.path, text: result.files.get(f.path) ?? f.text }));
    const verification = await verifyFix({ skill, kind, before: current, after, options, focus, validator });
    steps.push({ skill, notes: result.notes, messages: result.violations.map((v) => formatMessage(skill.meta, v)), verification });
    if (!verification.passed) {
      const failed = verification.checks.filter((c) => c.status === 'failed').map((c) => `${c.name}: ${c.detail}`);
      return { status: 'failed', skill, reason: failed.join('; '), steps };
    }
    current = after;
  }
  if (steps.length === 0) return { status: 'unfixed', suggestions };
  const original = new Map(input.files.map((f) => [f.path, f.text]));
  const changed = new Map(current.filter((f) => original.get(f.path) !== f.text).map((f) => [f.path, f.text]));
  return { status: 'fixed', after: current, changed, steps, suggestions };
}
