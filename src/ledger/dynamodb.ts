/**
 * The ledger on one DynamoDB table, for the AWS deployment (layout: `dynamodb-schema.ts`). Every
 * write is conditional: finding writes are compare-and-set transactions with their audit event,
 * approvals are created only when absent and decided only while pending, suppressions replaced only
 * by a decision at least as new. Behaviour matches the SQLite adapter; index reads (`list`,
 * `listApprovals`, `pullRequestsFor`) are eventually consistent.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LedgerClosedError } from './errors.js';
import { decideApproval, getApproval, listApprovals, putApproval, reassignApproval } from './dynamodb-approvals.js';
import { translateError } from './dynamodb-errors.js';
import { checkTransition, listLimit, retryTransition } from './validation.js';
import { updateExpression } from './dynamodb-expressions.js';
import { activeSuppression, putSuppression } from './dynamodb-suppressions.js';
import { getSmokeRun, recordSmokeRun } from './dynamodb-smoke-runs.js';
import { closeChange, openChangeFor, recordChange } from './dynamodb-changes.js';
import { claimFinding, getFinding, nextSeq, skipFinding, transitionFinding } from './dynamodb-findings.js';
import { auditItem, toAuditEvent, toPullRequestRecord, type AuditItem, type PullRequestItem } from './dynamodb-items.js';
import { indexPartition, newestFindings, queryItems } from './dynamodb-queries.js';
import {
  AUDIT_SK_PREFIX,
  findingPartition,
  pullRequestKey,
  pullRequestsIndexKey,
  timeSortKey,
  type LedgerTable,
} from './dynamodb-schema.js';
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
import type { FindingState } from './states.js';

export { LEDGER_TABLE_SCHEMA } from './dynamodb-schema.js';
export { LedgerBusyError } from './dynamodb-errors.js';

export interface DynamoDbLedgerOptions {
  /** The table created from `LEDGER_TABLE_SCHEMA`. */
  readonly tableName: string;
  /** A configured client (tests, custom endpoints); the ledger never destroys a client it was given. */
  readonly client?: DynamoDBClient | undefined;
  /** How long audit events and decided approvals are kept before TTL deletes them. @default 400 */
  readonly ttlDays?: number | undefined;
}

/**
 * A ledger on the DynamoDB table `options.tableName`. Throttling, 5xx and contention surface, after
 * the SDK's own retries, as `LedgerBusyError` (a `LedgerUnavailableError` named `cloudmend.Transient`);
 * a missing table or denied access as `LedgerUnavailableError`.
 */
export function dynamoDbLedger(options: DynamoDbLedgerOptions): Ledger {
  const ttlDays = options.ttlDays ?? 400;
  if (!(ttlDays > 0 && Number.isFinite(ttlDays))) throw new RangeError(`ttlDays must be a positive number, got ${ttlDays}`);
  const client = options.client ?? new DynamoDBClient({});
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return new DynamoDbLedger({ doc, name: options.tableName, ttlDays }, options.client === undefined ? client : undefined);
}

class DynamoDbLedger implements Ledger {
  #table: LedgerTable | undefined;
  readonly #name: string;
  readonly #owned: DynamoDBClient | undefined;

  constructor(table: LedgerTable, owned: DynamoDBClient | undefined) {
    this.#table = table;
    this.#name = table.name;
    this.#owned = owned;
  }

  claim(input: ClaimInput): Promise<ClaimResult> {
    return this.#run((t) => claimFinding(t, input));
  }

  recordSkip(input: SkipInput): Promise<SkipResult> {
    return this.#run((t) => skipFinding(t, input));
  }

  transition(input: TransitionInput): Promise<FindingRecord> {
    // The move is checked first, closed or not, as in SQLite: an invalid move is a caller bug.
    return new Promise<readonly FindingState[]>((resolve) => resolve(checkTransition(input))).then((from) =>
      this.#run((t) => transitionFinding(t, input, from)),
    );
  }

  retry(input: RetryInput): Promise<FindingRecord> {
    const move = retryTransition(input);
    return this.#run((t) => transitionFinding(t, move, move.from, 'retry'));
  }

  get(fingerprint: string): Promise<FindingRecord | undefined> {
    return this.#run((t) => getFinding(t, fingerprint));
  }

  list(query: ListQuery = {}): Promise<FindingRecord[]> {
    return this.#run((t) => {
      const limit = listLimit(query.limit);
      const states = query.state === undefined ? undefined : typeof query.state === 'string' ? [query.state] : query.state;
      return newestFindings(t, states, limit, query.updatedBefore);
    });
  }

  putApproval(approval: NewApproval): Promise<void> {
    return this.#run((t) => putApproval(t, approval));
  }

  getApproval(id: string): Promise<ApprovalRecord | undefined> {
    return this.#run((t) => getApproval(t, id));
  }

  decideApproval(input: DecideInput): Promise<DecideResult> {
    return this.#run((t) => decideApproval(t, input));
  }

  reassignApproval(input: ReassignInput): Promise<boolean> {
    return this.#run((t) => reassignApproval(t, input));
  }

  listApprovals(query: { status?: ApprovalStatus | undefined } = {}): Promise<ApprovalRecord[]> {
    return this.#run((t) => listApprovals(t, query.status));
  }

  /** Upsert by id, as SQLite's `ON CONFLICT DO UPDATE`: repository, branch, base and creation time stay. */
  putPullRequest(pr: NewPullRequest): Promise<PullRequestRecord> {
    return this.#run(async (t) => {
      const at = pr.at.toISOString();
      const { Attributes } = await t.doc.send(
        new UpdateCommand({
          TableName: t.name,
          Key: pullRequestKey(pr.id),
          // No condition: an upsert by id, the last writer wins, exactly as in SQLite.
          ...updateExpression({
            set: {
              id: pr.id,
              fingerprint: pr.fingerprint,
              title: pr.title,
              body: pr.body,
              commit: pr.commit,
              updatedAt: at,
              gsi2pk: pullRequestsIndexKey(pr.fingerprint),
              ...(pr.url === undefined ? {} : { url: pr.url }),
            },
            setIfMissing: {
              repository: pr.repository,
              branch: pr.branch,
              base: pr.base,
              createdAt: at,
              // Equal to `<createdAt>#<id>` whether the item is new or not.
              gsi2sk: timeSortKey(at, pr.id),
            },
            remove: pr.url === undefined ? ['url'] : [],
          }),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toPullRequestRecord(Attributes as PullRequestItem);
    });
  }

  getPullRequest(id: string): Promise<PullRequestRecord | undefined> {
    return this.#run(async (t) => {
      const { Item } = await t.doc.send(new GetCommand({ TableName: t.name, Key: pullRequestKey(id), ConsistentRead: true }));
      return Item === undefined ? undefined : toPullRequestRecord(Item as PullRequestItem);
    });
  }

  pullRequestsFor(fingerprint: string): Promise<PullRequestRecord[]> {
    return this.#run(async (t) =>
      (await queryItems<PullRequestItem>(t, indexPartition('byType', pullRequestsIndexKey(fingerprint)))).map(toPullRequestRecord),
    );
  }

  openChangeFor(repository: string, resource: string): Promise<ChangeRecord | undefined> {
    return this.#run((t) => openChangeFor(t, repository, resource));
  }

  recordChange(input: ChangeInput): Promise<ChangeRecord> {
    return this.#run((t) => recordChange(t, input));
  }

  closeChange(input: CloseChangeInput): Promise<ChangeRecord | undefined> {
    return this.#run((t) => closeChange(t, input));
  }

  suppress(suppression: Suppression): Promise<void> {
    return this.#run((t) => putSuppression(t, suppression));
  }

  activeSuppression(key: string, at: Date): Promise<Suppression | undefined> {
    return this.#run((t) => activeSuppression(t, key, at));
  }

  recordSmokeRun(run: SmokeRun): Promise<void> {
    return this.#run((t) => recordSmokeRun(t, run));
  }

  smokeRun(runId: string): Promise<SmokeRun | undefined> {
    return this.#run((t) => getSmokeRun(t, runId));
  }

  appendAudit(event: AuditEvent): Promise<void> {
    return this.#run(async (t) => {
      const seq = await nextSeq(t);
      await t.doc.send(
        new PutCommand({ TableName: t.name, Item: auditItem(event, seq, t.ttlDays), ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    });
  }

  auditTrail(fingerprint: string): Promise<StoredAuditEvent[]> {
    return this.#run(async (t) => {
      const events = await queryItems<AuditItem>(t, {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': findingPartition(fingerprint), ':audit': AUDIT_SK_PREFIX },
        ConsistentRead: true,
      });
      return events.map(toAuditEvent);
    });
  }

  /** Idempotent; destroys the client only if the ledger created it. Every other method rejects afterwards. */
  close(): Promise<void> {
    if (this.#table !== undefined) this.#owned?.destroy();
    this.#table = undefined;
    return Promise.resolve();
  }

  async #run<T>(fn: (table: LedgerTable) => Promise<T>): Promise<T> {
    const table = this.#table;
    if (table === undefined) {
      throw new LedgerClosedError(`the DynamoDB ledger on table ${this.#name} is closed; create another with dynamoDbLedger`);
    }
    try {
      return await fn(table);
    } catch (error) {
      throw translateError(error, this.#name);
    }
  }
}
