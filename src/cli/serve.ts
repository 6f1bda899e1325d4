/**
 * The work behind `cloudmend serve`: the local context, the runtime (approvals wait for a decision
 * in the ledger), Slack when its secrets are in the environment, and the HTTP server.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import type { InteractionDeps } from '../approvals/interactions.js';
import { postEphemeralReply, slackApprovalNotifier, updateApprovalMessage } from '../approvals/slack-notifier.js';
import { loadConfig } from '../config/load.js';
import { createConsole } from '../console/index.js';
import { UsageError } from '../errors.js';
import { finishInterrupted } from '../local/approval-resume.js';
import { createRuntime, type RunOutput } from '../local/runtime.js';
import { isWildcard, urlHost } from '../local/request-guard.js';
import { createLocalServer } from '../local/server.js';
import { openLocal } from '../local/setup.js';
import type { Io } from './io.js';
import { ledgerFlags } from './ledger-commands.js';
import { terminalNotifier, withModel } from './run-events.js';
import { accessHelp, resolveServeAccess, SERVE_ENV, type ServeAccessOptions } from './serve-access.js';
import { plural } from '../plural.js';

export interface ServeOptions extends ServeAccessOptions {
  readonly port?: string;
  readonly host?: string;
  readonly repo?: string[];
  readonly config?: string;
  readonly state?: string;
  readonly push?: boolean;
  readonly model?: string;
}

export interface Serving {
  /** Where clients reach it: the bound address, or loopback when it listens on every address. */
  readonly url: string;
  /**
   * Drains and stops: no new event is taken, runs waiting for approval end at once (the next start
   * takes their approvals over, under the same ids: it carries out a decision, or waits on), the
   * others may finish within `graceMs` and are ended then (the next start runs their findings
   * again). The ledger closes last, when nothing uses it any more.
   * @default graceMs DRAIN_MS
   */
  close(graceMs?: number): Promise<void>;
}

/** The environment variables `serve` reads for Slack; the values never reach a log. */
const SLACK_ENV = { signingSecret: 'SLACK_SIGNING_SECRET', botToken: 'SLACK_BOT_TOKEN', apiUrl: 'CLOUDMEND_SLACK_API_URL' } as const;

/** How often a running `serve` looks for findings stuck in flight (`recovery.stuckAfter` decides which are). */
export const RECOVERY_INTERVAL_MS = 10 * 60_000;

/** How long a stopping `serve` lets its runs finish (under the 30 s a container runtime waits before SIGKILL). */
export const DRAIN_MS = 25_000;

function portOf(value: string | undefined): number {
  const port = Number(value ?? '8787');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port must be a port number (0-65535), not ${value}`);
  return port;
}

/** Where clients reach `where`: its address, or loopback for a wildcard, which no Host header may name. */
function reachableAt(where: AddressInfo): string {
  const address = !isWildcard(where.address) ? where.address : where.family === 'IPv6' ? '::1' : '127.0.0.1';
  return `http://${urlHost(address)}:${where.port}`;
}

/** Starts `cloudmend serve`: prints the token help once it listens, and returns where it is. */
export async function startServe(options: ServeOptions, io: Io): Promise<Serving> {
  const port = portOf(options.port);
  const access = resolveServeAccess(options, io.env, io.cwd);
  const loaded = loadConfig({ path: options.config, env: io.env, cwd: io.cwd });
  const config = withModel(loaded.config, options.model);
  const signingSecret = io.env[SLACK_ENV.signingSecret];
  const botToken = io.env[SLACK_ENV.botToken];
  const apiUrl = io.env[SLACK_ENV.apiUrl];
  const slack = botToken
    ? new WebClient(botToken, {
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 2, maxTimeout: 2000 },
        ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
      })
    : undefined;
  const channel = config.approvals.slack?.channel;
  const approvals =
    slack && channel ? slackApprovalNotifier({ client: slack, channel }) : terminalNotifier(io, 'wait', ledgerFlags(options));

  // Nothing the workflow starts (validators, the sandbox, the model's client) needs the serve token.
  const env = { ...io.env };
  delete env[SERVE_ENV.token];
  const local = await openLocal({
    config,
    configDir: loaded.baseDir,
    cwd: io.cwd,
    stateDir: options.state,
    repos: options.repo,
    push: options.push,
    env,
    approvals,
    runId: randomUUID().slice(0, 8),
  });
  const log = (line: string): void => io.stderr(`${new Date().toISOString()} ${line}\n`);
  const runtime = createRuntime({ context: local.ctx, approve: 'wait' });
  const recover = async (): Promise<void> => {
    const { taken, interrupted } = await finishInterrupted(local.ctx, runtime, log);
    for (const { approvalId, decision, continue: resume } of taken) {
      const done = resume().then((out) =>
        log(
          `approval ${approvalId}: ${out.interrupted ?? (out.error ? `${out.error.Error}: ${out.error.Cause}` : out.results.map((r) => `${r.fingerprint.slice(0, 12)} ${r.status}`).join(', '))}`,
        ),
      );
      // A decision is carried out before serve goes on; an undecided request is waited on meanwhile, as a run of serve waits.
      if (decision !== undefined) await done;
    }
    if (interrupted.length > 0)
      log(
        `recovered ${plural(interrupted.length, 'finding')} an interrupted or stuck run left in flight; POST their events again to finish them`,
      );
  };
  await recover();
  // While up, its own runs too: one that hangs, or ends where no Catch records it, is past the bound.
  let recovering: Promise<void> | undefined;
  const timer = setInterval(() => {
    recovering ??= recover()
      .catch((error: unknown) => log(`recovery failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (recovering = undefined));
  }, RECOVERY_INTERVAL_MS);
  timer.unref();

  const interactions: Omit<InteractionDeps, 'now'> | undefined = signingSecret
    ? {
        signingSecret,
        ledger: local.ctx.ledger,
        artifacts: local.ctx.artifacts,
        approvers: config.approvals.approvers,
        groupMembers: async (group) => {
          if (!slack) throw new Error(`approver group ${group} needs ${SLACK_ENV.botToken} to be read`);
          return (await slack.usergroups.users.list({ usergroup: group })).users ?? [];
        },
        // Locally the waiting run watches the ledger, where the decision has just been recorded.
        callbacks: { succeed: () => Promise.resolve(), fail: () => Promise.resolve() },
        updateMessage: slack ? (update) => updateApprovalMessage(slack, update) : undefined,
        postEphemeral: slack ? (reply) => postEphemeralReply(slack, reply) : undefined,
      }
    : undefined;
  if (!interactions)
    io.stderr(`${SLACK_ENV.signingSecret} is not set: /slack/interactions answers 503; approve with cloudmend approve <id>\n`);
  else if (config.approvals.approvers.users.length + config.approvals.approvers.groups.length === 0)
    io.stderr('approvals.approvers is empty in the config: every Slack click will be refused\n');
  if (!(slack && channel))
    io.stderr(
      `approval requests are printed here; to post them to Slack set ${[slack ? undefined : SLACK_ENV.botToken, channel ? undefined : 'approvals.slack.channel in the config'].filter(Boolean).join(' and ')}\n`,
    );

  const runEvent = (event: unknown): Promise<RunOutput> => runtime.run(event);
  const { ledger, artifacts, now } = local.ctx;
  const web = createConsole({ ledger, artifacts, now });
  const server = createLocalServer({ runEvent, interactions, access: access.access, log, console: web });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new UsageError(`port ${port} is in use: pick another with --port`) : error),
    );
    server.listen(port, options.host ?? '127.0.0.1', resolve);
  });
  const bound = server.address() as AddressInfo;
  const url = reachableAt(bound);
  if (isWildcard(bound.address)) {
    const names = `${new URL(url).host}, localhost or an --allowed-host`;
    io.stderr(`listening on every address (${bound.address}): requests must name it ${names}\n`);
  }
  io.stderr(accessHelp(access, url));
  return {
    url,
    async close(graceMs = DRAIN_MS) {
      clearInterval(timer);
      // No new connection; requests already in go on until their run ends (a new run is refused).
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await runtime.stop(graceMs);
      await recovering;
      server.closeAllConnections();
      await closed;
      await local.close();
    },
  };
}
