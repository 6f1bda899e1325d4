/**
 * The dry run behind `cloudmend explain`: for one event, which trigger matches, which findings it
 * carries, and for each whether cloudmend would act and why. Reads nothing, writes nothing.
 */
import type { Config } from '../config/schema.js';
import { isUserFacing } from '../errors.js';
import type { Finding } from '../findings/finding.js';
import type { EventKind } from '../findings/normalized.js';
import { normalizeEvent } from '../findings/normalize.js';
import { matchEventPattern, type MatchResult } from '../triggers/event-pattern.js';
import { triggersFor, type Trigger } from '../triggers/patterns.js';
import { decide, type Decision, type TriggerResult } from './decide.js';

export interface FindingExplanation {
  readonly finding: Finding;
  readonly decision: Decision;
}

export interface EventExplanation {
  readonly kind?: EventKind | undefined;
  /** The trigger that matches the event, if any. */
  readonly trigger?: string | undefined;
  readonly findings: readonly FindingExplanation[];
  /** Entries of the event that could not be read (the rest are still explained). */
  readonly problems: readonly string[];
  /** Set when the whole event was rejected. */
  readonly error?: string | undefined;
}

function describeMismatch(trigger: Trigger, result: MatchResult): string {
  if (result.matched) return '';
  const { path, expected, actual } = result.mismatch;
  const seen = actual.length === 0 ? 'absent' : actual.map((v) => JSON.stringify(v)).join(', ');
  return `trigger ${trigger.name} needs ${path} to match ${JSON.stringify(expected)}, the event has ${seen}`;
}

// Security Hub events may carry several findings and EventBridge matches if any one does; each
// finding is judged as if it had come alone, as the workflow's per-finding filter does.
function eventFor(finding: Finding, event: Record<string, unknown>): Record<string, unknown> {
  const index = finding.raw.index;
  const detail = event.detail as Record<string, unknown>;
  if (index === undefined || !Array.isArray(detail.findings)) return event;
  return { ...event, detail: { ...detail, findings: [detail.findings[index]] } };
}

function triggerResult(trigger: Trigger | undefined, event: Record<string, unknown>): TriggerResult {
  if (!trigger) return { matched: false, why: 'no trigger handles this kind of event' };
  const result = matchEventPattern(trigger.pattern, event);
  return result.matched ? { matched: true, name: trigger.name } : { matched: false, why: describeMismatch(trigger, result) };
}

/** Explains one parsed event under `config`. Never throws for bad input: rejections land in `error`. */
export function explainEvent(input: unknown, config: Config): EventExplanation {
  let normalized;
  try {
    normalized = normalizeEvent(input);
  } catch (error) {
    if (isUserFacing(error)) return { findings: [], problems: [], error: error.message };
    throw error;
  }
  const event = input as Record<string, unknown>;
  const trigger = triggersFor(config).find((t) => t.kind === normalized.kind);
  const eventLevel = triggerResult(trigger, event);
  return {
    kind: normalized.kind,
    trigger: eventLevel.matched ? eventLevel.name : undefined,
    problems: normalized.problems,
    findings: normalized.findings.map((finding) => ({
      finding,
      decision: decide(finding, triggerResult(trigger, eventFor(finding, event)), config),
    })),
  };
}
