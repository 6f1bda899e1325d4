/**
 * The sandbox's third mode: a CDK app's findings, fixed and verified (src/skills/cdk-remediate.ts).
 * The app is repository code and runs only here, each synthesis in the tool jail; the workflow
 * leaves the task in the artifact store and CollectValidation records what came back.
 */
import type { Config } from '../config/schema.js';
import type { Finding } from '../findings/finding.js';
import type { AppFile, CdkApp } from '../iac/cdk/app.js';
import { synthesize } from '../iac/cdk/synth.js';
import type { CdkRemediation } from '../skills/cdk-remediate.js';
import { skillOptionsOf } from '../skills/options.js';
import { loadSkills } from '../skills/registry.js';
import type { SandboxFailure } from './output.js';

export interface CdkTask {
  readonly mode: 'cdk';
  readonly app: CdkApp;
  /** The repository's files at the commit (the app, its assets, its cdk.context.json). */
  readonly files: readonly AppFile[];
  readonly findings: readonly { readonly fingerprint: string; readonly finding: Finding; readonly skills: readonly string[] }[];
  /** The config's `skills` section: values only the user knows. */
  readonly skills: Config['skills'];
  /** Where the app's packages are installed, for a local run; the sandbox's own aws-cdk-lib and constructs otherwise. */
  readonly nodeModules?: string | undefined;
}

/** The remediation as JSON: `changed` as path → text. */
export type CdkResult = Omit<CdkRemediation, 'changed'> & { readonly changed: Readonly<Record<string, string>> };

export type CdkOutput = { readonly status: 'remediated'; readonly result: CdkResult } | SandboxFailure;

export function isCdkTask(task: unknown): task is CdkTask {
  return typeof task === 'object' && task !== null && (task as { mode?: unknown }).mode === 'cdk';
}

export async function runCdkTask(task: CdkTask, env: NodeJS.ProcessEnv): Promise<CdkOutput> {
  // The fix reads TypeScript with its compiler: loaded when a CDK task runs, not with every sandbox or CLI start.
  const { remediateApp } = await import('../skills/cdk-remediate.js');
  const all = await loadSkills();
  const result = await remediateApp({
    app: task.app,
    files: task.files,
    findings: task.findings.map((f) => ({
      key: f.fingerprint,
      finding: f.finding,
      skills: f.skills.flatMap((id) => all.find((s) => s.meta.id === id && s.cloudformation) ?? []),
    })),
    options: skillOptionsOf({ skills: task.skills }),
    allSkills: all.filter((s) => s.cloudformation),
    synth: (files) => synthesize(task.app, files, { env, nodeModules: task.nodeModules }),
  });
  return { status: 'remediated', result: { ...result, changed: Object.fromEntries(result.changed) } };
}
