/**
 * The local sandbox: the agent runs as a separate process with a scrubbed environment (no AWS,
 * GitHub or Slack credentials, no tokens), on its own copy of the files, in a network namespace
 * without network where the OS allows. Model calls come back here, where the credentials are; the
 * parent also holds the budgets, so a runaway child is stopped whatever it does.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Model } from '../agent/model.js';
import type { AgentResult, AgentTask } from '../agent/task.js';
import { ISOLATION_ENV } from '../iac/validators/jail.js';
import { detectIsolation, type Isolation } from './isolation.js';
import { parseLine, type FromChild, type ToChild } from './protocol.js';

const ENTRY = join(import.meta.dirname, '../../bin/sandbox.js');

export interface LocalSandboxOptions {
  readonly model: Model;
  /** Where PATH, the Terraform provider mirror and the validator jail come from; nothing else of it is passed on. */
  readonly env?: NodeJS.ProcessEnv;
  /** Wall time over the task's own budget before the process is killed. @default 30_000 */
  readonly graceMs?: number;
  readonly isolation?: Isolation;
  /** The agent program run with `--stdio`. @default bin/sandbox.js (the sources through tsx) */
  readonly entry?: string;
  /** Told once per run when the process cannot be cut off from the network. */
  readonly warn?: (message: string) => void;
}

/** The only variables the agent process sees. */
export function sandboxEnvironment(env: NodeJS.ProcessEnv, home: string): NodeJS.ProcessEnv {
  return {
    PATH: env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    TMPDIR: home,
    LANG: 'C.UTF-8',
    CHECKPOINT_DISABLE: '1',
    ...(env.CLOUDMEND_TERRAFORM_PLUGIN_DIR ? { CLOUDMEND_TERRAFORM_PLUGIN_DIR: env.CLOUDMEND_TERRAFORM_PLUGIN_DIR } : {}),
    // Declared for a container that is itself the sandbox, which the child is in too.
    ...(env[ISOLATION_ENV] ? { [ISOLATION_ENV]: env[ISOLATION_ENV] } : {}),
  };
}

const emptyUsage = (task: AgentTask) => ({ model: task.model.modelId, calls: 0, inputTokens: 0, outputTokens: 0, latencyMs: 0 });

export async function runInLocalSandbox(task: AgentTask, options: LocalSandboxOptions): Promise<AgentResult> {
  const isolation = options.isolation ?? detectIsolation();
  if (isolation.kind === 'none') options.warn?.(`WARNING: the model agent runs WITHOUT network isolation: ${isolation.reason}`);
  const home = mkdtempSync(join(tmpdir(), 'cloudmend-sandbox-'));
  const [command, ...args] = isolation.wrap([process.execPath, options.entry ?? ENTRY, '--stdio']);
  const child = spawn(command!, args, {
    cwd: home,
    env: sandboxEnvironment(options.env ?? process.env, home),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const usage = emptyUsage(task);
  const { maxTokens, maxSeconds } = task.budgets;
  const aborter = new AbortController();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4_000)));
  // A child that is gone cannot be written to: its 'close' settles the run, not an EPIPE thrown here.
  child.stdin.on('error', () => undefined);
  const send = (message: ToChild): void => void child.stdin.write(`${JSON.stringify(message)}\n`);

  const finished = new Promise<AgentResult>((resolve, reject) => {
    const stop = (reason: string): void => {
      aborter.abort();
      child.kill('SIGKILL');
      resolve({ status: 'no_fix', reason, usage: { ...usage } });
    };
    // Past its time (a hung model or process): a failure, as the Sandbox state's timeout is in AWS, not a verdict.
    const timer = setTimeout(
      () => {
        aborter.abort();
        child.kill('SIGKILL');
        reject(Object.assign(new Error(`the sandbox ran past its ${maxSeconds} s budget and was stopped`), { name: 'TimeoutError' }));
      },
      maxSeconds * 1000 + (options.graceMs ?? 30_000),
    );
    child.on('error', (error) => stop(`the sandbox could not start: ${error.message}`));
    // 'close', not 'exit': every line the child wrote has been read by then.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      stop(
        `the sandbox exited (${signal ?? code}) without a result${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`,
      );
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = parseLine<FromChild>(line);
      if (message?.type === 'done') {
        clearTimeout(timer);
        aborter.abort();
        child.stdin.end();
        resolve(message.result);
      } else if (message?.type === 'failed') {
        clearTimeout(timer);
        aborter.abort();
        child.stdin.end();
        reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
      } else if (message?.type === 'converse') {
        // The budgets are enforced here as well: a child that ignores them gets no more turns.
        if (usage.inputTokens + usage.outputTokens >= maxTokens)
          return stop(`token budget of ${maxTokens} spent after ${usage.calls} model calls`);
        // A reply the adapter could not read (a rejection or a malformed response) goes back as an
        // error the child can end on, never left as a turn it waits for until the time budget.
        options.model
          .converse(message.request, aborter.signal)
          .then((response) => {
            usage.calls += 1;
            usage.inputTokens += response.usage.inputTokens;
            usage.outputTokens += response.usage.outputTokens;
            usage.latencyMs += response.latencyMs;
            send({ type: 'converse.result', id: message.id, response });
          })
          .catch((error: unknown) =>
            send({
              type: 'converse.error',
              id: message.id,
              error: { name: (error as Error).name ?? 'Error', message: (error as Error).message ?? String(error) },
            }),
          );
      }
    });
  });
  send({ type: 'task', task });
  try {
    return await finished;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
