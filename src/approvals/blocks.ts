/**
 * Block Kit for approval requests and their outcome. Everything that came from a finding or a
 * patch is untrusted (see mrkdwn.ts) and bounded so the message always fits Slack's limits
 * (3,000 characters per section text, 2,000 per field, 50 blocks). Buttons carry the approval id
 * only: the task token stays in the ledger.
 */
import type { FindingSummary } from '../ledger/port.js';
import { actionsFor } from './choices.js';
import type { ApprovalRequest, DriftApproval } from './port.js';
import { printable } from '../printable.js';
import { escapeMrkdwn, fitMrkdwn, inlineField, mentionOrText, neutraliseBackticks, slackDate } from './mrkdwn.js';

/** The `action_id`s of the buttons; the interaction endpoint acts on these and nothing else. */
export const APPROVE_ACTION_ID = 'cloudmend_approve';
export const REJECT_ACTION_ID = 'cloudmend_reject';
/** Drift decisions: write the live values into the code, re-deploy the code, or leave it be. */
export const DRIFT_ACTION_IDS = { codify: 'cloudmend_codify', revert: 'cloudmend_revert', ignore: 'cloudmend_ignore' } as const;
export type DriftChoice = keyof typeof DRIFT_ACTION_IDS;

/** `verbatim` stops Slack from turning bare URLs, `#channel` and `@here` into links and mentions. */
export interface MrkdwnText {
  readonly type: 'mrkdwn';
  readonly text: string;
  readonly verbatim: true;
}
/** Shown as is: only for cloudmend's own wording (headers, buttons, the confirm dialog). */
export interface PlainText {
  readonly type: 'plain_text';
  readonly text: string;
  readonly emoji?: boolean;
}
/** A button whose `value` is an approval id, never anything secret. */
export interface ButtonElement {
  readonly type: 'button';
  readonly action_id: string;
  readonly text: PlainText;
  readonly value: string;
  readonly style?: 'primary' | 'danger' | undefined;
  readonly confirm?: {
    readonly title: PlainText;
    readonly text: PlainText;
    readonly confirm: PlainText;
    readonly deny: PlainText;
    readonly style: 'primary';
  };
}
/** The blocks cloudmend sends; a subset of Slack's `KnownBlock`, assignable to `chat.postMessage`'s `blocks`. */
export type SlackBlock =
  | { readonly type: 'header'; readonly text: PlainText }
  | { readonly type: 'section'; readonly text: MrkdwnText; readonly fields?: readonly MrkdwnText[] }
  | { readonly type: 'context'; readonly elements: readonly MrkdwnText[] }
  | { readonly type: 'actions'; readonly block_id: string; readonly elements: readonly ButtonElement[] };

/** A message: blocks plus the plain `text` Slack shows in notifications and screen readers. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: SlackBlock[];
}

/** What an approval message shows: the request, with where the finding lives and who wrote the patch. */
export type ApprovalMessageInput = ApprovalRequest;

/** Diff preview bounds: enough to judge a remediation, small enough to read in a channel. */
export const DIFF_MAX_LINES = 40;
const DIFF_MAX_LINE_CHARS = 300;
const SECTION_MAX = 3000;
const FIELD_RAW_MAX = 300;

const mrkdwn = (text: string): MrkdwnText => ({ type: 'mrkdwn', text, verbatim: true });
const plain = (text: string): PlainText => ({ type: 'plain_text', text, emoji: true });
const field = (label: string, value: string | undefined): MrkdwnText =>
  mrkdwn(`*${label}*\n${value === undefined || value.trim() === '' ? '—' : inlineField(value, FIELD_RAW_MAX)}`);

/** The diff as a code block within one section, and how much of it was left out. */
export function diffPreview(diff: string): {
  readonly text: string;
  readonly shownLines: number;
  readonly totalLines: number;
  readonly truncated: boolean;
} {
  const lines = diff.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  const fence = '```';
  const budget = SECTION_MAX - 2 * (fence.length + 1);
  const shown: string[] = [];
  let used = 0;
  let clipped = false;
  for (const line of lines.slice(0, DIFF_MAX_LINES)) {
    const raw = neutraliseBackticks(printable(line));
    const safe = fitMrkdwn(raw, DIFF_MAX_LINE_CHARS);
    if (used + safe.length + 1 > budget) break;
    clipped ||= safe !== escapeMrkdwn(raw);
    shown.push(safe);
    used += safe.length + 1;
  }
  // An empty code block renders as literal backticks; show a placeholder instead.
  const body = shown.length === 0 || shown.join('') === '' ? '(empty diff)' : shown.join('\n');
  return {
    text: `${fence}\n${body}\n${fence}`,
    shownLines: shown.length,
    totalLines: lines.length,
    truncated: clipped || shown.length < lines.length,
  };
}

function approvalButtons(approvalId: string): SlackBlock {
  return {
    type: 'actions',
    block_id: 'cloudmend_decision',
    elements: [
      {
        type: 'button',
        action_id: APPROVE_ACTION_ID,
        text: plain('Approve'),
        value: approvalId,
        style: 'primary',
        confirm: {
          title: plain('Approve this change?'),
          text: plain('cloudmend will open the pull request for this change. You are recorded as the approver.'),
          confirm: plain('Approve'),
          deny: plain('Cancel'),
          style: 'primary',
        },
      },
      { type: 'button', action_id: REJECT_ACTION_ID, text: plain('Reject'), value: approvalId, style: 'danger' },
    ],
  };
}

function driftButtons(approvalId: string, drift: DriftApproval): SlackBlock {
  const codifyText = drift.weakens
    ? 'The pull request writes the live values, including a security weakening, into the code. You are recorded as the approver.'
    : 'cloudmend will open a pull request that writes the live values into the code. You are recorded as the approver.';
  const codify: ButtonElement = {
    type: 'button',
    action_id: DRIFT_ACTION_IDS.codify,
    text: plain('Codify'),
    value: approvalId,
    style: drift.weakens ? 'danger' : 'primary',
    confirm: {
      title: plain('Codify this drift?'),
      text: plain(codifyText),
      confirm: plain('Codify'),
      deny: plain('Cancel'),
      style: 'primary',
    },
  };
  const buttons: Record<DriftChoice, ButtonElement> = {
    codify,
    revert: { type: 'button', action_id: DRIFT_ACTION_IDS.revert, text: plain('Revert'), value: approvalId },
    ignore: { type: 'button', action_id: DRIFT_ACTION_IDS.ignore, text: plain(`Ignore ${drift.ignoreDays} days`), value: approvalId },
  };
  // Only the choices the approval accepts (no codify when cloudmend cannot write the live values).
  const accepted = actionsFor({ drift }).actions.filter((a): a is DriftChoice => Object.hasOwn(buttons, a));
  return { type: 'actions', block_id: 'cloudmend_decision', elements: accepted.map((a) => buttons[a]) };
}

/** The differences, bounded; the values in them come from the live resource and are untrusted. */
function driftSection(drift: DriftApproval): SlackBlock {
  const lines = drift.differences.slice(0, 15).map((d) => `• ${inlineField(d, 180)}`);
  if (drift.differences.length > lines.length) lines.push(`… and ${drift.differences.length - lines.length} more`);
  const head = drift.weakens
    ? '*Drift: the live resource is less secure than its code*'
    : '*Drift: the live resource differs from its code*';
  return { type: 'section', text: mrkdwn(`${head}\n${lines.join('\n')}`) };
}

function footer(approvalId: string, fingerprint: string, extra?: string): SlackBlock {
  const parts = [`Approval \`${inlineField(approvalId, 100)}\``, `finding \`${inlineField(fingerprint, 100)}\``];
  if (extra !== undefined) parts.push(extra);
  return { type: 'context', elements: [mrkdwn(parts.join(' · '))] };
}

/** The message asking approvers to decide: finding, fix, validation, bounded diff, Approve / Reject. */
export function approvalRequestMessage(request: ApprovalMessageInput): SlackMessage {
  const fixedBy =
    request.skill !== undefined ? `skill ${request.skill}` : request.model !== undefined ? `model ${request.model}` : undefined;
  const where =
    request.account === undefined && request.region === undefined ? undefined : `${request.account ?? '?'} / ${request.region ?? '?'}`;
  const fields = [
    field('Control', request.controlId),
    field('Severity', request.severity),
    field('Resource', request.resource),
    field('Repository', request.repository),
    ...(where === undefined ? [] : [field('Account / region', where)]),
    field('Fix by', fixedBy),
  ];
  const diff = diffPreview(request.diff);
  const blocks: SlackBlock[] = [
    { type: 'header', text: plain(request.drift ? 'cloudmend: drift decision needed' : 'cloudmend: approval needed') },
    { type: 'section', text: mrkdwn(`*${inlineField(request.title, 500)}*`), fields },
    ...(request.drift ? [driftSection(request.drift)] : []),
    { type: 'section', text: mrkdwn(`*Validation*\n${request.validation.trim() === '' ? '—' : inlineField(request.validation, 1000)}`) },
    { type: 'section', text: mrkdwn(diff.text) },
  ];
  if (diff.truncated) {
    const note = `Diff preview truncated: ${diff.shownLines} of ${diff.totalLines} lines shown (long lines cut). Review the full diff before approving.`;
    blocks.push({ type: 'context', elements: [mrkdwn(note)] });
  }
  blocks.push(
    request.drift ? driftButtons(request.approvalId, request.drift) : approvalButtons(request.approvalId),
    footer(request.approvalId, request.fingerprint, `expires ${slackDate(request.expiresAt)}`),
  );
  return {
    text: `cloudmend: approval needed for ${inlineField(request.controlId ?? 'a finding', 50)}: ${inlineField(request.title, 200)}`,
    blocks,
  };
}

/** How an approval ended, for the message update. `by` is an actor such as `slack:U123`. */
export type ApprovalOutcome =
  | { readonly status: 'approved' | 'rejected'; readonly by: string; readonly at: Date; readonly choice?: string | undefined }
  | { readonly status: 'expired'; readonly expiresAt: Date };

/** What the updated message shows once an approval is no longer pending. */
export interface ApprovalOutcomeView {
  readonly approvalId: string;
  readonly fingerprint: string;
  /** The ledger's summary of the finding, when it could be read. */
  readonly finding?: FindingSummary | undefined;
  readonly outcome: ApprovalOutcome;
}

function verdictOf(status: 'approved' | 'rejected', choice: string | undefined): string {
  if (choice === 'codify') return ':white_check_mark: *Codify*: a pull request writes the live values into the code. Chosen';
  if (choice === 'revert')
    return ':leftwards_arrow_with_hook: *Revert*: re-deploy the code to undo the drift (cloudmend never deploys). Chosen';
  if (choice === 'ignore') return ':zzz: *Ignore*: drift on this resource is not raised again for a while. Chosen';
  return status === 'approved' ? ':white_check_mark: *Approved*' : ':x: *Rejected*';
}

/** The message that replaces a request once decided or expired: no buttons, who and when. */
export function approvalOutcomeMessage(view: ApprovalOutcomeView): SlackMessage {
  const { outcome, finding } = view;
  const verdict =
    outcome.status === 'expired'
      ? `:hourglass: *Expired*: nobody decided before ${slackDate(outcome.expiresAt)}. No pull request is opened.`
      : `${verdictOf(outcome.status, outcome.choice)} by ${mentionOrText(outcome.by)} on ${slackDate(outcome.at)}.`;
  const blocks: SlackBlock[] = [{ type: 'header', text: plain(`cloudmend: ${outcome.status}`) }];
  if (finding !== undefined) {
    const resource = [finding.resourceType, finding.resourceId].filter((p) => p !== undefined).join(' ');
    blocks.push({
      type: 'section',
      text: mrkdwn(`*${inlineField(finding.title ?? 'Untitled finding', 500)}*`),
      fields: [
        field('Control', finding.controlId),
        field('Resource', resource),
        field('Account / region', `${finding.account ?? '?'} / ${finding.region ?? '?'}`),
      ],
    });
  }
  blocks.push({ type: 'section', text: mrkdwn(verdict) }, footer(view.approvalId, view.fingerprint));
  return { text: `cloudmend approval ${inlineField(view.approvalId, 100)}: ${outcome.status}`, blocks };
}
