/**
 * Judging a model's patch: validation (parse, detection, validators, guardrail) plus confinement of
 * its edits to the located resource. The agent loop runs it after every change to tell the model;
 * CollectAgent runs it again outside the sandbox, on the sandbox's output, before anything trusts it.
 */
import type { AllowedRange } from '../iac/edits.js';
import { addressOf, allowedRanges, parseSource, resourcesOf } from '../iac/source.js';
import { changedRanges, outsideAllowed } from './confine.js';
import type { AgentTask } from './task.js';
import { validateWorkspace, type AgentVerification, type ValidationSetup } from './validate.js';
import type { Workspace } from './workspace.js';

export interface Reviewer {
  /** The located resource and what is bound to it, as text, for the prompt. */
  readonly focus: readonly { readonly why: string; readonly text: string }[];
  review(workspace: Workspace): Promise<AgentVerification>;
}

/** Throws the parser's error when the task's code does not parse; undefined when the resource is not there. */
export async function reviewerFor(
  task: AgentTask,
  validation: Omit<ValidationSetup, 'kind' | 'address' | 'controlId'>,
): Promise<Reviewer | undefined> {
  const relevant =
    task.target.kind === 'terraform'
      ? task.files.filter((f) => task.editable.includes(f.path))
      : task.files.filter((f) => f.path === task.target.file);
  const source = await parseSource(task.target.kind, relevant);
  const resource = resourcesOf(source).find((r) => addressOf(r) === task.target.address);
  if (!resource) return undefined;
  const ranges: AllowedRange[] = allowedRanges(source, resource).map((r) => (r.file === '' ? { ...r, file: task.target.file } : r));
  const textOf = (file: string): string => task.files.find((f) => f.path === file)?.text ?? '';
  const setup: ValidationSetup = { ...validation, kind: task.target.kind, address: task.target.address, controlId: task.finding.controlId };
  return {
    focus: ranges.map((r) => ({ why: `${r.why} (${r.file})`, text: textOf(r.file).slice(r.start, r.end) })),
    async review(workspace) {
      const verdict = await validateWorkspace(workspace, setup);
      const outside = workspace.files().flatMap((f) => outsideAllowed(changedRanges(f.path, f.before, f.after), ranges, textOf));
      if (outside.length === 0) return verdict;
      const detail = `changes outside ${task.target.address} and the resources bound to it: ${outside.join(', ')}`;
      return { ...verdict, passed: false, checks: [...verdict.checks, { name: 'guardrail', status: 'failed', detail }] };
    },
  };
}
