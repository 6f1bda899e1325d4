/**
 * A work item as the tasks see it: 1..n findings, of which each task works on those still in the
 * item (claimed by this run, not settled since) and moves them together in the ledger. A finding
 * that ends early leaves with its own outcome (`Settled`); Record reports it beside the item's.
 */
import type { Artifacts } from '../artifacts/port.js';
import type { Config } from '../config/schema.js';
import type { Finding } from '../findings/finding.js';
import type { Target } from '../iac/locate.js';
import type { FindingState } from '../ledger/states.js';
import type { TaskContext } from './context.js';
import { PatchError } from './errors.js';
import { carried } from './stored.js';
import type { ClaimOutput, ItemFinding, IterationState, LocatedFinding, OutcomeStatus, Settled, WorkItem } from './types.js';

/** A located finding no skill covers leaves the item as `needs_model`, saying where and why the model does not take it now. */
export function needsModel(ctx: TaskContext, finding: Finding, where: string, why: string): Promise<Settled> {
  return settle(ctx, finding.fingerprint, 'located', 'needs_model', needsModelReason(finding, where, why));
}

/** The reason a finding no skill covers ends `needs_model` with (`explain` predicts it in the same words). */
export function needsModelReason(finding: Finding, where: string, why: string): string {
  return `no skill covers ${finding.controlId ?? 'this finding'}${where === '' ? '' : ` in ${where}`}, and ${why}`;
}

/** The model the agent runs, undefined when none is configured (then a finding no skill covers ends `needs_model`, {@link NO_MODEL}). */
export function configuredModel(config: Config): string | undefined {
  return config.model.provider === 'none' ? undefined : config.model.modelId;
}

export const NO_MODEL = 'no model is configured (model.provider: none)';

/**
 * Why a finding no skill covers leaves an item of several: the agent writes one finding's patch.
 * `needs_model` is claimable again, so the finding's next event runs it on its own.
 */
export const AGENT_ONE_AT_A_TIME = 'the model agent works on one finding at a time: this one runs again when it comes on its own';

/** Every finding of the item, in item order, then those that joined it from open changes (see Claim). */
export async function itemFindings(
  item: WorkItem & { readonly claim?: ClaimOutput | undefined },
  artifacts: Artifacts,
): Promise<readonly ItemFinding[]> {
  return [...(await carried(artifacts, item.findings)), ...(await carried(artifacts, item.claim?.joined))];
}

/** The outcomes of the findings that left the item, from every step that settled some. */
export function settledOf(state: IterationState): readonly Settled[] {
  return [...(state.claim?.settled ?? []), ...(state.target?.settled ?? []), ...(state.patch?.settled ?? [])];
}

/** The fingerprints still in the item: claimed by this run and not settled since, in item order. */
export function activeFingerprints(state: IterationState): readonly string[] {
  const left = new Set(settledOf(state).map((s) => s.fingerprint));
  return (state.claim?.claimed ?? []).filter((fingerprint) => !left.has(fingerprint));
}

/** The findings still in the item; `task` says who needs one when none is. */
export async function activeFindings(state: IterationState, artifacts: Artifacts, task: string): Promise<readonly ItemFinding[]> {
  const active = new Set(activeFingerprints(state));
  const findings = (await itemFindings(state, artifacts)).filter((i) => active.has(i.finding.fingerprint));
  if (findings.length === 0) throw new PatchError(`${task} needs a finding still in the work item`);
  return findings;
}

/** The findings still in the item with their located targets. */
export async function activeTargets(
  state: IterationState,
  artifacts: Artifacts,
  task: string,
): Promise<readonly [ItemFinding & LocatedFinding, ...(ItemFinding & LocatedFinding)[]]> {
  const located = new Map((await carried(artifacts, state.target?.located)).map((l) => [l.fingerprint, l]));
  const active = new Set(activeFingerprints(state));
  const out = (await itemFindings(state, artifacts)).flatMap((i) => {
    const l = located.get(i.finding.fingerprint);
    return l && active.has(l.fingerprint) ? [{ ...i, ...l }] : [];
  });
  if (out.length === 0) throw new PatchError(`${task} needs a located finding still in the work item`);
  return out as [ItemFinding & LocatedFinding, ...(ItemFinding & LocatedFinding)[]];
}

/** A finding located in Terraform or CloudFormation code, as every task that reads code needs. */
export type CodeLocated = ItemFinding & LocatedFinding & { readonly target: Target };

/**
 * The findings still in the item, located in Terraform or CloudFormation code. A CDK app's never
 * get here: the sandbox synthesizes, fixes and verifies them whole (src/workflow/cdk.ts).
 */
export async function codeTargets(
  state: IterationState,
  artifacts: Artifacts,
  task: string,
): Promise<readonly [CodeLocated, ...CodeLocated[]]> {
  const all = await activeTargets(state, artifacts, task);
  if (all.some((l) => l.target.kind === 'cdk'))
    throw new PatchError(`${task} reads Terraform or CloudFormation code; a CDK app's findings are fixed in the sandbox`);
  return all as readonly [CodeLocated, ...CodeLocated[]];
}

/** The repository a finding's decision named (the item's: an item holds one repository's findings). */
export function repositoryNamed({ decision }: Pick<ItemFinding, 'decision'>): string | undefined {
  return decision.code === 'remediate' ? decision.repository : undefined;
}

/** Moves every finding in `fingerprints` from `from` to `to`. */
export async function transitionAll(
  ctx: TaskContext,
  fingerprints: readonly string[],
  from: FindingState | FindingState[],
  to: FindingState,
  extra: { reason?: string; data?: Record<string, unknown>; severity?: string } = {},
): Promise<void> {
  for (const fingerprint of fingerprints) await ctx.ledger.transition({ fingerprint, from, to, actor: ctx.actor, at: ctx.now(), ...extra });
}

/** Moves one finding out of the item to where it ends, and says so for Record. */
export async function settle(
  ctx: TaskContext,
  fingerprint: string,
  from: FindingState,
  to: FindingState & OutcomeStatus,
  reason: string,
  data?: Record<string, unknown>,
): Promise<Settled> {
  await ctx.ledger.transition({ fingerprint, from, to, actor: ctx.actor, at: ctx.now(), reason, ...(data ? { data } : {}) });
  return { fingerprint, status: to, reason };
}

/**
 * The fingerprint a task's input is logged and reported under, wherever the task keeps it: an
 * outcome's, or a work item's first finding's while the item's findings travel inline.
 */
export function correlationOf(input: unknown): string | undefined {
  type Item = { findings?: unknown };
  const i = input as (Item & { fingerprint?: unknown; input?: Item; Payload?: { input?: Item } }) | null;
  const findings = i?.findings ?? i?.input?.findings ?? i?.Payload?.input?.findings;
  const first = Array.isArray(findings) ? (findings[0] as { finding?: { fingerprint?: unknown } } | undefined) : undefined;
  const fp = i?.fingerprint ?? first?.finding?.fingerprint;
  return typeof fp === 'string' ? fp : undefined;
}
