/**
 * The Slack interactivity endpoint, minus HTTP plumbing: a verified click by an approver consumes
 * the approval once (ledger compare-and-set) and only then resumes the execution through its task
 * token. Forged, stale, replayed, late and unauthorised clicks change nothing.
 *
 * Slack wants an answer within 3 seconds, so before answering the handler does only the signature
 * check, the approver check, the ledger write and the Step Functions callback. Updating the message
 * and ephemeral replies are best-effort follow-ups handed to `defer`: the decision never depends on
 * them. Slack ignores the body of a `block_actions` acknowledgement, so users see replies only
 * through `postEphemeral`; the JSON body says the same for logs and local callers.
 */
import { printable } from '../printable.js';
import type { ArtifactReader } from '../artifacts/port.js';
import type { ApprovalRecord, DecideResult, Ledger } from '../ledger/port.js';
import { decideApproval } from '../workflow/approvals.js';
import { declinedErrorName } from '../workflow/errors.js';
import type { ApprovalOutcome, ApprovalOutcomeView, DriftChoice } from './blocks.js';
import { acceptedActions, actionOf, refusalOf } from './choices.js';
import { mentionOrText, slackDate } from './mrkdwn.js';
import { parseInteraction, type ApprovalClick } from './payload.js';
import { verifySlackSignature } from './signature.js';
import type { MessageRef } from './slack-notifier.js';

/** An HTTP request as API Gateway and Lambda Function URLs deliver it. */
export interface InteractionRequest {
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
  /** Function URLs base64-encode form bodies. */
  readonly isBase64Encoded?: boolean | undefined;
}

/** The answer, in the shape API Gateway and Lambda Function URLs return. */
export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Resuming the waiting execution: SendTaskSuccess / SendTaskFailure in AWS, no-ops locally. */
export interface TaskCallbacks {
  succeed(taskToken: string, output: unknown): Promise<void>;
  fail(taskToken: string, error: string, cause: string): Promise<void>;
}

/** The ports of the endpoint; only `callbacks` ever sees a task token. */
export interface InteractionDeps {
  readonly signingSecret: string;
  readonly ledger: Ledger;
  /** Where the approval's patch is stored: it says which choices the approval accepts. */
  readonly artifacts: ArtifactReader;
  /** Slack user ids (`U…`/`W…`) and user-group ids (`S…`) allowed to decide; empty means nobody. */
  readonly approvers: { readonly users: readonly string[]; readonly groups: readonly string[] };
  /** Members of a user group (`usergroups.users.list`), cached by the caller. */
  readonly groupMembers: (groupId: string) => Promise<readonly string[]>;
  readonly callbacks: TaskCallbacks;
  /** Replaces the request message with its outcome (see `updateApprovalMessage`). */
  readonly updateMessage?: ((update: MessageRef & ApprovalOutcomeView) => Promise<void>) | undefined;
  /** Tells the clicking user something only they see (see `postEphemeralReply`). */
  readonly postEphemeral?:
    | ((reply: { readonly channel: string; readonly user: string; readonly text: string }) => Promise<void>)
    | undefined;
  /**
   * Runs follow-up work after the answer. Default: start it without waiting, right for a
   * long-lived server; a Lambda should run it after the response is sent (response streaming) or
   * accept that a frozen sandbox may drop it. Work handed over never rejects.
   */
  readonly defer?: ((work: () => Promise<void>) => void) | undefined;
  /** Refusals and failures worth an operator's attention; messages never contain the task token. */
  readonly report?: ((level: 'warn' | 'error', message: string) => void) | undefined;
  readonly now: () => Date;
}

const json = (statusCode: number, body: unknown): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const ephemeral = (text: string, statusCode = 200): HttpResponse =>
  json(statusCode, { response_type: 'ephemeral', replace_original: false, text });
// No detail: a prober learns nothing about which check failed.
const UNAUTHORIZED: HttpResponse = { statusCode: 401, headers: { 'content-type': 'text/plain' }, body: 'unauthorized' };
const BAD_REQUEST: HttpResponse = { statusCode: 400, headers: { 'content-type': 'text/plain' }, body: 'bad request' };

function header(headers: InteractionRequest['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === name) return value;
  return undefined;
}

/** `Name: message` of an error, printable, bounded, with `secret` (a task token) blanked out. */
function errorSummary(error: unknown, secret?: string): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const redacted = secret === undefined || secret === '' ? text : text.split(secret).join('[task token]');
  return printable(redacted).slice(0, 500);
}

type Approvers = Pick<InteractionDeps, 'approvers' | 'groupMembers'>;

/** `unknown` when a group lookup failed and no other rule said yes: the click is refused, but retryable. */
async function isApprover(userId: string, deps: Approvers): Promise<boolean | 'unknown'> {
  if (deps.approvers.users.includes(userId)) return true;
  const lookups = await Promise.allSettled(deps.approvers.groups.map((group) => deps.groupMembers(group)));
  if (lookups.some((l) => l.status === 'fulfilled' && l.value.includes(userId))) return true;
  return lookups.some((l) => l.status === 'rejected') ? 'unknown' : false;
}

/** What the message should show for an approval that is no longer pending, if anything. */
function outcomeOf(result: DecideResult): ApprovalOutcome | undefined {
  if (result.outcome === 'not_found') return undefined;
  const { approval } = result;
  if (approval.status === 'approved' || approval.status === 'rejected') {
    return {
      status: approval.status,
      by: approval.decidedBy ?? 'unknown',
      at: approval.decidedAt ?? approval.requestedAt,
      choice: approval.choice,
    };
  }
  return approval.status === 'expired' ? { status: 'expired', expiresAt: approval.expiresAt } : undefined;
}

function politeReply(result: Exclude<DecideResult, { outcome: 'decided' }>): string {
  if (result.outcome === 'not_found') return 'cloudmend does not know this approval request. Nothing was changed.';
  const { approval } = result;
  if (result.outcome === 'expired' || approval.status === 'expired') {
    return `This approval request expired ${slackDate(approval.expiresAt)}. Nothing was changed and no pull request will be opened for it.`;
  }
  const by = approval.decidedBy === undefined ? '' : ` by ${mentionOrText(approval.decidedBy)}`;
  return `This change was already ${approval.choice === undefined ? approval.status : `decided (${approval.choice})`}${by}. Nothing was changed.`;
}

/**
 * Handles one interactivity request. Answers 401 (signature), 400 (not a payload), 403 (not an
 * approver), 503 (approver groups could not be read: retry), 500 (the ledger write failed), or 200
 * with an ephemeral text for everything else, including polite refusals of replays and late clicks.
 */
export async function handleSlackInteraction(request: InteractionRequest, deps: InteractionDeps): Promise<HttpResponse> {
  const report = deps.report ?? ((level, message) => console[level](`cloudmend slack: ${message}`));
  const raw = Buffer.from(request.body ?? '', request.isBase64Encoded === true ? 'base64' : 'utf8');
  const verdict = verifySlackSignature({
    signingSecret: deps.signingSecret,
    timestamp: header(request.headers, 'x-slack-request-timestamp'),
    signature: header(request.headers, 'x-slack-signature'),
    body: raw,
    now: deps.now(),
  });
  if (!verdict.ok) {
    report('warn', `refused an unsigned or stale request (${verdict.reason})`);
    return UNAUTHORIZED;
  }

  const click = parseInteraction(raw.toString('utf8'));
  if (click.kind === 'garbage') return BAD_REQUEST;
  if (click.kind === 'ignored') return ephemeral('Nothing to do for this action.');

  const followUps = new FollowUps(deps, report, click);
  const approver = await isApprover(click.userId, deps);
  if (approver !== true) {
    const text =
      approver === 'unknown'
        ? 'cloudmend could not check your approver group membership. Nothing was changed; try again in a minute.'
        : 'You are not a cloudmend approver, so this click changed nothing. The request keeps waiting for an approver.';
    report(
      'warn',
      `slack:${click.userId} is ${approver === 'unknown' ? 'of unknown membership' : 'not an approver'}; ${click.decision} refused`,
    );
    // A refusal is not a success: 403 (503 while membership is unknown) shows in access logs and
    // alarms; the user reads why in the ephemeral reply, as Slack ignores the body.
    return followUps.reply(text, approver === 'unknown' ? 503 : 403);
  }
  if (click.approvalId === undefined) return followUps.reply(politeReply({ outcome: 'not_found' }));

  const actor = `slack:${click.userId}`;
  let result: DecideResult;
  try {
    // A forged click (codify where it is not offered, approve on a drift request) is refused before anything is recorded.
    const asked = await deps.ledger.getApproval(click.approvalId);
    if (!asked) return followUps.reply(politeReply({ outcome: 'not_found' }));
    const action = actionOf(click.decision, click.choice);
    const refused = refusalOf(click.approvalId, await acceptedActions(deps.ledger, deps.artifacts, asked.fingerprint), action);
    if (refused !== undefined) {
      report('warn', `refused ${action} of ${click.approvalId} by ${actor}: not offered`);
      return followUps.reply(`${refused}. Nothing was changed.`);
    }
    result = await decideApproval(deps.ledger, {
      id: click.approvalId,
      decision: click.decision,
      choice: click.choice,
      actor,
      at: deps.now(),
    });
  } catch (error) {
    report('error', `could not record ${click.choice ?? click.decision} of ${click.approvalId} by ${actor}: ${errorSummary(error)}`);
    return followUps.reply('cloudmend could not record your decision. Try again in a minute.', 500);
  }
  if (result.outcome === 'expired') await resumeExpired(result.approval, deps, report);
  if (result.outcome !== 'decided') {
    followUps.update(result);
    return followUps.reply(politeReply(result));
  }

  const token = result.approval.taskToken;
  try {
    if (click.decision === 'approved')
      await deps.callbacks.succeed(token, {
        approvalId: click.approvalId,
        approved: true,
        by: actor,
        ...(click.choice ? { choice: click.choice } : {}),
      });
    // The state machine catches these names and records the rejection, revert or ignore.
    else await deps.callbacks.fail(token, declinedErrorName(click.choice), `${click.choice ?? 'rejected'} by ${actor}`);
  } catch (error) {
    report(
      'error',
      `approval ${click.approvalId} was ${click.choice ?? click.decision} by ${actor} but resuming the workflow failed: ${errorSummary(error, token)}`,
    );
    followUps.update(result);
    return followUps.reply(
      `Your decision is recorded, but the workflow has not taken it yet. The cloudmend operators were told (approval ${click.approvalId}).`,
    );
  }
  followUps.update(result);
  return ephemeral(ACCEPTED[click.choice ?? click.decision]);
}

const ACCEPTED: Readonly<Record<'approved' | 'rejected' | DriftChoice, string>> = {
  approved: 'Approved: cloudmend will open the pull request.',
  rejected: 'Rejected: no pull request will be opened.',
  codify: 'Codify: cloudmend will open a pull request that writes the live values into the code.',
  revert: 'Revert: cloudmend will post the steps to re-deploy the code; it never deploys itself.',
  ignore: 'Ignore: drift on this resource will not be raised again until the suppression ends.',
};

/**
 * A late click is the first to notice the deadline passed: it flipped the approval to expired, so
 * no sweep will, and it resumes the waiting execution as the sweep would have.
 */
async function resumeExpired(
  approval: ApprovalRecord,
  deps: InteractionDeps,
  report: NonNullable<InteractionDeps['report']>,
): Promise<void> {
  try {
    await deps.callbacks.fail(approval.taskToken, 'cloudmend.Expired', `nobody decided before ${approval.expiresAt.toISOString()}`);
  } catch (error) {
    report('error', `approval ${approval.id} expired but resuming the workflow failed: ${errorSummary(error, approval.taskToken)}`);
  }
}

/** Best-effort work after the answer: message update and ephemeral replies. */
class FollowUps {
  readonly #deps: InteractionDeps;
  readonly #report: NonNullable<InteractionDeps['report']>;
  readonly #click: ApprovalClick;

  constructor(deps: InteractionDeps, report: NonNullable<InteractionDeps['report']>, click: ApprovalClick) {
    this.#deps = deps;
    this.#report = report;
    this.#click = click;
  }

  /** The HTTP answer, and the same text to the user through `postEphemeral` (Slack ignores the body). */
  reply(text: string, statusCode = 200): HttpResponse {
    const { postEphemeral } = this.#deps;
    const { channel, userId } = this.#click;
    if (postEphemeral !== undefined && channel !== undefined)
      this.#later('ephemeral reply', () => postEphemeral({ channel, user: userId, text }));
    return ephemeral(text, statusCode);
  }

  /** Shows the approval's recorded outcome in place of the request, buttons removed. */
  update(result: DecideResult): void {
    const { updateMessage, ledger } = this.#deps;
    const outcome = outcomeOf(result);
    if (updateMessage === undefined || outcome === undefined || result.outcome === 'not_found') return;
    const { approval } = result;
    const channel = approval.channel ?? this.#click.channel;
    const ts = approval.messageTs ?? this.#click.messageTs;
    if (channel === undefined || ts === undefined) return;
    this.#later(`message update for ${approval.id}`, async () => {
      const finding = (await ledger.get(approval.fingerprint))?.summary;
      await updateMessage({ channel, ts, approvalId: approval.id, fingerprint: approval.fingerprint, finding, outcome });
    });
  }

  #later(label: string, work: () => Promise<void>): void {
    const safe = async (): Promise<void> => {
      try {
        await work();
      } catch (error) {
        this.#report('warn', `${label} failed: ${errorSummary(error)}`);
      }
    };
    (this.#deps.defer ?? ((w) => void w()))(safe);
  }
}
