/**
 * The agent loop: model turns with tools until the patch validates, the model gives up, or a
 * budget runs out (turns, tokens, seconds). Every change is checked as it happens (parse, the
 * control's own detection, validators, guardrail, edits confined to the resource) and the result
 * fed back: published work on model-written IaC shows that the feedback, not the first attempt,
 * is what makes patches correct.
 */
import { isUserFacing } from '../errors.js';
import { isText, isToolUse, type ContentBlock, type Message, type Model, type ModelUsage, type ToolResultBlock } from './model.js';
import { SYSTEM_PROMPT, taskMessage } from './prompt.js';
import { reviewerFor } from './review.js';
import type { AgentResult, AgentTask } from './task.js';
import { runTool, TOOLS } from './tools.js';
import type { AgentVerification, ValidationSetup } from './validate.js';
import { Workspace } from './workspace.js';

export interface AgentDeps {
  readonly model: Model;
  readonly validation: Omit<ValidationSetup, 'kind' | 'address'>;
  /** Milliseconds, for the time budget. */
  readonly now?: () => number;
  readonly signal?: AbortSignal;
}

/** Output tokens one turn may use: enough for a patch, small enough to leave room for feedback. */
const TURN_OUTPUT_TOKENS = 4_096;

export async function runAgentLoop(task: AgentTask, deps: AgentDeps): Promise<AgentResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  const { maxIterations, maxTokens, maxSeconds } = task.budgets;
  const usage = { model: deps.model.id, calls: 0, inputTokens: 0, outputTokens: 0, latencyMs: 0 };
  const snapshot = (): ModelUsage => ({ ...usage });
  const noFix = (reason: string, last?: AgentVerification): AgentResult => ({
    status: 'no_fix',
    reason,
    violations: last?.violations.length ? last.violations : undefined,
    usage: snapshot(),
  });

  const workspace = new Workspace(task.files, task.editable);
  let reviewer;
  try {
    reviewer = await reviewerFor(task, deps.validation);
  } catch (error) {
    if (!isUserFacing(error)) throw error;
    return noFix(`the code does not parse before any change: ${error.message}`);
  }
  if (!reviewer) return noFix(`${task.target.address} is not in ${task.target.file}`);
  const check = (): Promise<AgentVerification> => reviewer.review(workspace);
  const report = (v: AgentVerification): string =>
    v.checks.map((c) => `${c.name}: ${c.status}${c.status === 'passed' ? '' : ` (${c.detail})`}`).join('\n');

  const messages: Message[] = [{ role: 'user', content: [{ text: taskMessage(task, reviewer.focus) }] }];
  let last: AgentVerification | undefined;
  let summary = '';
  const patchedWith = (verdict: AgentVerification): AgentResult => ({
    status: 'patched',
    files: workspace.files().filter((f) => f.before !== f.after),
    diff: workspace.diff(),
    summary: summary.slice(0, 1_000),
    validation: { passed: true, checks: verdict.checks },
    usage: snapshot(),
  });

  for (let turn = 1; turn <= maxIterations; turn++) {
    const elapsed = (now() - started) / 1000;
    if (elapsed >= maxSeconds)
      return noFix(
        `time budget of ${maxSeconds} s spent after ${usage.calls} model calls${last ? `; last validation:\n${report(last)}` : ''}`,
        last,
      );
    const left = maxTokens - usage.inputTokens - usage.outputTokens;
    if (left < 1_000)
      return noFix(
        `token budget of ${maxTokens} spent after ${usage.calls} model calls${last ? `; last validation:\n${report(last)}` : ''}`,
        last,
      );

    const timeout = AbortSignal.timeout(Math.max(1, Math.ceil((maxSeconds - elapsed) * 1000)));
    const signal = deps.signal ? AbortSignal.any([deps.signal, timeout]) : timeout;
    const response = await deps.model.converse(
      { system: SYSTEM_PROMPT, messages, tools: TOOLS, maxTokens: Math.min(TURN_OUTPUT_TOKENS, left) },
      signal,
    );
    usage.calls += 1;
    usage.inputTokens += response.usage.inputTokens;
    usage.outputTokens += response.usage.outputTokens;
    usage.latencyMs += response.latencyMs;
    messages.push(response.message);
    summary =
      response.message.content
        .filter(isText)
        .map((b) => b.text)
        .join(' ')
        .trim() || summary;

    if (response.stopReason === 'guardrail_intervened' || response.stopReason === 'content_filtered')
      return noFix(`the model's provider stopped the answer (${response.stopReason})`, last);

    const calls = response.message.content.filter(isToolUse);
    if (calls.length > 0) {
      const results: ContentBlock[] = [];
      for (const { toolUse } of calls) {
        const outcome = runTool(toolUse.name, toolUse.input, workspace);
        if (outcome.kind === 'give_up') return noFix(`the model gave up: ${outcome.reason.slice(0, 500)}`, last);
        let text: string;
        let error = false;
        if (outcome.kind === 'result') ({ text, error = false } = outcome);
        else {
          last = await check();
          text = `${outcome.kind === 'edited' ? `${outcome.text}\n\n` : ''}validation:\n${report(last)}`;
        }
        results.push({
          toolResult: { toolUseId: toolUse.toolUseId, content: [{ text }], status: error ? 'error' : 'success' },
        } satisfies ToolResultBlock);
      }
      messages.push({ role: 'user', content: results });
      continue;
    }

    // The model says it is done (or ran out of output): hold it to the checks.
    last = await check();
    if (last.passed) return patchedWith(last);
    const nudge =
      workspace.changed().length === 0
        ? 'Nothing has been changed yet. Use propose_edits to fix the resource, or give_up.'
        : `The patch does not pass yet:\n${report(last)}\nFix it with propose_edits, or give_up.`;
    messages.push({ role: 'user', content: [{ text: nudge }] });
  }
  if (last?.passed) return patchedWith(last);
  return noFix(`turn budget of ${maxIterations} model calls spent${last ? `; last validation:\n${report(last)}` : ''}`, last);
}
