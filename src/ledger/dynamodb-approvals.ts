/**
 * Approvals of the DynamoDB ledger: created only when absent, decided only while pending, each by
 * one conditional write (the task token is a credential and never appears in an error).
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LedgerConflictError } from './errors.js';
import { isConditionFailed, withoutSecret } from './dynamodb-errors.js';
import { updateExpression } from './dynamodb-expressions.js';
import { newApprovalItem, toApprovalRecord, ttlFrom, type ApprovalItem } from './dynamodb-items.js';
import { indexPartition, queryItems } from './dynamodb-queries.js';
import { ALL_APPROVALS, approvalKey, approvalStatusIndexKey, type LedgerTable } from './dynamodb-schema.js';
import type { ApprovalRecord, ApprovalStatus, DecideInput, DecideResult, NewApproval, ReassignInput } from './port.js';
import { checkChoice } from './validation.js';

export async function putApproval(t: LedgerTable, approval: NewApproval): Promise<void> {
  try {
    await t.doc.send(
      new PutCommand({ TableName: t.name, Item: newApprovalItem(approval), ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  } catch (error) {
    // The message names the id only.
    if (isConditionFailed(error)) {
      throw new LedgerConflictError(`approval ${approval.id} already exists`, { fingerprint: approval.fingerprint });
    }
    throw withoutSecret(error, approval.taskToken);
  }
}

export async function getApproval(t: LedgerTable, id: string): Promise<ApprovalRecord | undefined> {
  const { Item } = await t.doc.send(new GetCommand({ TableName: t.name, Key: approvalKey(id), ConsistentRead: true }));
  return Item === undefined ? undefined : toApprovalRecord(Item as ApprovalItem);
}

/**
 * What a decision adds to `status = pending`. ISO-8601 UTC strings of the same width compare as
 * times, as `@at >= expires_at` does in SQLite.
 */
const DEADLINE_CONDITIONS = {
  'any time': '',
  'before the deadline': ' AND :now < #deadline',
  'from the deadline on': ' AND #deadline <= :now',
} as const;

/** Set a pending approval's status when `input.at` is `when`; `undefined` when the condition failed. */
async function decide(
  t: LedgerTable,
  input: DecideInput,
  status: ApprovalStatus,
  when: keyof typeof DEADLINE_CONDITIONS,
): Promise<ApprovalRecord | undefined> {
  // The choice goes with the decision it was made with; a late click turned into `expired` has none.
  const choice = status === input.decision ? input.choice : undefined;
  const update = updateExpression({
    set: {
      status,
      gsi1pk: approvalStatusIndexKey(status),
      decidedAt: input.at.toISOString(),
      decidedBy: input.actor,
      expiresAt: ttlFrom(input.at, t.ttlDays),
      ...(choice === undefined ? {} : { choice }),
    },
  });
  const deadline = DEADLINE_CONDITIONS[when];
  try {
    const { Attributes } = await t.doc.send(
      new UpdateCommand({
        TableName: t.name,
        Key: approvalKey(input.id),
        UpdateExpression: update.UpdateExpression,
        ConditionExpression: `#status = :pending${deadline}`,
        ExpressionAttributeNames: { ...update.ExpressionAttributeNames, ...(deadline ? { '#deadline': 'deadline' } : {}) },
        ExpressionAttributeValues: {
          ...update.ExpressionAttributeValues,
          ':pending': 'pending',
          ...(deadline ? { ':now': input.at.toISOString() } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toApprovalRecord(Attributes as ApprovalItem);
  } catch (error) {
    if (isConditionFailed(error)) return undefined;
    throw error;
  }
}

/**
 * Compare-and-set on `status = pending`. One update expression cannot pick the status from the
 * deadline, so an approve/reject is two conditional updates: the decision (and its choice) before
 * the deadline, else `expired` at or after it. Both fail once anyone else decided; only then is the
 * item read. Throws `RangeError`, before any I/O, for a malformed choice.
 */
export async function decideApproval(t: LedgerTable, input: DecideInput): Promise<DecideResult> {
  checkChoice(input.choice);
  if (input.decision === 'expired') {
    const expired = await decide(t, input, 'expired', 'any time');
    if (expired !== undefined) return { outcome: 'decided', approval: expired };
  } else {
    const decided = await decide(t, input, input.decision, 'before the deadline');
    if (decided !== undefined) return { outcome: 'decided', approval: decided };
    const late = await decide(t, input, 'expired', 'from the deadline on');
    if (late !== undefined) return { outcome: 'expired', approval: late };
  }
  // A decided approval never changes again, so this read cannot race with a decision.
  const approval = await getApproval(t, input.id);
  return approval === undefined ? { outcome: 'not_found' } : { outcome: 'already_decided', approval };
}

/** One conditional write: the token becomes `to` only while it is `from` (neither token ever appears in an error). */
export async function reassignApproval(t: LedgerTable, input: ReassignInput): Promise<boolean> {
  try {
    await t.doc.send(
      new UpdateCommand({
        TableName: t.name,
        Key: approvalKey(input.id),
        UpdateExpression: 'SET #token = :to',
        ConditionExpression: 'attribute_exists(pk) AND #token = :from',
        ExpressionAttributeNames: { '#token': 'taskToken' },
        ExpressionAttributeValues: { ':to': input.to, ':from': input.from },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw withoutSecret(withoutSecret(error, input.from), input.to);
  }
}

/** All approvals or those in `status`, oldest request first (then by id). */
export async function listApprovals(t: LedgerTable, status: ApprovalStatus | undefined): Promise<ApprovalRecord[]> {
  const partition =
    status === undefined ? indexPartition('byType', ALL_APPROVALS) : indexPartition('byState', approvalStatusIndexKey(status));
  return (await queryItems<ApprovalItem>(t, partition)).map(toApprovalRecord);
}
