/** The work behind `cloudmend run`: open the local context, recover interrupted runs, run each event. */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { UsageError } from '../errors.js';
import type { ApproveMode } from '../local/approval-wait.js';
import { finishInterrupted } from '../local/approval-resume.js';
import { createRuntime, type StepEvent } from '../local/runtime.js';
import { openLocal } from '../local/setup.js';
import { acceptedActions, actionsFor } from '../approvals/choices.js';
import type { ApprovalNotifier } from '../approvals/port.js';
import { batchByReference } from '../workflow/stored.js';
import { OUTCOME_STATUSES, type FindingOutcome } from '../workflow/types.js';
import { planBatches, skillCoverage } from '../triggers/batching.js';
import { readEventInputs } from './inputs.js';
import { printableLine } from '../printable.js';
import type { Io } from './io.js';
import { decideCommand, ledgerFlags } from './ledger-commands.js';
import { plural } from '../plural.js';

export interface RunOptions {
  readonly repo?: string[];
  readonly config?: string;
  readonly approve?: string;
  readonly state?: string;
  readonly json?: boolean;
  readonly push?: boolean;
  /** `none`, `bedrock` or `bedrock:<model id or inference profile>`; overrides the config's model. */
  readonly model?: string;
  /** Group the events' findings by repository first, each resource's together: one execution per batch. */
  readonly batch?: boolean;
}

export interface RunReport {
  readonly results: readonly (FindingOutcome & { readonly file: string })[];
  readonly rejected: readonly { readonly file: string; readonly error: string }[];
  readonly summary: Readonly<Record<string, number>>;
  readonly recovered: readonly string[];
  /** The largest execution input, and the largest state input or output after it (bytes): Step Functions takes at most 256 KiB. */
  readonly largestInputBytes: number;
  readonly largestStateBytes: number;
}

/** Approval requests told on stderr, with the commands that decide them (with the flags that reach this run's ledger). */
export function terminalNotifier(io: Io, mode: ApproveMode, flags = ''): ApprovalNotifier {
  return {
    requestApproval(r) {
      const how = mode === 'wait' ? decideCommand(r.approvalId, actionsFor(r).actions, flags) : `--approve ${mode}`;
      io.stderr(
        `${printableLine(`  approval requested ${r.approvalId}: ${r.controlId ?? (r.drift ? 'drift' : '-')} ${r.resource} in ${r.repository} (until ${r.expiresAt.toISOString()}); ${how}`)}\n`,
      );
      return Promise.resolve({});
    },
  };
}

/** Progress lines on stderr, one per finished step of a finding. */
export function progress(io: Io): (e: StepEvent) => void {
  return (e) => {
    if (e.status === 'start' || !e.fingerprint) return;
    const detail = e.detail ? ` ${e.detail}` : '';
    io.stderr(
      `${printableLine(`  ${e.fingerprint.slice(0, 8)}  ${e.step.padEnd(15)} ${e.status === 'ok' ? 'done' : e.status}${detail}`)}\n`,
    );
  };
}

function parseApprove(value: string | undefined): ApproveMode {
  const mode = value ?? 'wait';
  if (mode !== 'auto' && mode !== 'reject' && mode !== 'wait') throw new UsageError(`--approve must be auto, reject or wait, not ${mode}`);
  return mode;
}

/** The config's model, or the one `--model` names. */
export function withModel(config: Config, option: string | undefined): Config {
  if (option === undefined) return config;
  const [provider, ...rest] = option.split(':');
  const modelId = rest.join(':') || config.model.modelId;
  if (provider === 'none') return { ...config, model: { ...config.model, provider: 'none' } };
  if (provider !== 'bedrock') throw new UsageError(`--model must be none, bedrock or bedrock:<model id>, not ${option}`);
  if (!modelId)
    throw new UsageError(
      '--model bedrock needs a model id: --model bedrock:<model id or inference profile>, or model.modelId in the config',
    );
  return { ...config, model: { ...config.model, provider: 'bedrock', modelId } };
}

/** Runs the events; the report is what `--json` prints. */
export async function runEvents(paths: readonly string[], options: RunOptions, io: Io): Promise<RunReport> {
  const approve = parseApprove(options.approve);
  const loaded = loadConfig({ path: options.config, env: io.env, cwd: io.cwd });
  const config = withModel(loaded.config, options.model);
  const configDir = loaded.baseDir;
  const runId = randomUUID().slice(0, 8);
  const local = await openLocal({
    config,
    configDir,
    cwd: io.cwd,
    stateDir: options.state,
    repos: options.repo,
    push: options.push,
    env: io.env,
    approvals: terminalNotifier(io, approve, ledgerFlags(options)),
    runId,
  });
  try {
    const runtime = createRuntime({ context: local.ctx, approve, onStep: options.json ? undefined : progress(io) });
    const results: (FindingOutcome & { file: string })[] = [];
    const rejected: { file: string; error: string }[] = [];
    // First what runs before this one left: decisions nobody waited for are carried out, the rest runs again.
    // An undecided one is waited on here first, as the run that asked waited on it.
    const { taken, interrupted: recovered } = await finishInterrupted(local.ctx, runtime, (message) => io.stderr(`${message}\n`));
    for (const { approvalId, decision, continue: resume } of taken) {
      if (decision === undefined && approve === 'wait') {
        const asked = await local.ctx.ledger.getApproval(approvalId);
        const accepted = asked ? await acceptedActions(local.ctx.ledger, local.ctx.artifacts, asked.fingerprint) : undefined;
        if (accepted) io.stderr(`  ${decideCommand(approvalId, accepted.actions, ledgerFlags(options))}\n`);
      }
      const out = await resume();
      const file = `approval ${approvalId}`;
      if (out.error) rejected.push({ file, error: `${out.error.Error}: ${out.error.Cause}` });
      for (const r of out.results) results.push({ ...r, file });
    }
    if (recovered.length > 0)
      io.stderr(`recovered ${plural(recovered.length, 'finding')} an interrupted run left in flight; they run again\n`);
    let largestInputBytes = 0;
    let largestStateBytes = 0;
    const runOne = async (event: unknown, file: string): Promise<void> => {
      if (!options.json) io.stderr(`${printableLine(file)}\n`);
      const out = await runtime.run(event);
      largestInputBytes = Math.max(largestInputBytes, out.inputBytes);
      largestStateBytes = Math.max(largestStateBytes, out.largestStateBytes);
      if (out.error) rejected.push({ file, error: `${out.error.Error}: ${out.error.Cause}` });
      for (const r of out.results) results.push({ ...r, file });
    };
    // Events are read and run one at a time; a batch needs them all first.
    const batched: unknown[] = [];
    for (const input of readEventInputs(paths, io.cwd)) {
      if (input.error !== undefined) rejected.push({ file: input.file, error: input.error });
      else if (options.batch) batched.push(input.event);
      else await runOne(input.event, input.file);
    }
    if (options.batch) {
      // The context's config: the repositories `--repo` adds are in it, not in the config file.
      const plan = planBatches(batched, local.ctx.config, {
        maxFindings: local.ctx.config.batching.maxFindings,
        batchable: await skillCoverage(local.ctx.config),
        now: new Date(),
      });
      io.stderr(
        `batched ${plural(batched.length, 'event')}: ${plural(plan.batches, 'batch', 'batches')} for ${plural(plan.groups, 'repository', 'repositories')}, ${plural(plan.passthrough, 'event')} on their own, ${plural(plan.duplicates, 'redelivered finding')} dropped\n`,
      );
      // As in AWS: a batch's events go to the artifact store, and its execution starts with their key.
      for (const [i, event] of plan.executions.entries())
        await runOne(
          await batchByReference(local.ctx.artifacts, event),
          i < plan.batches ? String((event as { id: string }).id) : `event ${i - plan.batches + 1}`,
        );
    }
    const summary: Record<string, number> = { findings: results.length, rejected_events: rejected.length };
    for (const status of OUTCOME_STATUSES) summary[status] = results.filter((r) => r.status === status).length;
    return { results, rejected, summary, recovered, largestInputBytes, largestStateBytes };
  } finally {
    await local.close();
  }
}
