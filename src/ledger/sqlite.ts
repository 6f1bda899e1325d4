/**
 * The ledger on a local SQLite file (better-sqlite3), for the CLI and for tests. Safe to share
 * between processes: every write is a `BEGIN IMMEDIATE` transaction that re-reads and writes under
 * the database write lock, so checks and writes never interleave with another process.
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import Database from 'better-sqlite3';
import { LedgerClosedError, LedgerConflictError, LedgerNotFoundError, movedError } from './errors.js';
import type {
  ApprovalRecord,
  ApprovalStatus,
  AuditEvent,
  ChangeInput,
  ChangeRecord,
  ClaimInput,
  CloseChangeInput,
  ClaimResult,
  DecideInput,
  DecideResult,
  FindingRecord,
  Ledger,
  ListQuery,
  NewApproval,
  ReassignInput,
  NewPullRequest,
  PullRequestRecord,
  RetryInput,
  SkipInput,
  SkipResult,
  SmokeRun,
  StoredAuditEvent,
  Suppression,
  TransitionInput,
} from './port.js';
import { closedChange, recordedChange, toChangeRecord, type ChangeItem } from './changes.js';
import { translateError } from './sqlite-errors.js';
import { configureConnection, migrate } from './sqlite-migrations.js';
import {
  isoDate,
  jsonOrNull,
  toApprovalRecord,
  toAuditEvent,
  toFindingRecord,
  toPullRequestRecord,
  toSmokeRun,
  toSuppression,
  type FindingRow,
} from './sqlite-rows.js';
import { RECLAIMABLE_STATES, isReclaimable, type FindingState } from './states.js';
import { prepareStatements, type Statements } from './sqlite-statements.js';
import {
  checkChoice,
  checkSameSmokeRun,
  checkSmokeRun,
  checkSuppression,
  checkTransition,
  isSuppressionKey,
  listLimit,
  retryTransition,
  suppressionEventData,
  summaryAfter,
} from './validation.js';

export interface SqliteLedgerOptions {
  /** The database file; its parent directory is created when missing. */
  readonly path: string;
  /** How long a write waits for another process's transaction before giving up. @default 5000 */
  readonly busyTimeoutMs?: number | undefined;
}

/**
 * Open (creating and migrating when needed) the SQLite ledger at `options.path`. Throws
 * `LedgerUnavailableError` when the file is locked beyond the busy timeout (`LedgerBusyError`,
 * which the state machines retry), is not a database, or has a newer schema than this code.
 */
export function openSqliteLedger(options: SqliteLedgerOptions): Ledger {
  const path = options.path;
  let db: Database.Database | undefined;
  try {
    fs.mkdirSync(nodePath.dirname(path), { recursive: true });
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    db = new Database(path, { timeout: busyTimeoutMs });
    configureConnection(db, busyTimeoutMs);
    migrate(db, path);
    return new SqliteLedger(db, path, prepareStatements(db));
  } catch (error) {
    db?.close();
    throw translateError(error, path);
  }
}

function asArray(states: FindingState | readonly FindingState[]): readonly FindingState[] {
  return typeof states === 'string' ? [states] : states;
}

class SqliteLedger implements Ledger {
  #db: Database.Database | undefined;
  readonly #path: string;
  readonly #sql: Statements;

  constructor(db: Database.Database, path: string, sql: Statements) {
    this.#db = db;
    this.#path = path;
    this.#sql = sql;
  }

  claim(input: ClaimInput): Promise<ClaimResult> {
    return this.#write(() => {
      const current = this.#current(input.fingerprint);
      if (current !== undefined && !isReclaimable(current.state)) return { claimed: false, record: current };
      const attempts = (current?.attempts ?? 0) + 1;
      const record = this.#put(current, { ...input, state: 'claimed', attempts, reason: null });
      this.#audit({
        fingerprint: input.fingerprint,
        type: 'claimed',
        actor: input.actor,
        at: input.at,
        data: { attempts, ...(current === undefined ? {} : { from: current.state }) },
      });
      return { claimed: true, record };
    });
  }

  recordSkip(input: SkipInput): Promise<SkipResult> {
    return this.#write(() => {
      const current = this.#current(input.fingerprint);
      if (current !== undefined && !isReclaimable(current.state)) return { recorded: false, record: current };
      const attempts = current?.attempts ?? 0;
      const record = this.#put(current, { ...input, state: 'skipped', attempts, reason: input.reason });
      this.#audit({
        fingerprint: input.fingerprint,
        type: 'skip',
        actor: input.actor,
        at: input.at,
        data: { reason: input.reason, ...(current === undefined ? {} : { from: current.state }) },
      });
      return { recorded: true, record };
    });
  }

  transition(input: TransitionInput): Promise<FindingRecord> {
    // Checked before any I/O; a bad move rejects the same way whatever the stored state.
    return new Promise<readonly FindingState[]>((resolve) => resolve(checkTransition(input))).then((from) =>
      this.#move(input, from, 'transition'),
    );
  }

  retry(input: RetryInput): Promise<FindingRecord> {
    const move = retryTransition(input);
    return this.#move(move, move.from, 'retry');
  }

  /** Moves a finding from one of `from` to `input.to`, with an audit event of `type`. */
  #move(input: TransitionInput, from: readonly FindingState[], type: string): Promise<FindingRecord> {
    const { fingerprint, to } = input;
    return this.#write(() => {
      const current = this.#current(fingerprint);
      if (current === undefined) throw new LedgerNotFoundError(fingerprint);
      const updated = this.#sql.updateFinding.get({
        fingerprint,
        from: JSON.stringify(from),
        state: to,
        attempts: current.attempts,
        summary: JSON.stringify(summaryAfter(current.summary, input)),
        reason: input.reason ?? null,
        data: jsonOrNull(input.data),
        at: isoDate(input.at),
        actor: input.actor,
      });
      if (updated === undefined) throw movedError(fingerprint, current, from);
      this.#audit({
        fingerprint,
        type,
        actor: input.actor,
        at: input.at,
        data: { from: current.state, to, reason: input.reason, data: input.data },
      });
      return this.#record(updated);
    });
  }

  get(fingerprint: string): Promise<FindingRecord | undefined> {
    return this.#read(() => this.#current(fingerprint));
  }

  list(query: ListQuery = {}): Promise<FindingRecord[]> {
    return this.#read(() => {
      const limit = listLimit(query.limit);
      const states = query.state === undefined ? null : JSON.stringify(asArray(query.state));
      const before = query.updatedBefore === undefined ? null : isoDate(query.updatedBefore);
      return this.#sql.listFindings.all({ states, before, limit }).map((row) => this.#record(row));
    });
  }

  putApproval(approval: NewApproval): Promise<void> {
    return this.#write(() => {
      const { changes } = this.#sql.insertApproval.run({
        id: approval.id,
        fingerprint: approval.fingerprint,
        taskToken: approval.taskToken,
        requestedAt: isoDate(approval.requestedAt),
        expiresAt: isoDate(approval.expiresAt),
        channel: approval.channel ?? null,
        messageTs: approval.messageTs ?? null,
      });
      // The message names the id only: the task token is a credential.
      if (changes === 0) {
        throw new LedgerConflictError(`approval ${approval.id} already exists`, { fingerprint: approval.fingerprint });
      }
    });
  }

  getApproval(id: string): Promise<ApprovalRecord | undefined> {
    return this.#read(() => {
      const row = this.#sql.getApproval.get(id);
      return row === undefined ? undefined : toApprovalRecord(row);
    });
  }

  decideApproval(input: DecideInput): Promise<DecideResult> {
    return this.#write((): DecideResult => {
      checkChoice(input.choice);
      // Compare-and-set on status = 'pending'; the statement turns a late approve/reject into 'expired'.
      const decided = this.#sql.decideApproval.get({
        id: input.id,
        decision: input.decision,
        at: isoDate(input.at),
        actor: input.actor,
        choice: input.choice ?? null,
      });
      if (decided !== undefined) {
        const late = decided.status === 'expired' && input.decision !== 'expired';
        return { outcome: late ? 'expired' : 'decided', approval: toApprovalRecord(decided) };
      }
      const existing = this.#sql.getApproval.get(input.id);
      return existing === undefined ? { outcome: 'not_found' } : { outcome: 'already_decided', approval: toApprovalRecord(existing) };
    });
  }

  reassignApproval(input: ReassignInput): Promise<boolean> {
    return this.#write(() => this.#sql.reassignApproval.run(input).changes === 1);
  }

  listApprovals(query: { status?: ApprovalStatus | undefined } = {}): Promise<ApprovalRecord[]> {
    return this.#read(() => this.#sql.listApprovals.all({ status: query.status ?? null }).map(toApprovalRecord));
  }

  putPullRequest(pr: NewPullRequest): Promise<PullRequestRecord> {
    return this.#write(() => {
      const row = this.#sql.putPullRequest.get({ ...pr, url: pr.url ?? null, at: isoDate(pr.at) });
      if (row === undefined) throw new Error(`ledger invariant broken: upsert of pull request ${pr.id} returned no row`);
      return toPullRequestRecord(row);
    });
  }

  getPullRequest(id: string): Promise<PullRequestRecord | undefined> {
    return this.#read(() => {
      const row = this.#sql.getPullRequest.get(id);
      return row === undefined ? undefined : toPullRequestRecord(row);
    });
  }

  pullRequestsFor(fingerprint: string): Promise<PullRequestRecord[]> {
    return this.#read(() => this.#sql.pullRequestsFor.all(fingerprint).map(toPullRequestRecord));
  }

  openChangeFor(repository: string, resource: string): Promise<ChangeRecord | undefined> {
    return this.#read(() => {
      const id = this.#sql.openChangeOf.get({ repository, resource })?.pull_request_id;
      const item = id === undefined ? undefined : this.#change(id);
      return item === undefined ? undefined : toChangeRecord(item);
    });
  }

  recordChange(input: ChangeInput): Promise<ChangeRecord> {
    return this.#write(() => {
      const { repository } = input;
      const holders = new Map<string, string>();
      for (const resource of input.resources) {
        const id = this.#sql.openChangeOf.get({ repository, resource })?.pull_request_id;
        if (id !== undefined) holders.set(resource, id);
      }
      const next = recordedChange(this.#change(input.pullRequestId), input, holders);
      this.#sql.putChange.run({ id: next.pullRequestId, item: JSON.stringify(next) });
      for (const resource of next.resources) this.#sql.putOpenChange.run({ repository, resource, id: next.pullRequestId });
      return toChangeRecord(next);
    });
  }

  closeChange(input: CloseChangeInput): Promise<ChangeRecord | undefined> {
    return this.#write(() => {
      const current = this.#change(input.pullRequestId);
      if (current === undefined) return undefined;
      const next = closedChange(current, input);
      if (next !== current) {
        this.#sql.putChange.run({ id: next.pullRequestId, item: JSON.stringify(next) });
        this.#sql.deleteOpenChanges.run(next.pullRequestId);
      }
      return toChangeRecord(next);
    });
  }

  suppress(suppression: Suppression): Promise<void> {
    return this.#write(() => {
      checkSuppression(suppression);
      const { changes } = this.#sql.putSuppression.run({
        key: suppression.key,
        until: isoDate(suppression.until),
        actor: suppression.actor,
        at: isoDate(suppression.at),
        reason: suppression.reason,
        fingerprint: suppression.fingerprint ?? null,
      });
      // A newer decision is stored already: nothing changed, so nothing to record.
      if (changes === 0) return;
      this.#audit({
        fingerprint: suppression.fingerprint,
        type: 'suppression.set',
        actor: suppression.actor,
        at: suppression.at,
        data: suppressionEventData(suppression),
      });
    });
  }

  activeSuppression(key: string, at: Date): Promise<Suppression | undefined> {
    return this.#read(() => {
      if (!isSuppressionKey(key)) return undefined;
      const row = this.#sql.activeSuppression.get({ key, at: isoDate(at) });
      return row === undefined ? undefined : toSuppression(row);
    });
  }

  recordSmokeRun(run: SmokeRun): Promise<void> {
    return this.#write(() => {
      checkSmokeRun(run);
      const row = {
        run_id: run.runId,
        repository: run.repository,
        by: run.by,
        started_at: isoDate(run.startedAt),
        expires_at: isoDate(run.expiresAt),
      };
      if (this.#sql.insertSmokeRun.run(row).changes === 0) checkSameSmokeRun(toSmokeRun(this.#sql.smokeRun.get(run.runId)!), run);
    });
  }

  smokeRun(runId: string): Promise<SmokeRun | undefined> {
    return this.#read(() => {
      const row = this.#sql.smokeRun.get(runId);
      return row === undefined ? undefined : toSmokeRun(row);
    });
  }

  appendAudit(event: AuditEvent): Promise<void> {
    return this.#write(() => this.#audit(event));
  }

  auditTrail(fingerprint: string): Promise<StoredAuditEvent[]> {
    return this.#read(() => this.#sql.auditTrail.all(fingerprint).map((row) => toAuditEvent(row)));
  }

  /** Close the database handle. Idempotent; every other method rejects with `LedgerClosedError` afterwards. */
  close(): Promise<void> {
    this.#db?.close();
    this.#db = undefined;
    return Promise.resolve();
  }

  #record(row: FindingRow): FindingRecord {
    return toFindingRecord(row, this.#path);
  }

  #change(pullRequestId: string): ChangeItem | undefined {
    const row = this.#sql.getChange.get(pullRequestId);
    return row === undefined ? undefined : (JSON.parse(row.item) as ChangeItem);
  }

  #current(fingerprint: string): FindingRecord | undefined {
    const row = this.#sql.getFinding.get(fingerprint);
    return row === undefined ? undefined : this.#record(row);
  }

  /** Insert a new finding or overwrite a reclaimable one (the `WHERE` re-checks it is still reclaimable). */
  #put(
    current: FindingRecord | undefined,
    input: ClaimInput & { state: FindingState; attempts: number; reason: string | null },
  ): FindingRecord {
    const values = {
      fingerprint: input.fingerprint,
      state: input.state,
      attempts: input.attempts,
      summary: JSON.stringify(input.summary),
      reason: input.reason,
      data: null,
      at: isoDate(input.at),
      actor: input.actor,
    };
    const row =
      current === undefined
        ? this.#sql.insertFinding.get(values)
        : this.#sql.updateFinding.get({ ...values, from: JSON.stringify(RECLAIMABLE_STATES) });
    if (row === undefined) throw new Error(`ledger invariant broken: write to ${input.fingerprint} matched no row`);
    return this.#record(row);
  }

  #audit(event: AuditEvent): void {
    this.#sql.insertAudit.run({
      fingerprint: event.fingerprint ?? null,
      type: event.type,
      actor: event.actor,
      at: isoDate(event.at),
      data: jsonOrNull(event.data),
    });
  }

  #read<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve) => resolve(this.#guard(fn)));
  }

  #write<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve) => resolve(this.#guard((db) => db.transaction(fn).immediate())));
  }

  /** Run `fn` on the open handle, translating driver errors; throws when the ledger was closed. */
  #guard<T>(fn: (db: Database.Database) => T): T {
    const db = this.#db;
    if (db === undefined) {
      throw new LedgerClosedError(`the ledger at ${this.#path} is closed: the work that used it had not ended when its run stopped`);
    }
    try {
      return fn(db);
    } catch (error) {
      throw translateError(error, this.#path);
    }
  }
}
