/**
 * A CDK app's findings in the workflow. ApplySkill leaves one sandbox task for the item (the app's
 * files, its findings, the skills covering each); the sandbox synthesizes the app in its jail,
 * locates each finding's construct, writes and verifies the fix (src/sandbox/cdk.ts); and
 * CollectValidation records each finding's outcome here and turns the fix into the item's patch,
 * with the constructs it changes and the synthesized templates before and after, which CheckPolicy's
 * guardrail judges besides the TypeScript.
 */
import { resolve } from 'node:path';
import { readCdkApp } from '../iac/cdk/app.js';
import { listRepoFiles } from '../iac/repo-files.js';
import type { CdkOutput, CdkTask } from '../sandbox/cdk.js';
import type { TaskContext } from './context.js';
import { PatchError, SandboxFailedError } from './errors.js';
import { activeTargets, settle } from './item.js';
import { patchFiles, risksOf } from './patch-files.js';
import { loadSkills } from '../skills/registry.js';
import { repositoryOf } from './repository.js';
import type { CdkPatch, IterationState, Patch, PatchOutput, Settled } from './types.js';
import { finishPatch } from './validation.js';

type Located = Awaited<ReturnType<typeof activeTargets>>;

/** The item's CDK task, left for the sandbox. */
export async function cdkInSandbox(ctx: TaskContext, findings: Located): Promise<PatchOutput> {
  const repo = repositoryOf(ctx, findings[0]);
  const snapshot = await ctx.repositories.snapshot(repo.name, repo.defaultBranch);
  const { files, skipped } = listRepoFiles(snapshot.root, () => true);
  const { app, reason } = readCdkApp(files);
  if (!app) throw new PatchError(`the CDK app of ${repo.name} cannot be read any more: ${reason}`);
  const task: CdkTask = {
    mode: 'cdk',
    app,
    files,
    findings: findings.map((f) => ({ fingerprint: f.fingerprint, finding: f.finding, skills: f.skills })),
    skills: ctx.config.skills,
    nodeModules: repo.nodeModules === undefined ? undefined : resolve(ctx.configDir, repo.nodeModules),
  };
  const first = findings[0].fingerprint;
  const record = await ctx.ledger.get(first);
  const run = `${first}/${record?.attempts ?? 1}`;
  const input = `sandbox/input/${run}-cdk.json`;
  await ctx.artifacts.put(input, task);
  const network = await ctx.sandbox.network();
  const skill = [...new Set(findings.flatMap((f) => f.skills))].join(', ');
  const sandbox = { mode: 'cdk', input, output: `sandbox/output/${run}-cdk.json`, network } as const;
  const notes = skipped.length > 0 ? `; not sent to the sandbox: ${skipped.slice(0, 5).join(', ')}` : '';
  return { status: 'sandbox', skill, sandbox, reason: `the CDK app is synthesized in the sandbox${notes}` };
}

/** The sandbox's answer for a CDK item: each finding's outcome recorded, and the item's patch if something was fixed. */
export async function collectCdk(ctx: TaskContext, state: IterationState, pending: PatchOutput): Promise<PatchOutput> {
  const run = pending.sandbox!;
  const output = await ctx.artifacts.get<CdkOutput>(run.output);
  if (output.status === 'failed') throw new SandboxFailedError(output.error);
  const { result } = output;
  const fixed = result.outcomes.filter((o) => o.outcome === 'fixed');
  // A fix that did not verify is a bug: no finding of the item moves on, each fails with the reason.
  if (result.failed !== undefined)
    throw new PatchError(`the CDK fix did not verify in the sandbox (${result.failed})`, {
      fingerprint: fixed[0]?.key ?? result.outcomes[0]?.key,
    });
  const settled: Settled[] = [];
  for (const o of result.outcomes) if (o.outcome !== 'fixed') settled.push(await settle(ctx, o.key, 'located', o.outcome, o.reason));
  const skill = [...new Set(fixed.flatMap((o) => o.skills))].join(', ');
  if (fixed.length === 0)
    return { status: 'suggestion', skill: pending.skill, reason: 'no finding of the item needed a change', members: [], settled };
  const task = await ctx.artifacts.get<CdkTask>(run.input);
  const members = await activeTargets(state, ctx.artifacts, 'CollectValidation');
  const repo = repositoryOf(ctx, members[0]);
  const commit = state.target?.commit;
  if (commit === undefined) throw new PatchError('CollectValidation needs the commit the CDK app was read at');
  const changes = new Map(Object.entries(result.changed));
  const before = task.files.filter((f) => changes.has(f.path));
  // The fix edits the app's existing TypeScript and nothing else; the guardrail judges the same again.
  const stray = [...changes.keys()].filter((path) => !/\.ts$/.test(path) || !before.some((f) => f.path === path));
  if (stray.length > 0) throw new PatchError(`the CDK fix wrote files that are not the app's TypeScript: ${stray.slice(0, 5).join(', ')}`);
  const { artifact, changed, fields } = await patchFiles(ctx, fixed[0]!.key, repo, commit, before, changes);
  const cdk: CdkPatch = {
    constructs: fixed.map(({ location: l }) => ({ ...l.site, path: l.constructPath, stack: l.stack.name, logicalId: l.logicalId })),
    templates: result.templates,
  };
  const validation = { passed: true, checks: result.checks };
  const all = await loadSkills();
  const metas = fixed.flatMap((o) => o.skills).flatMap((id) => all.find((s) => s.meta.id === id)?.meta ?? []);
  const patch: Patch = {
    ...fields,
    skill,
    notes: result.notes,
    messages: result.messages,
    ...risksOf([...new Set(metas)]),
    validation,
    cdk,
  };
  await ctx.artifacts.put(artifact, patch);
  const out = { status: 'patched', skill, artifact, files: changed, validation, members: fixed.map((o) => o.key), settled } as const;
  return finishPatch(ctx, state, patch, out);
}
