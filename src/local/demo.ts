/**
 * `cloudmend demo` (what `npm start` runs): the example repositories copied into a temporary
 * directory as real git repositories, the example events run through the real workflow with
 * approvals granted on the spot, and the branches that came out, diffs included. Offline.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '../cli/io.js';
import { runEvents, type RunReport } from '../cli/run-events.js';
import { toolJail } from '../iac/validators/jail.js';
import { GitRepository, gitIdentity } from '../scm/git.js';

export const EXAMPLES_DIR = join(import.meta.dirname, '../../examples');
/** The example repositories, and how many of each one's branches the demo prints the diff of. */
const REPOSITORIES: readonly { readonly name: string; readonly diffs: number }[] = [
  { name: 'infra-live', diffs: 1 }, // Terraform
  { name: 'platform-stacks', diffs: 0 }, // CloudFormation
  { name: 'storefront-cdk', diffs: Infinity }, // a CDK app: every fix is a change to its TypeScript
];

const AUTHOR = { name: 'Acme Platform Team', email: 'platform@acme.example' };

/** A new repository in `dir` with everything there committed on `main`. */
async function initRepository(dir: string): Promise<GitRepository> {
  const repo = await GitRepository.create(dir, ['--initial-branch=main']);
  await repo.run(['add', '--all']);
  await repo.run(['commit', '--quiet', '-m', 'Initial infrastructure'], gitIdentity(AUTHOR));
  return repo;
}

export interface DemoResult {
  readonly root: string;
  readonly report: RunReport;
  readonly branches: Readonly<Record<string, readonly string[]>>;
}

/** Sets up the repositories, runs the events; prints as it goes. */
export async function runDemo(io: Io): Promise<DemoResult> {
  const root = mkdtempSync(join(tmpdir(), 'cloudmend-demo-'));
  const say = (text: string): void => io.stdout(`${text}\n`);
  say(`cloudmend demo: example repositories in ${root}/repos, state in ${root}/state\n`);
  const repos = new Map<string, GitRepository>();
  for (const { name } of REPOSITORIES) {
    const dir = join(root, 'repos', name);
    cpSync(join(EXAMPLES_DIR, 'repos', name), dir, { recursive: true });
    repos.set(name, await initRepository(dir));
    say(`  git repository ${name}: ${dir}`);
  }
  // The CDK app only ever runs in the tool jail: without one its findings end recommended, and the reader should know why.
  const { reason: noJail } = await toolJail(io.env);
  if (noJail)
    say(`\n  WARNING: storefront-cdk's findings end recommended (no pull request): its app is never run outside a jail, and ${noJail}`);
  say('\n1. Events from examples/events go through statemachines/remediate.asl.json (approvals: granted automatically for the demo)\n');
  const report = await runEvents(
    [join(EXAMPLES_DIR, 'events')],
    // Offline: no model. Findings no skill covers end as needs_model, with how to let the agent try.
    {
      config: join(EXAMPLES_DIR, 'cloudmend.config.yaml'),
      repo: REPOSITORIES.map(({ name }) => `${name}=${join(root, 'repos', name)}`),
      approve: 'auto',
      state: join(root, 'state'),
      model: 'none',
    },
    { ...io, stdout: io.stderr },
  );
  const branches: Record<string, string[]> = {};
  say('\n2. Pull-request branches (your working trees and checked-out branches are untouched)\n');
  for (const [name, repo] of repos) {
    const list = await repo.branches('cloudmend/');
    branches[name] = list;
    for (const branch of list) {
      const stat = (await repo.run(['diff', '--stat', `main...${branch}`])).trim().split('\n').at(-1) ?? '';
      say(`  ${name}  ${branch.padEnd(36)} ${stat.trim()}`);
    }
  }
  for (const { name, diffs } of REPOSITORIES) {
    for (const branch of (branches[name] ?? []).slice(0, diffs)) {
      say(`\n   the diff of ${branch} in ${name}:\n`);
      say((await repos.get(name)!.run(['diff', `main...${branch}`])).replace(/^/gm, '   '));
    }
  }
  return { root, report, branches };
}
