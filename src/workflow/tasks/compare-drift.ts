/**
 * CompareDrift: a drifted resource (a Config item change, or a drift detector's report) against
 * its code. No drift: the finding ends in sync. Drift: the codify patch (the live values written
 * into the code) goes on like any patch, to the sandbox's validators, the guardrail and the
 * approvers, who choose codify, revert (re-deploy the code: the steps are in the patch) or ignore.
 * A drift the security rules raise (src/drift/severity.ts) goes to them even when nothing can be
 * codified: a patch that writes nothing, for revert or ignore.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codify } from '../../drift/codify.js';
import { driftOf, driftSeverity, supportedConfigTypes, supportsDrift, type DriftReport } from '../../drift/index.js';
import { isUserFacing } from '../../errors.js';
import { parsesCheck } from '../../skills/verify.js';
import type { Check } from '../../skills/verify.js';
import type { Task } from '../context.js';
import { differenceLines, reportOfReported, revertSteps } from '../drift.js';
import { PatchError } from '../errors.js';
import { codeTargets, settle } from '../item.js';
import { patchFiles } from '../patch-files.js';
import { repositoryOf } from '../repository.js';
import { liveEvidence } from '../stored.js';
import type { IterationState, Patch, PatchOutput } from '../types.js';
import { finishPatch, validateInSandbox } from '../validation.js';

/** The skill name drift patches are recorded under. */
const DRIFT_SKILL = 'drift-codify';

export const compareDrift: Task<IterationState, PatchOutput> = async (state, ctx) => {
  // A drift item holds one finding (Normalize).
  const [located] = await codeTargets(state, ctx.artifacts, 'CompareDrift');
  const { finding, target } = located;
  const repo = repositoryOf(ctx, located);
  const snapshot = await ctx.repositories.snapshot(repo.name, repo.defaultBranch);
  const before = target.files.map((path) => ({ path, text: readFileSync(join(snapshot.root, path), 'utf8') }));
  const fp = finding.fingerprint;
  const end = async (
    to: 'no_fix' | 'in_sync' | 'recommended',
    status: PatchOutput['status'],
    reason: string,
    revert?: string,
  ): Promise<PatchOutput> => ({ status, skill: DRIFT_SKILL, reason, revert, settled: [await settle(ctx, fp, 'located', to, reason)] });

  const evidence = await liveEvidence(ctx.artifacts, finding);
  const declared = { kind: target.kind, files: before, address: target.address };
  let report: DriftReport;
  if (evidence?.kind === 'differences') {
    report = reportOfReported(finding, target, evidence.differences);
  } else if (evidence?.kind === 'configuration-item') {
    if (!supportsDrift(finding.resource.type))
      return end(
        'no_fix',
        'no_fix',
        `drift comparison does not support ${finding.resource.type} yet (supported: ${supportedConfigTypes().join(', ')})`,
      );
    try {
      report = driftOf(declared, evidence.item);
    } catch (error) {
      if (!isUserFacing(error)) throw error;
      return end('no_fix', 'no_fix', `the code and the configuration item could not be compared: ${error.message}`);
    }
  } else {
    const where = finding.raw.oversizedItem ? ` (AWS Config delivered it to ${finding.raw.oversizedItem})` : '';
    return end(
      'no_fix',
      'no_fix',
      `the event does not carry the configuration item${where}; cloudmend compares only items inside the event`,
    );
  }

  const revert = revertSteps(target, finding.resource.tags['aws:cloudformation:stack-name']);
  if (!report.drifted) {
    const unknown = report.unknown.length > 0 ? `; not compared (left to variables or parameters): ${report.unknown.join(', ')}` : '';
    return end('in_sync', 'in_sync', `${target.address} in ${target.file} matches the live resource on every compared property${unknown}`);
  }
  const lines = differenceLines(report);
  const severity = driftSeverity(report);
  const codified = codify(declared, report);
  if (codified.files.size === 0) {
    const why = codified.skipped.map((s: { path: string; why: string }) => `${s.path}: ${s.why}`).join('; ');
    // A security drift asks for a decision even when there is nothing to codify: revert or ignore.
    if (severity) {
      const { artifact, fields } = await patchFiles(ctx, fp, repo, snapshot.commit, before, new Map());
      const patch: Patch = {
        ...fields,
        skill: DRIFT_SKILL,
        notes: [`cloudmend cannot write these live values into the code (${why}); revert or ignore`],
        messages: lines,
        validation: { passed: true, checks: [{ name: 'drift-clean', status: 'skipped', detail: 'nothing written: revert or ignore' }] },
        drift: { differences: lines, security: report.security, weakens: report.weakens, revert, codify: false, severity },
      };
      await ctx.artifacts.put(artifact, patch);
      return finishPatch(ctx, state, patch, {
        status: 'patched',
        skill: DRIFT_SKILL,
        artifact,
        files: [],
        validation: patch.validation,
        revert,
      });
    }
    return end(
      'recommended',
      'suggestion',
      `drift on ${target.address}: ${lines.join('; ')}. cloudmend cannot write these live values into the code (${why || 'no property it can edit'}); to revert: ${revert}`,
      revert,
    );
  }

  const after = before.map((f) => ({ path: f.path, text: codified.files.get(f.path) ?? f.text }));
  const validation = await verifyCodified(declared, after, evidence, codified.written);
  if (!validation.passed) {
    const failed = validation.checks.filter((c) => c.status === 'failed').map((c) => `${c.name}: ${c.detail}`);
    throw new PatchError(`the codify patch for ${target.address} did not verify (${failed.join('; ')})`, { fingerprint: fp });
  }
  const { artifact, changed, fields } = await patchFiles(ctx, fp, repo, snapshot.commit, before, codified.files);
  const patch: Patch = {
    ...fields,
    skill: DRIFT_SKILL,
    notes: [
      `writes the live value of ${codified.written.join(', ')} into ${target.address}`,
      ...codified.skipped.map((s: { path: string; why: string }) => `left for a person: ${s.path} (${s.why})`),
    ],
    messages: lines,
    risk: report.weakens ? 'the live values are less secure than the code was: merging keeps the weakening' : undefined,
    validation,
    drift: { differences: lines, security: report.security, weakens: report.weakens, revert, severity },
  };
  const output = { status: 'patched', skill: DRIFT_SKILL, artifact, files: changed, validation, revert } as const;
  return validateInSandbox(ctx, state, { kind: target.kind, before, after, patch, output });
};

/** The codified files parse and no longer differ from the live resource where written; the validators come next. */
async function verifyCodified(
  declared: {
    readonly kind: 'terraform' | 'cloudformation';
    readonly files: readonly { path: string; text: string }[];
    readonly address: string;
  },
  after: readonly { path: string; text: string }[],
  evidence: NonNullable<Awaited<ReturnType<typeof liveEvidence>>>,
  written: readonly string[],
): Promise<{ passed: boolean; checks: Check[] }> {
  const parses = await parsesCheck(declared.kind, after);
  if (!parses.source) return { passed: false, checks: [parses.check] };
  const checks: Check[] = [parses.check];
  if (evidence.kind === 'configuration-item') {
    const left = driftOf({ ...declared, files: after }, evidence.item).differences.filter((d) => written.includes(d.path));
    checks.push(
      left.length === 0
        ? { name: 'drift-clean', status: 'passed', detail: `${written.join(', ')} now match the live resource` }
        : { name: 'drift-clean', status: 'failed', detail: `still different after codify: ${left.map((d) => d.path).join(', ')}` },
    );
  } else {
    checks.push({ name: 'drift-clean', status: 'skipped', detail: 'the drift detector runs again on the next scan' });
  }
  return { passed: checks.every((c) => c.status !== 'failed'), checks };
}
