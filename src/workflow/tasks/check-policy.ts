/**
 * CheckPolicy: the guardrail (`src/guardrails/index.ts` lists its rules) judges the patch whoever
 * wrote it, held to cloudmend's contract for the located resource and control, then the autonomy
 * tier decides what happens next. A replacement (the guardrail sees one, or the skill says its fix
 * replaces) is never refused nor silent: the patch goes to an approver, whatever the tier (but
 * `recommend`, which opens nothing). One more exception, never for
 * skills or the model: a drift codify patch that writes a live weakening (wider IAM or network,
 * public access, weaker encryption or protection) into the code goes to an approver instead of
 * being refused. And a drift a security rule raises (src/drift/severity.ts: world-open ingress, public
 * access turned on, wider IAM) is held to the tier a finding of that severity gets, and asks a person
 * to decide (codify, revert or ignore) wherever that tier proposes a change.
 */
import {
  checkPatch,
  DEFAULT_LIMITS,
  NEEDS_APPROVAL,
  type GuardrailLimits,
  type GuardrailRule,
  type GuardrailViolation,
  type PatchContract,
} from '../../guardrails/index.js';
import type { Task } from '../context.js';
import { PatchError } from '../errors.js';
import { activeFingerprints, activeTargets, transitionAll } from '../item.js';
import { severityOf } from '../../findings/severity.js';
import { chooseTier } from '../../policy/tiers.js';
import type { IterationState, Patch, PolicyOutput } from '../types.js';

/** What a codified drift may write once a person approves: never code execution, secrets, other files or backends. */
const CODIFIABLE: ReadonlySet<GuardrailRule> = new Set([
  'widened-iam',
  'widened-network',
  'public-access',
  'weakened-encryption',
  'weakened-monitoring',
  'removed-resource',
  'replacement',
]);

/**
 * A CDK app's patch, judged on both sides (src/guardrails/cdk.ts): its TypeScript (only the located
 * constructs' props and the imports they need) and each synthesized stack's template diff, held to
 * the CloudFormation rules and to the contract on the fixed constructs' resources.
 */
async function judgeCdkPatch(
  patch: Patch,
  limits: GuardrailLimits,
  contract: Omit<PatchContract, 'address' | 'alsoAddresses'>,
): Promise<GuardrailViolation[]> {
  const cdk = patch.cdk;
  if (!cdk) return [{ rule: 'unparsable', file: '', message: 'a CDK patch without its synthesized templates cannot be judged' }];
  const [address = '', ...alsoAddresses] = [...new Set(cdk.constructs.map((c) => c.logicalId))];
  // Loaded here only: the TypeScript compiler it reads with is too heavy for every policy check's start.
  const { checkCdkPatch } = await import('../../guardrails/cdk.js');
  return checkCdkPatch({
    files: patch.files,
    constructs: cdk.constructs,
    templates: cdk.templates,
    contract: { ...contract, address, alsoAddresses },
    limits,
  });
}

const listed = (violations: readonly GuardrailViolation[]): string => violations.map((v) => `${v.rule} (${v.message})`).join('; ');

export const checkPolicy: Task<IterationState, PolicyOutput> = async (state, ctx) => {
  const members = await activeTargets(state, ctx.artifacts, 'CheckPolicy');
  // The item's first finding speaks for it: its decision names the repository and the tier.
  const [{ finding, decision, target }] = members;
  const key = state.patch?.artifact;
  if (key === undefined || decision.code !== 'remediate') throw new PatchError('CheckPolicy needs a patch and a remediation decision');
  const patch = await ctx.artifacts.get<Patch>(key);
  // The item's patch may change the files of every finding's target.
  const allowedFiles = [...new Set(members.flatMap((m) => m.target.files))];
  // The item's patch is one fix per finding: the size limits hold per finding.
  const fixes = members.length;
  const limits = {
    maxChangedLines: DEFAULT_LIMITS.maxChangedLines * fixes,
    maxFileGrowthBytes: DEFAULT_LIMITS.maxFileGrowthBytes * fixes,
    maxChangedFiles: DEFAULT_LIMITS.maxChangedFiles * fixes,
  };
  const contract = {
    address: target.address,
    controlId: finding.controlId,
    alsoAddresses: [...new Set(members.map((m) => m.target.address))].filter((a) => a !== target.address),
    alsoControlIds: [...new Set(members.flatMap((m) => m.finding.controlId ?? []))].filter((c) => c !== finding.controlId),
  };
  const found =
    target.kind === 'cdk'
      ? await judgeCdkPatch(patch, limits, contract)
      : await checkPatch({ kind: target.kind, allowedFiles, files: patch.files, limits, contract });
  const fp = finding.fingerprint;
  // A codify patch writes into the code what is already live: a weakening there is a person's call.
  const weakening = patch.drift?.weakens === true && found.every((v) => CODIFIABLE.has(v.rule));
  const held = found.filter((v) => NEEDS_APPROVAL.has(v.rule) || weakening);
  const violations = found.filter((v) => !held.includes(v));
  // A raised drift severity chooses the tier as it would for any finding of that severity.
  const severe = patch.drift?.severity;
  const chosen = severe ? chooseTier({ ...finding, severity: severityOf(severe.label, 'finding') }, ctx.config.policy) : undefined;
  // `observe` proposes nothing, as `recommend`: the differences are kept as the recommendation.
  const tier = chosen === undefined ? decision.tier : chosen.tier === 'observe' ? 'recommend' : chosen.tier;
  if (violations.length > 0) {
    const reason = `the guardrail refused the patch: ${listed(violations)}`;
    await transitionAll(ctx, activeFingerprints(state), 'patched', 'blocked', { reason, data: { violations } });
    return { allowed: false, tier, violations, reason };
  }
  // The skill's own word that its fix replaces or interrupts the resource holds even where the guardrail's tables see nothing.
  if ((held.length > 0 || patch.disruption || severe) && tier !== 'recommend') {
    const downtime = held.length === 0 && patch.disruption?.kind === 'downtime';
    const why = severe
      ? `the drift is ${severe.label} (${severe.reasons.join('; ')})`
      : weakening
        ? 'the patch codifies a security weakening made outside the code'
        : downtime
          ? 'the patch interrupts a resource while it applies (downtime)'
          : 'the patch replaces a resource (it is destroyed and created again)';
    const who = severe ? 'a person decides: codify, revert or ignore' : 'it needs an approver';
    const reason = `${why}; ${who}${held.length > 0 ? `: ${listed(held)}` : severe ? '' : ` (${patch.skill ?? 'the skill of its control'} says so)`}`;
    await ctx.ledger.appendAudit({
      fingerprint: fp,
      type: severe ? 'policy.drift-severity' : weakening ? 'policy.weakening' : downtime ? 'policy.downtime' : 'policy.replacement',
      actor: ctx.actor,
      at: ctx.now(),
      data: { violations: held, tier, ...(severe ? { severity: severe.label, rule: chosen?.rule ?? null } : {}) },
    });
    return { allowed: true, tier: 'pull_request_with_approval', violations: held, reason };
  }
  if (tier === 'recommend') {
    const by = severe
      ? `${chosen?.rule === undefined ? 'the policy default' : `policy rule ${chosen.rule}`} at severity ${severe.label}`
      : decision.reason;
    const reason = `tier recommend: the patch is kept as a recommendation, no branch is opened (${by})`;
    await transitionAll(ctx, activeFingerprints(state), 'patched', 'recommended', { reason, data: { artifact: key } });
    return { allowed: true, tier, reason };
  }
  return { allowed: true, tier };
};
