/** Locate: the file and resource in the owning repository's default branch that declare the finding's resource. */
import { isUserFacing } from '../../errors.js';
import { readCdkAppWith } from '../../iac/cdk/app.js';
import type { RepositoryConfig } from '../../config/schema.js';
import type { Finding } from '../../findings/finding.js';
import { locate, type Target } from '../../iac/locate.js';
import { readRepoFile } from '../../iac/repo-files.js';
import { skillsFor } from '../../skills/registry.js';
import type { Task, TaskContext } from '../context.js';
import { resourceOf } from '../summary.js';
import { activeFindings, needsModel, settle } from '../item.js';
import { repositoryOf } from '../repository.js';
import { carry } from '../stored.js';
import type { ItemFinding, IterationState, LocatedFinding, LocateOutput, Settled } from '../types.js';

/** Why a CDK app's findings without a covering skill stop here: the agent writes Terraform and CloudFormation. */
const NO_CDK_MODEL = 'the model agent does not edit CDK apps';

/**
 * A CDK app's findings: the app is found here, from its cdk.json; the construct only once the app
 * is synthesized, which runs repository code and so happens in the sandbox (ApplySkill's task).
 */
async function locateInApp(
  ctx: TaskContext,
  findings: readonly ItemFinding[],
  repo: { name: string },
  snapshot: { root: string; commit: string },
  state: IterationState,
): Promise<{ located: LocatedFinding[]; settled: Settled[] }> {
  const located: LocatedFinding[] = [];
  const settled: Settled[] = [];
  // cdk.json, cdk.context.json and the entry file: the app's other files go to the sandbox, not read here.
  const { app, reason } = readCdkAppWith((path) => {
    try {
      return readRepoFile(snapshot.root, path);
    } catch (error) {
      if (isUserFacing(error)) return undefined;
      throw error;
    }
  });
  for (const { finding } of findings) {
    const { fingerprint } = finding;
    const where = `${repo.name}@${snapshot.commit.slice(0, 12)}`;
    if (!app) {
      settled.push(
        await settle(ctx, fingerprint, 'claimed', 'no_target', `no CDK app in ${where} declares ${resourceOf(finding)}: ${reason}`),
      );
      continue;
    }
    if (state.kind === 'drift') {
      const why = `${resourceOf(finding)} drifted from the CDK app in ${where}: cloudmend does not write live changes into an app's TypeScript; deploy the app again, or change it by hand`;
      settled.push(await settle(ctx, fingerprint, 'claimed', 'no_target', why));
      continue;
    }
    const skills = finding.controlId === undefined ? [] : (await skillsFor(finding.controlId, 'cloudformation')).map((s) => s.meta.id);
    const data = {
      repository: repo.name,
      commit: snapshot.commit,
      file: app.entry,
      address: 'found when the app is synthesized',
      strategy: 'synth',
    };
    await ctx.ledger.transition({ fingerprint, from: 'claimed', to: 'located', actor: ctx.actor, at: ctx.now(), data });
    if (skills.length === 0) {
      settled.push(await needsModel(ctx, finding, '', NO_CDK_MODEL));
      continue;
    }
    const target = {
      repository: repo.name,
      kind: 'cdk' as const,
      file: app.entry,
      files: [],
      address: resourceOf(finding),
      resourceType: finding.resource.type,
      strategy: 'synth' as const,
    };
    located.push({ fingerprint, target, skills });
  }
  return { located, settled };
}

/**
 * Where a finding's resource is declared in a snapshot of its Terraform or CloudFormation repository,
 * and the skills that cover its control there; else why it has no target. `explain` runs it too.
 */
export async function locateFinding(
  finding: Finding,
  repo: Pick<RepositoryConfig, 'name' | 'iac' | 'templates'> & { readonly iac: 'terraform' | 'cloudformation' },
  snapshot: { readonly root: string; readonly commit: string },
): Promise<
  { readonly found: true; readonly target: Target; readonly skills: string[] } | { readonly found: false; readonly reason: string }
> {
  const { iac } = repo;
  const result = await locate(finding, { name: repo.name, root: snapshot.root, iac, templates: repo.templates });
  if (!result.found)
    return {
      found: false,
      reason: `no ${iac} code in ${repo.name}@${snapshot.commit.slice(0, 12)} declares ${resourceOf(finding)}: ${result.tried.join('; ') || 'nothing to try'}`,
    };
  const skills = finding.controlId === undefined ? [] : (await skillsFor(finding.controlId, iac)).map((s) => s.meta.id);
  return { found: true, target: result.target, skills };
}

/** Each finding still in the item located on its own; those whose code is not found leave it as `no_target`. */
export const locateTask: Task<IterationState, LocateOutput> = async (state, ctx) => {
  const findings = await activeFindings(state, ctx.artifacts, 'Locate');
  const repo = repositoryOf(ctx, findings[0]!);
  const snapshot = await ctx.repositories.snapshot(repo.name, repo.defaultBranch);
  const { iac } = repo;
  const { located, settled } =
    iac === 'cdk' ? await locateInApp(ctx, findings, repo, snapshot, state) : { located: [] as LocatedFinding[], settled: [] as Settled[] };
  if (iac !== 'cdk')
    for (const { finding } of findings) {
      const fingerprint = finding.fingerprint;
      const result = await locateFinding(finding, { ...repo, iac }, snapshot);
      if (!result.found) {
        settled.push(await settle(ctx, fingerprint, 'claimed', 'no_target', result.reason));
        continue;
      }
      const { target, skills } = result;
      await ctx.ledger.transition({
        fingerprint,
        from: 'claimed',
        to: 'located',
        actor: ctx.actor,
        at: ctx.now(),
        data: { repository: repo.name, commit: snapshot.commit, file: target.file, address: target.address, strategy: target.strategy },
      });
      located.push({ fingerprint, target, skills });
    }
  const first = located[0];
  const reason =
    settled.length === 1 ? settled[0]!.reason : `none of the ${settled.length} findings of the item is declared in ${repo.name}`;
  return {
    found: first !== undefined,
    target: first?.target,
    commit: snapshot.commit,
    hasSkill: located.some((l) => l.skills.length > 0),
    ...(first ? {} : { reason }),
    located: await carry(ctx.artifacts, 'targets', located),
    settled,
  };
};
