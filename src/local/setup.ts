/**
 * Everything a local run needs, bound to the ports: the SQLite ledger and artifact store under the
 * state directory, snapshots and branches in the configured git repositories, the local sandbox
 * (the agent's child process, the validators' jail), and approvals asked for on the terminal.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Model } from '../agent/model.js';
import type { Artifacts } from '../artifacts/port.js';
import type { Config, RepositoryConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { openSqliteLedger } from '../ledger/sqlite.js';
import type { Ledger } from '../ledger/port.js';
import { GitRepository } from '../scm/git.js';
import { localGitPullRequests } from '../scm/local-git.js';
import { localRepositories } from '../scm/local-snapshot.js';
import type { TaskContext } from '../workflow/context.js';
import type { ApprovalNotifier } from '../approvals/port.js';
import { fileArtifacts } from './artifacts.js';
import { ledgerFindingUpdates } from './finding-updates.js';
import { localSandbox } from './sandbox.js';
import { localActor, openRun } from './recovery.js';

export interface LocalSetup {
  readonly config: Config;
  /** Directory of the config file (or the current directory without one). */
  readonly configDir: string;
  readonly cwd: string;
  /** `--state`: where the ledger and artifacts live. @default the ledger path's directory, `.cloudmend/` */
  readonly stateDir?: string | undefined;
  /** `--repo [name=]path`, repeatable. */
  readonly repos?: readonly string[] | undefined;
  readonly push?: boolean | undefined;
  readonly env: NodeJS.ProcessEnv;
  readonly approvals: ApprovalNotifier;
  readonly runId: string;
  /** The model for the agent; by default Bedrock as the config says, with the user's AWS credentials. */
  readonly model?: Model | undefined;
  /** Where warnings for the user go (the sandbox without network isolation). @default stderr */
  readonly warn?: ((message: string) => void) | undefined;
}

export interface LocalContext {
  readonly ctx: TaskContext;
  readonly stateDir: string;
  close(): Promise<void>;
}

/** The state directory: `--state`, else the directory of the configured ledger path. */
export function stateDirOf(setup: Pick<LocalSetup, 'config' | 'configDir' | 'cwd' | 'stateDir'>): string {
  if (setup.stateDir) return resolve(setup.cwd, setup.stateDir);
  return dirname(resolve(setup.configDir, setup.config.ledger.path));
}

/** Where the local ledger is: `ledger.db` in an explicit state directory, else the config's `ledger.path`. */
export function ledgerPathOf(stateDir: string, setup: Pick<LocalSetup, 'config' | 'configDir' | 'stateDir'>): string {
  return setup.stateDir ? resolve(stateDir, 'ledger.db') : resolve(setup.configDir, setup.config.ledger.path);
}

/** The artifact store of the state directory `stateDir` (patches between tasks). */
export const artifactsAt = (stateDir: string): Artifacts => fileArtifacts(resolve(stateDir, 'artifacts'));

export function openLedgerAt(stateDir: string, setup: Pick<LocalSetup, 'config' | 'configDir' | 'stateDir'>): Ledger {
  return openSqliteLedger({ path: ledgerPathOf(stateDir, setup) });
}

/** `main` or `master` when the repository has it, else the branch HEAD names. */
async function defaultBranchOf(path: string): Promise<string> {
  const repo = GitRepository.at(path);
  const branches = await repo.branches();
  for (const name of ['main', 'master']) if (branches.includes(name)) return name;
  // --quiet: a detached HEAD prints nothing instead of failing.
  const current = (await repo.run(['symbolic-ref', '--quiet', 'HEAD'])).trim();
  if (current.startsWith('refs/heads/')) return current.slice('refs/heads/'.length);
  throw new UsageError(`${path} has no branch to use as the default branch`);
}

function iacOf(path: string): RepositoryConfig['iac'] {
  const walk = (dir: string, depth: number): boolean =>
    readdirSync(dir, { withFileTypes: true }).some(
      (e) =>
        (e.isFile() && e.name.endsWith('.tf')) ||
        (e.isDirectory() && depth < 4 && !e.name.startsWith('.') && e.name !== 'node_modules' && walk(resolve(dir, e.name), depth + 1)),
    );
  return walk(path, 0) ? 'terraform' : 'cloudformation';
}

/**
 * The configured repositories with `--repo` applied: `name=path` relocates that repository; a bare
 * path relocates the only one, or, with none configured, becomes one that owns every account.
 */
export async function repositoriesOf(setup: Pick<LocalSetup, 'config' | 'configDir' | 'cwd' | 'repos'>): Promise<RepositoryConfig[]> {
  const repos = setup.config.repositories.map((r) => ({
    ...r,
    location: r.provider === 'local' ? resolve(setup.configDir, r.location) : r.location,
  }));
  for (const spec of setup.repos ?? []) {
    const eq = spec.indexOf('=');
    const [name, path] = eq > 0 ? [spec.slice(0, eq), resolve(setup.cwd, spec.slice(eq + 1))] : [undefined, resolve(setup.cwd, spec)];
    if (!existsSync(path)) throw new UsageError(`--repo ${spec}: ${path} does not exist`);
    const index = name !== undefined ? repos.findIndex((r) => r.name === name) : repos.length === 1 ? 0 : -1;
    if (name !== undefined && index < 0)
      throw new UsageError(
        `--repo ${spec}: no repository named ${name} in the config (have: ${repos.map((r) => r.name).join(', ') || 'none'})`,
      );
    if (index >= 0) {
      const current = repos[index];
      if (current) repos[index] = { ...current, provider: 'local', location: path };
    } else if (repos.length === 0) {
      repos.push({
        name: basename(path),
        provider: 'local',
        location: path,
        defaultBranch: await defaultBranchOf(path),
        iac: iacOf(path),
        owns: { accounts: ['*'] },
      });
    } else {
      throw new UsageError(`--repo ${spec}: the config has ${repos.length} repositories; say which with --repo <name>=<path>`);
    }
  }
  return repos;
}

/** The agent's model: the one given, or Bedrock as configured (loaded only when an agent runs). */
async function modelOf(setup: LocalSetup): Promise<Model> {
  if (setup.model) return setup.model;
  const { modelId, region } = setup.config.model;
  if (setup.config.model.provider !== 'bedrock' || modelId === undefined)
    throw new UsageError('no model is configured: set model.provider: bedrock and model.modelId, or pass --model bedrock:<model id>');
  const { bedrockModel } = await import('../agent/bedrock.js');
  return bedrockModel({ modelId, region });
}

export async function openLocal(setup: LocalSetup): Promise<LocalContext> {
  const repositories = await repositoriesOf(setup);
  const config: Config = { ...setup.config, repositories };
  const stateDir = stateDirOf(setup);
  const local = Object.fromEntries(
    repositories.filter((r) => r.provider === 'local').map((r) => [r.name, { path: r.location, defaultBranch: r.defaultBranch }]),
  );
  const ledger = openLedgerAt(stateDir, setup);
  const snapshots = localRepositories({ repositories: local });
  const actor = localActor(setup.runId);
  // Until closed, the findings and approvals this run holds are a live run's, never recovered from under it.
  const endRun = openRun(actor);
  const artifacts = artifactsAt(stateDir);
  const now = () => new Date();
  const ctx: TaskContext = {
    config,
    configDir: setup.configDir,
    ledger,
    repositories: snapshots,
    pullRequests: localGitPullRequests({ repositories: local, push: setup.push ?? false }),
    artifacts,
    approvals: setup.approvals,
    findingUpdates: ledgerFindingUpdates(ledger, actor, now),
    sandbox: localSandbox({
      artifacts,
      model: () => modelOf(setup),
      env: setup.env,
      warn: setup.warn ?? ((m) => process.stderr.write(`${m}\n`)),
    }),
    now,
    actor,
  };
  return {
    ctx,
    stateDir,
    async close() {
      endRun();
      await snapshots.close();
      await ledger.close();
    },
  };
}
