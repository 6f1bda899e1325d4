/**
 * `cloudmend explain`: the dry run that says, per event and finding, what cloudmend would do and
 * why. Past the policy it predicts what a run then records (src/workflow/predict.ts): a duplicate in
 * the run's ledger, no code for the resource on the default branch, no skill and no model. Reads the
 * ledger only when it exists; writes nothing.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { openSqliteLedger } from '../ledger/sqlite.js';
import { ledgerPathOf, repositoriesOf, stateDirOf } from '../local/setup.js';
import { explainEvent, type EventExplanation, type FindingExplanation } from '../policy/explain.js';
import { localRepositories } from '../scm/local-snapshot.js';
import { predictRun, type Prediction, type PredictionWorld } from '../workflow/predict.js';
import { readEventInputs, type EventInput, type WrappedFinding } from './inputs.js';
import { printable, printableLine } from '../printable.js';
import type { Io } from './io.js';
import { plural } from '../plural.js';

/** A finding with what the run would record for it. */
type Predicted = Omit<FindingExplanation, 'decision'> & { readonly decision: Prediction };

interface Explained {
  readonly input: EventInput;
  readonly result: Omit<EventExplanation, 'findings'> & { readonly findings: readonly Predicted[] };
}

async function explainInput(input: EventInput, config: Config, world: PredictionWorld): Promise<Explained['result']> {
  if (input.error !== undefined) return { findings: [], problems: [], error: input.error };
  const result = explainEvent(input.event, config);
  const findings: Predicted[] = [];
  for (const { finding, decision } of result.findings)
    findings.push({ finding, decision: await predictRun(finding, decision, world, result.kind) });
  return { ...result, findings };
}

function rejected({ result }: Explained): boolean {
  return result.error !== undefined || result.problems.length > 0;
}

function findingJson({ finding, decision }: Predicted): Record<string, unknown> {
  return {
    fingerprint: finding.fingerprint,
    controlId: finding.controlId ?? null,
    title: finding.title,
    severity: finding.severity.label,
    account: finding.account,
    region: finding.region,
    resource: { type: finding.resource.type, id: finding.resource.id, name: finding.resource.name ?? null },
    decision: decision.decision,
    reasonCode: decision.code,
    reason: decision.reason,
    ...(decision.code === 'remediate' ? { tier: decision.tier, repository: decision.repository } : {}),
    ...(decision.code === 'scheduled_task' ? { task: decision.task } : {}),
  };
}

function eventJson({ input, result }: Explained): Record<string, unknown> {
  const error = result.error ?? (result.problems.length > 0 ? result.problems.join('; ') : undefined);
  return {
    file: input.file,
    ...(input.wrapped ? { wrapped: input.wrapped } : {}),
    kind: result.kind ?? null,
    trigger: result.trigger ?? null,
    findings: result.findings.map(findingJson),
    ...(error === undefined ? {} : { error }),
  };
}

function findingText({ finding, decision }: Predicted): string {
  const resource = `${finding.resource.type} ${finding.resource.name ?? finding.resource.id}`;
  const head = `  finding ${finding.fingerprint.slice(0, 12)}  ${finding.controlId ?? '-'}  ${finding.severity.label}  ${finding.account} ${finding.region}  ${resource}`;
  const verdict = decision.decision === 'act' ? `act: ${decision.reason}` : `skip (${decision.code}): ${decision.reason}`;
  return `${printableLine(head)}\n          ${printableLine(verdict)}\n`;
}

const WRAPPED_NOTE: Readonly<Record<WrappedFinding, string>> = {
  'asff-finding': 'a bare Security Hub finding, explained as a Findings - Imported event',
  'ocsf-finding': 'a bare Security Hub v2 (OCSF) finding, explained as a Findings Imported V2 event',
};

function eventText({ input, result }: Explained): string {
  let out = `${printableLine(input.file)}${input.wrapped ? `  (${WRAPPED_NOTE[input.wrapped]})` : ''}\n`;
  if (result.error !== undefined) return `${out}  rejected: ${printableLine(result.error)}\n`;
  out += `  trigger ${result.trigger ?? 'none'}  (${result.kind ?? 'unknown kind'})\n`;
  out += result.findings.map(findingText).join('');
  out += result.problems.map((p) => `  unreadable: ${printableLine(p)}\n`).join('');
  return out;
}

function summary(explained: readonly Explained[]): string {
  const findings = explained.flatMap((e) => e.result.findings);
  const act = findings.filter((f) => f.decision.decision === 'act').length;
  const skips = new Map<string, number>();
  for (const { decision } of findings) if (decision.decision === 'skip') skips.set(decision.code, (skips.get(decision.code) ?? 0) + 1);
  const skipList = [...skips]
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  const bad = explained.filter(rejected).length;
  return `${plural(explained.length, 'event')} (${bad} rejected), ${plural(findings.length, 'finding')}: ${act} act, ${findings.length - act} skip${skipList ? ` (${skipList})` : ''}\n`;
}

/** Runs explain; returns the exit code: 0 when every event was understood, 2 when any was rejected. */
export async function runExplain(
  paths: readonly string[],
  options: { config?: string; json?: boolean; state?: string },
  io: Io,
): Promise<number> {
  const loaded = loadConfig({ path: options.config, env: io.env, cwd: io.cwd });
  const setup = { config: loaded.config, configDir: loaded.baseDir, cwd: io.cwd, stateDir: options.state };
  const repositories = await repositoriesOf(setup);
  const config: Config = { ...loaded.config, repositories };
  const local = Object.fromEntries(
    repositories.filter((r) => r.provider === 'local').map((r) => [r.name, { path: r.location, defaultBranch: r.defaultBranch }]),
  );
  // The run's ledger, when there is one: explain never creates it.
  const ledgerPath = ledgerPathOf(stateDirOf(setup), setup);
  const ledger = existsSync(ledgerPath) ? openSqliteLedger({ path: ledgerPath }) : undefined;
  const snapshots = localRepositories({ repositories: local });
  const world: PredictionWorld = { config, ledger, repositories: snapshots, now: new Date() };
  const explained: Explained[] = [];
  try {
    for (const input of readEventInputs(paths, io.cwd)) {
      // Only what the report prints is kept, not the event: memory stays one event, however many files.
      explained.push({
        input: { file: input.file, wrapped: input.wrapped, error: input.error },
        result: await explainInput(input, config, world),
      });
    }
  } finally {
    await snapshots.close();
    await ledger?.close();
  }
  if (options.json) io.stdout(`${printable(JSON.stringify({ events: explained.map(eventJson) }, null, 2))}\n`);
  else io.stdout(`${explained.map(eventText).join('\n')}\n${summary(explained)}`);
  const bad = explained.filter(rejected);
  if (bad.length > 0) io.stderr(`cloudmend explain: ${bad.length} of ${explained.length} events rejected (see "error" above)\n`);
  return bad.length > 0 ? 2 : 0;
}

export function registerExplain(program: Command, io: Io, setExitCode: (code: number) => void): void {
  program
    .command('explain')
    .description('dry run: for each event, the trigger that matches, its findings, and whether cloudmend would act on each and why')
    .argument('<paths...>', 'event files (JSON: one event or an array) or directories searched for *.json')
    .option('-c, --config <file>', 'config file (default: $CLOUDMEND_CONFIG, else ./cloudmend.config.yaml, else built-in defaults)')
    .option('--json', 'print machine-readable JSON')
    .option('--state <dir>', 'the state directory whose ledger runs write (default: the config’s ledger path): its findings are duplicates')
    .addHelpText('after', '\nExit status: 0 when every event was understood, 2 when any was rejected (the others are still reported).')
    .action(async (paths: string[], options: { config?: string; json?: boolean; state?: string }) =>
      setExitCode(await runExplain(paths, options, io)),
    );
}
