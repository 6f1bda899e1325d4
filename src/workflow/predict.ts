/**
 * What a run would record for a finding, predicted without writing anything: the same functions
 * the run calls, in its order. Claim's duplicate check on the ledger and its drift suppression,
 * the policy decision, Locate on the snapshot of the branch the run reads (the default branch, or a
 * recorded smoke run's scratch branch), then ApplySkill, CompareDrift or
 * RunAgent (which ends `needs_model` without a model). `explain` shows it.
 */
import type { Config } from '../config/schema.js';
import type { Finding } from '../findings/finding.js';
import type { EventKind } from '../findings/normalized.js';
import type { Ledger } from '../ledger/port.js';
import type { Decision } from '../policy/decide.js';
import type { Repositories } from '../scm/port.js';
import { driftSuppressionKey, isDriftFinding } from './drift.js';
import { configuredModel, NO_MODEL, needsModelReason } from './item.js';
import { repositoryOf } from './repository.js';
import { smokeBaseOf, unrecordedSmokeReason } from './smoke-base.js';
import { duplicateReason, suppressedReason } from './tasks/claim.js';
import { locateFinding } from './tasks/locate.js';

/** The policy decision, or where the run stops past it: `duplicate` and `ignored` at Claim, `no_target` at Locate, `needs_model`. */
export type Prediction =
  | Decision
  | { readonly decision: 'skip'; readonly code: 'duplicate' | 'ignored' | 'no_target' | 'needs_model'; readonly reason: string };

export interface PredictionWorld {
  readonly config: Config;
  /** The ledger the run would write; undefined when none exists yet (nothing is a duplicate). */
  readonly ledger?: Ledger | undefined;
  /** Snapshots of the configured local repositories' default branches, as the run reads them. */
  readonly repositories: Repositories;
  readonly now: Date;
}

const stop = (code: 'duplicate' | 'ignored' | 'no_target' | 'needs_model', reason: string): Prediction => ({
  decision: 'skip',
  code,
  reason,
});

/** The outcome a run would record for `finding`, given the policy's `decision` on it. */
export async function predictRun(finding: Finding, decision: Decision, world: PredictionWorld, kind?: EventKind): Promise<Prediction> {
  const duplicate = duplicateReason(await world.ledger?.get(finding.fingerprint));
  if (duplicate !== undefined) return stop('duplicate', duplicate);
  if (decision.code !== 'remediate') return decision;
  const suppression = isDriftFinding(finding) ? await world.ledger?.activeSuppression(driftSuppressionKey(finding), world.now) : undefined;
  if (suppression) return stop('ignored', suppressedReason(suppression));
  const configured = world.config.repositories.find((r) => r.name === decision.repository);
  // A CDK app's constructs are found once it is synthesized, which runs its code: only the run does that.
  if (!configured || configured.iac === 'cdk') return decision;
  const { base, untrusted } = world.ledger === undefined ? {} : await smokeBaseOf(world.ledger, { finding, decision }, world.now, kind);
  if (untrusted !== undefined) return { decision: 'skip', code: 'unrecorded_smoke_run', reason: unrecordedSmokeReason(untrusted) };
  const repo = repositoryOf(world, { decision, base });
  const not = (why: string): Prediction => ({ ...decision, reason: `${decision.reason}; not located here (${why})` });
  if (repo.provider !== 'local') return not(`${repo.name} is on ${repo.provider}; the run reads it there`);
  let snapshot;
  try {
    snapshot = await world.repositories.snapshot(repo.name, repo.defaultBranch);
  } catch (error) {
    return not(error instanceof Error ? error.message : String(error));
  }
  const located = await locateFinding(finding, { ...repo, iac: configured.iac }, snapshot);
  if (!located.found) return stop('no_target', located.reason);
  const { target, skills } = located;
  const where = `${target.file} ${target.address}`;
  if (isDriftFinding(finding)) return { ...decision, reason: `${decision.reason}; compared with ${where}` };
  if (skills.length > 0) return { ...decision, reason: `${decision.reason}; skill ${skills.join(', ')} fixes ${where}` };
  if (configuredModel(world.config) === undefined) return stop('needs_model', needsModelReason(finding, target.kind, NO_MODEL));
  return { ...decision, reason: `${decision.reason}; no skill covers it: the model agent writes the patch for ${where}` };
}
