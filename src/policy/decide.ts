/**
 * Act or skip, and why: the answer cloudmend must always be able to give for every finding. Pure:
 * the same finding, trigger result and config give the same decision, in `explain` and in a run.
 */
import type { Config, Tier } from '../config/schema.js';
import { isSecurityHubRule, resolveConfigRule } from '../findings/config-rules.js';
import type { Finding } from '../findings/finding.js';
import { atLeast } from '../findings/severity.js';
import { isOwnWriteBack } from '../findings/write-back.js';
import { findOwner } from './ownership.js';
import { chooseTier } from './tiers.js';

export type SkipCode =
  | 'archived'
  | 'suppressed'
  | 'resolved'
  | 'echo'
  | 'passed'
  | 'not_applicable'
  | 'not_evaluated'
  | 'resource_deleted'
  | 'no_trigger'
  | 'no_control'
  | 'security_hub_rule'
  | 'below_severity_floor'
  | 'observe_only'
  | 'no_repository'
  | 'unknown_schedule'
  /** A smoke-test event (`cloudmend smoke`) with no run recorded in the ledger for it (src/workflow/smoke-base.ts). */
  | 'unrecorded_smoke_run';

export type Decision =
  | {
      readonly decision: 'act';
      readonly code: 'remediate';
      readonly tier: Tier;
      readonly policyRule?: string | undefined;
      readonly repository: string;
      readonly reason: string;
    }
  | { readonly decision: 'act'; readonly code: 'scheduled_task'; readonly task: string; readonly reason: string }
  | { readonly decision: 'skip'; readonly code: SkipCode; readonly reason: string };

/** Whether the event carrying the finding matched a trigger, and if not, where it failed. */
export type TriggerResult = { readonly matched: true; readonly name: string } | { readonly matched: false; readonly why: string };

const skip = (code: SkipCode, reason: string): Decision => ({ decision: 'skip', code, reason });

function reasons(finding: Finding): string {
  const r = finding.states.complianceReasons;
  return r?.length ? ` (${r.join('; ')})` : '';
}

/** Skips that follow from the finding alone, whatever the configuration says. */
function stateSkip(finding: Finding): Decision | undefined {
  const { record, workflow, compliance, resourceStatus } = finding.states;
  if (record === 'ARCHIVED')
    return skip('archived', 'Security Hub archived the finding (RecordState ARCHIVED): the resource is gone or the control was disabled');
  if (workflow === 'SUPPRESSED') return skip('suppressed', 'someone suppressed the finding (Workflow SUPPRESSED)');
  if (workflow === 'RESOLVED') return skip('resolved', 'the finding is resolved (Workflow RESOLVED)');
  if (isOwnWriteBack(finding)) {
    const what = finding.raw.format === 'ocsf' ? "cloudmend's comment, status In Progress" : 'note by cloudmend, Workflow NOTIFIED';
    return skip('echo', `echo of cloudmend's own write-back (${what})`);
  }
  if (compliance === 'PASSED') return skip('passed', `the check passed${reasons(finding)}`);
  if (compliance === 'NOT_AVAILABLE') return skip('not_applicable', `the check does not apply${reasons(finding)}`);
  // WARNING means the check could not run (e.g. Config access denied): acting would be a guess.
  if (compliance === 'WARNING') return skip('not_evaluated', `the check could not be evaluated${reasons(finding)}`);
  if (resourceStatus?.startsWith('ResourceDeleted')) return skip('resource_deleted', `the resource was deleted (${resourceStatus})`);
  if (resourceStatus === 'ResourceNotRecorded')
    return skip('resource_deleted', 'AWS Config no longer records the resource (ResourceNotRecorded)');
  return undefined;
}

function noControl(finding: Finding): Decision {
  if (finding.raw.configRule !== undefined) {
    const rule = resolveConfigRule(finding.raw.configRule);
    const candidates = 'candidates' in rule && rule.candidates.length > 0 ? rule.candidates : [];
    return skip(
      'no_control',
      candidates.length > 0
        ? `Config rule ${finding.raw.configRule} backs several controls (${candidates.join(', ')}); cloudmend will not guess which`
        : `Config rule ${finding.raw.configRule} is not behind a Security Hub control cloudmend knows`,
    );
  }
  return skip('no_control', 'the finding names no Security Hub control (not a control finding, or an unknown standard)');
}

function decideSchedule(finding: Finding, config: Config): Decision {
  const schedule = config.schedules.find((s) => s.name === finding.resource.name);
  if (schedule)
    return {
      decision: 'act',
      code: 'scheduled_task',
      task: schedule.task,
      reason: `runs the ${schedule.task} task of schedule ${schedule.name}`,
    };
  const known = config.schedules.map((s) => s.name).join(', ') || 'none configured';
  return skip('unknown_schedule', `no schedule named ${finding.resource.name ?? finding.resource.id} in the config (schedules: ${known})`);
}

/** Decides one finding. `trigger` is the result of the trigger patterns on its event. */
export function decide(finding: Finding, trigger: TriggerResult, config: Config): Decision {
  const byState = stateSkip(finding);
  if (byState) return byState;
  if (!trigger.matched) return skip('no_trigger', `no trigger matches: ${trigger.why}`);
  if (finding.source === 'schedule') return decideSchedule(finding, config);

  // Security Hub's own rules: the same evaluation arrives as the Security Hub finding (the same
  // fingerprint), which is batched. Acting on both would race it, one branch per Config event.
  const configRule = finding.source === 'config-compliance' ? finding.raw.configRule : undefined;
  if (configRule !== undefined && isSecurityHubRule(configRule)) {
    const control = finding.controlId === undefined ? 'its control' : `control ${finding.controlId}`;
    return skip(
      'security_hub_rule',
      `Config rule ${configRule} is Security Hub's own: Security Hub imports this evaluation as the finding of ${control}, which cloudmend batches and remediates`,
    );
  }

  const needsControl = finding.source === 'securityhub' || finding.source === 'config-compliance';
  if (needsControl && finding.controlId === undefined) return noControl(finding);
  // A person who sends a finding to the custom action asked for it explicitly: no floor applies.
  const floor = config.triggers.severityFloor;
  if (needsControl && finding.raw.customAction === undefined && !atLeast(finding.severity.label, floor)) {
    const severity = finding.severity.origin === 'unknown' ? 'unknown' : finding.severity.label;
    return skip('below_severity_floor', `severity ${severity} is below the floor ${floor} (triggers.severityFloor)`);
  }

  const { tier, rule } = chooseTier(finding, config.policy);
  const by = rule === undefined ? 'the policy default' : `policy rule ${rule}`;
  if (tier === 'observe') return skip('observe_only', `tier observe by ${by}: recorded, no change proposed`);

  const owner = findOwner(config.repositories, finding);
  if (!owner.repository) {
    return skip(
      'no_repository',
      owner.misses.length === 0
        ? 'no repositories are configured; add the repository that owns this resource under repositories in cloudmend.config.yaml'
        : `no configured repository owns the resource: ${owner.misses.join('; ')}`,
    );
  }
  return {
    decision: 'act',
    code: 'remediate',
    tier,
    policyRule: rule,
    repository: owner.repository.name,
    reason: `tier ${tier} by ${by}; repository ${owner.repository.name}`,
  };
}
