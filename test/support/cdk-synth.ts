/**
 * `npx cdk synth` as a newcomer runs it: offline (in a network namespace without network where the
 * OS allows, and every Node process of the run watched for connection attempts), with no account
 * or profile to look anything up with.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/project.js';

export const isolated = spawnSync('unshare', ['-rn', 'true']).status === 0;

export interface SynthRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
  /** The connections any process of the run attempted, one per line; empty when none. */
  readonly network: string;
}

/** The environment of a watched run: connection attempts are written to `netLog`. */
export function watchedEnvironment(netLog: string): NodeJS.ProcessEnv {
  // A newcomer's machine: no account, profile or credentials, whatever another test of this worker left in the environment.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(CDK_DEFAULT_\w+|AWS_(PROFILE|REGION|DEFAULT_REGION|ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN))$/.test(name),
    ),
  );
  return { ...env, NODE_OPTIONS: `--require ${join(PROJECT_ROOT, 'test/support/no-network.cjs')}`, CLOUDMEND_NET_LOG: netLog, CI: 'true' };
}

/** Runs `npx cdk synth -q <args>` from the project root, watched, in `work` (for its connection log). */
export function synth(work: string, args: readonly string[]): SynthRun {
  const netLog = join(work, `net-${Math.random().toString(16).slice(2)}.log`);
  writeFileSync(netLog, '');
  const command = ['npx', 'cdk', 'synth', '-q', ...args];
  const started = Date.now();
  const run = isolated
    ? spawnSync('unshare', ['-rn', 'sh', '-c', 'ip link set lo up 2>/dev/null; exec "$@"', 'sh', ...command], {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        env: watchedEnvironment(netLog),
      })
    : spawnSync(command[0]!, command.slice(1), { cwd: PROJECT_ROOT, encoding: 'utf8', env: watchedEnvironment(netLog) });
  return {
    status: run.status,
    stdout: run.stdout,
    stderr: run.stderr,
    seconds: (Date.now() - started) / 1000,
    network: readFileSync(netLog, 'utf8'),
  };
}
