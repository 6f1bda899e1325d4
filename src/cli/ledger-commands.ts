/** `cloudmend status | approvals | approve | reject | decide | show`: the ledger, read and decided from the terminal. */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import type { FindingRecord, Ledger } from '../ledger/port.js';
import { FINDING_STATES } from '../ledger/states.js';
import { runIsAlive, waiterOf } from '../local/recovery.js';
import { artifactsAt, ledgerPathOf, openLedgerAt, stateDirOf } from '../local/setup.js';
import { DRIFT_ACTION_IDS, type DriftChoice } from '../approvals/blocks.js';
import { ACTIONS, acceptedActions, type ApprovalAction, refusalOf } from '../approvals/choices.js';
import type { Artifacts } from '../artifacts/port.js';
import { decideApproval } from '../workflow/approvals.js';
import { type FindingModelUsage, modelUsageOf, pullRequestsOf, usageTotals } from '../workflow/finding-reads.js';
import { printable, printableLine } from '../printable.js';
import type { Io } from './io.js';
import { plural } from '../plural.js';

export interface Common {
  readonly config?: string;
  readonly state?: string;
  readonly json?: boolean;
}

/**
 * Runs `fn` on the ledger a run wrote. Reading or deciding never creates one: a mistyped `--state`
 * or a missing `--config` would otherwise leave an empty ledger (and its directory) behind and
 * report that nothing happened.
 */
export async function withLedger<T>(options: Common, io: Io, fn: (ledger: Ledger, artifacts: Artifacts) => Promise<T>): Promise<T> {
  const { config, baseDir } = loadConfig({ path: options.config, env: io.env, cwd: io.cwd });
  const setup = { config, configDir: baseDir, cwd: io.cwd, stateDir: options.state };
  const path = ledgerPathOf(stateDirOf(setup), setup);
  if (!existsSync(path))
    throw new UsageError(
      `there is no ledger at ${path}: nothing has run there yet; pass the --config and --state that \`cloudmend run\` used`,
    );
  const ledger = openLedgerAt(stateDirOf(setup), setup);
  try {
    return await fn(ledger, artifactsAt(stateDirOf(setup)));
  } finally {
    await ledger.close();
  }
}

/** The options another `cloudmend` command needs to reach the same ledger: the run's `--config` and `--state`. */
export function ledgerFlags(options: { readonly config?: string | undefined; readonly state?: string | undefined }): string {
  const quoted = (value: string): string => (/^[\w./:@=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);
  return [
    ...(options.config === undefined ? [] : [`--config ${quoted(options.config)}`]),
    ...(options.state === undefined ? [] : [`--state ${quoted(options.state)}`]),
  ].join(' ');
}

// Ledger content comes from events: rows are made one printable line each, and the rest printable.
export const out = (io: Io, options: Common, json: unknown, text: string): void =>
  io.stdout(`${printable(options.json ? JSON.stringify(json, null, 2) : text)}\n`);

async function status(options: Common, io: Io): Promise<number> {
  return withLedger(options, io, async (ledger) => {
    const records = await ledger.list({ limit: 10_000 });
    const counts: Record<string, number> = {};
    for (const state of FINDING_STATES) {
      const n = records.filter((r) => r.state === state).length;
      if (n > 0) counts[state] = n;
    }
    const usage = new Map<string, FindingModelUsage>();
    for (const r of records) {
      const u = await modelUsageOf(ledger, r.fingerprint);
      if (u) usage.set(r.fingerprint, u);
    }
    const model = (fp: string): string => {
      const u = usage.get(fp);
      return u ? `model ${u.calls} calls ${u.tokens} tokens  ` : '';
    };
    const recent = records
      .slice(0, 20)
      .map((r) =>
        printableLine(
          `${r.fingerprint.slice(0, 12)}  ${(r.summary.controlId ?? '-').padEnd(12)} ${r.state.padEnd(17)} ${r.updatedAt.toISOString()}  ${model(r.fingerprint)}${r.reason ?? ''}`,
        ).slice(0, 220),
      );
    const { calls, tokens } = usageTotals([...usage.values()]);
    const totals = { calls, tokens };
    const modelLine =
      usage.size > 0 ? `\nmodel agent: ${totals.calls} calls, ${totals.tokens} tokens over ${plural(usage.size, 'remediation')}` : '';
    const findings = records.map((r) => ({ ...r, model: usage.get(r.fingerprint) }));
    out(
      io,
      options,
      { counts, model: totals, findings },
      `${plural(records.length, 'finding')}: ${
        Object.entries(counts)
          .map(([s, n]) => `${s} ${n}`)
          .join(', ') || 'none yet'
      }${modelLine}\n${recent.join('\n')}`,
    );
    return 0;
  });
}

async function approvals(options: Common, io: Io): Promise<number> {
  return withLedger(options, io, async (ledger) => {
    const pending = await ledger.listApprovals({ status: 'pending' });
    const rows = await Promise.all(
      pending.map(async (a) => {
        const f = await ledger.get(a.fingerprint);
        return {
          id: a.id,
          fingerprint: a.fingerprint,
          controlId: f?.summary.controlId,
          resource: f?.summary.resourceId,
          requestedAt: a.requestedAt,
          expiresAt: a.expiresAt,
        };
      }),
    );
    const text = rows
      .map((r) => printableLine(`${r.id}  ${r.controlId ?? '-'}  ${r.resource ?? ''}  expires ${r.expiresAt.toISOString()}`))
      .join('\n');
    out(
      io,
      options,
      { approvals: rows },
      rows.length ? `${text}\napprove with: cloudmend approve <id>; reject with: cloudmend reject <id>` : 'no approvals waiting',
    );
    return 0;
  });
}

const DRIFT_CHOICES = Object.keys(DRIFT_ACTION_IDS) as DriftChoice[];

/** Who acts from the terminal: `--by`, else the OS user. */
export const cliActor = (by: string | undefined): string => `cli:${by ?? userInfo().username}`;

/** The finding `ref` names: its fingerprint, or a unique prefix of 4 or more hex digits. */
export async function findingByRef(ledger: Ledger, ref: string): Promise<FindingRecord | undefined> {
  const record = await ledger.get(ref);
  if (record || !/^[0-9a-f]{4,31}$/.test(ref)) return record;
  const matches = (await ledger.list({ limit: 100_000 })).filter((r) => r.fingerprint.startsWith(ref));
  if (matches.length > 1) throw new UsageError(`${ref} matches ${matches.length} findings; give more of the fingerprint`);
  return matches[0];
}

/**
 * What happens after a decision, told truthfully: the run that asked continues it while it waits
 * (a live process on this host); else the next `run` or `serve` on this ledger carries it out.
 */
function nextAfter(
  decision: 'approved' | 'rejected',
  choice: string | undefined,
  waiting: boolean | undefined,
  flags: string,
): { json: 'waiting_run' | 'next_run'; text: string } {
  // A rejection is recorded on the request's finding at once; the run finishes it (the item's other findings, a drift ignore).
  const does = decision === 'approved' ? 'opens the pull request of the approved patch' : `finishes recording the ${choice ?? 'rejection'}`;
  const none = decision === 'approved' ? '' : 'no pull request opens, and ';
  if (waiting === true) return { json: 'waiting_run', text: `${none}the run waiting on it continues: it ${does}` };
  const where = flags === '' ? '' : ` with ${flags}`;
  const next = `${none}the next \`cloudmend run\` or \`cloudmend serve\`${where} ${does}`;
  return {
    json: 'next_run',
    text:
      waiting === false
        ? `no run is waiting on it: ${next}`
        : `the run that asked is not a process of this machine: if it still waits, it continues; else ${next}`,
  };
}

/** The command that decides approval `id` from the terminal, with the flags that reach its ledger. */
export function decideCommand(id: string, actions: readonly ApprovalAction[], flags: string): string {
  const also = flags === '' ? '' : ` ${flags}`;
  return actions.includes('approve')
    ? `approve with: cloudmend approve ${id}${also}  (or reject ${id}${also})`
    : `decide with: cloudmend decide ${id} ${actions.join('|')}${also}`;
}

async function decide(action: ApprovalAction, id: string, options: Common & { by?: string; reason?: string }, io: Io): Promise<number> {
  return withLedger(options, io, async (ledger, artifacts) => {
    const actor = cliActor(options.by);
    const asked = await ledger.getApproval(id);
    if (!asked) throw new UsageError(`no approval ${id}; list them with: cloudmend approvals`);
    const accepted = await acceptedActions(ledger, artifacts, asked.fingerprint);
    const refused = refusalOf(id, accepted, action);
    if (refused !== undefined)
      throw new UsageError(`${refused}; nothing changed. ${decideCommand(id, accepted.actions, ledgerFlags(options))}`);
    const { decision } = ACTIONS[action];
    const choice = accepted.drift ? action : undefined;
    const result = await decideApproval(ledger, { id, decision, actor, at: new Date(), reason: options.reason, choice });
    if (result.outcome === 'not_found') throw new UsageError(`no approval ${id}; list them with: cloudmend approvals`);
    if (result.outcome === 'decided') {
      const waiter = asked && waiterOf(asked);
      const next = nextAfter(decision, choice, waiter === undefined ? undefined : runIsAlive(waiter), ledgerFlags(options));
      out(
        io,
        options,
        { outcome: result.outcome, id, decision, choice, by: actor, next: next.json },
        `${id}: ${choice ?? decision} by ${actor}; ${next.text}`,
      );
      return 0;
    }
    const text =
      result.outcome === 'expired'
        ? `${id} had expired; nothing changed`
        : `${id} was already ${result.approval.status} by ${result.approval.decidedBy ?? 'someone'}; nothing changed`;
    out(io, options, { outcome: result.outcome, id, status: result.approval.status }, text);
    return 2;
  });
}

async function show(ref: string, options: Common, io: Io): Promise<number> {
  return withLedger(options, io, async (ledger) => {
    const pr = ref.startsWith('local:') || ref.startsWith('github:') ? await ledger.getPullRequest(ref) : undefined;
    const record = await findingByRef(ledger, pr?.fingerprint ?? ref);
    if (!record) throw new UsageError(`no finding or pull request ${ref}; list them with: cloudmend status`);
    const { fingerprint } = record;
    const [trail, prs] = await Promise.all([ledger.auditTrail(fingerprint), pullRequestsOf(ledger, record)]);
    const lines = [
      `${record.fingerprint}  ${record.summary.controlId ?? '-'}  ${record.state}${record.reason ? ` (${record.reason})` : ''}`,
      `${record.summary.title ?? ''}`,
      `${record.summary.resourceType ?? ''} ${record.summary.resourceId ?? ''}  ${record.summary.account ?? ''} ${record.summary.region ?? ''}`,
      '',
      'history:',
      ...trail.map(
        (e) => `  ${e.at.toISOString()}  ${e.type.padEnd(12)} ${e.actor}  ${e.data ? JSON.stringify(e.data).slice(0, 160) : ''}`,
      ),
    ].map(printableLine);
    // The pull request body is markdown over several lines; the rest are one line each.
    const text = [
      ...lines,
      ...prs.flatMap((p) => [
        '',
        printableLine(`pull request ${p.id} (${p.branch} at ${p.commit.slice(0, 12)})`),
        `# ${printableLine(p.title)}`,
        '',
        p.body,
      ]),
    ].join('\n');
    out(io, options, { finding: record, history: trail, pullRequests: prs }, text);
    return 0;
  });
}

/** The options every ledger command takes: where the ledger is, and JSON output. */
export const common = (c: Command): Command =>
  c
    .option('-c, --config <file>', 'config file (default: $CLOUDMEND_CONFIG, else ./cloudmend.config.yaml)')
    .option('--state <dir>', 'the state directory the run used (default: the config’s ledger path, .cloudmend/)')
    .option('--json', 'print JSON');

export function registerLedgerCommands(program: Command, io: Io, setExitCode: (code: number) => void): void {
  common(program.command('status').description('findings in the ledger: counts by state and the most recent')).action(async (o: Common) =>
    setExitCode(await status(o, io)),
  );
  common(program.command('approvals').description('approval requests waiting for a decision')).action(async (o: Common) =>
    setExitCode(await approvals(o, io)),
  );
  for (const name of ['approve', 'reject'] as const) {
    common(program.command(name).description(`${name} a waiting request: the run waiting on it continues, else the next run or serve`))
      .argument('<id>', 'approval id (from cloudmend approvals)')
      .option('--by <name>', 'who decides (default: your user name)')
      .option('--reason <text>', 'why, for the record')
      .addHelpText('after', '\nExit status: 0 decided, 2 already decided, expired or unknown (nothing changed).')
      .action(async (id: string, o: Common & { by?: string; reason?: string }) => setExitCode(await decide(name, id, o, io)));
  }
  common(
    program
      .command('decide')
      .description('decide a waiting drift request: codify (a pull request with the live values), revert (re-deploy the code) or ignore'),
  )
    .argument('<id>', 'approval id (from cloudmend approvals)')
    .argument('<choice>', DRIFT_CHOICES.join(' | '))
    .option('--by <name>', 'who decides (default: your user name)')
    .option('--reason <text>', 'why, for the record')
    .addHelpText('after', '\nExit status: 0 decided, 2 already decided, expired, unknown or a wrong choice (nothing changed).')
    .action(async (id: string, choice: string, o: Common & { by?: string; reason?: string }) => {
      if (!(DRIFT_CHOICES as readonly string[]).includes(choice))
        throw new UsageError(`the choice must be ${DRIFT_CHOICES.join(', ')}, not ${choice}`);
      setExitCode(await decide(choice as DriftChoice, id, o, io));
    });
  common(program.command('show').description('one finding: its state, history and pull request (title, body, diff)'))
    .argument('<ref>', 'fingerprint (or a unique prefix) or pull request id (local:<repo>:<branch>)')
    .action(async (ref: string, o: Common) => setExitCode(await show(ref, o, io)));
}
