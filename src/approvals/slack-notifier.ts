/**
 * Posting and updating approval messages with the Slack Web API (`chat:write`). The task token
 * never reaches this module: requests carry the approval id only.
 *
 * Give the `WebClient` `rejectRateLimitedCalls: true` and a short `retryConfig` in Lambda: its
 * defaults retry for up to 30 minutes, while here a `cloudmend.Transient` error lets the state
 * machine retry with backoff instead.
 */
import type { WebClient } from '@slack/web-api';
import { printable } from '../printable.js';
import { CloudmendError } from '../errors.js';
import type { ApprovalNotifier } from './port.js';
import { TransientError } from '../workflow/errors.js';
import { approvalOutcomeMessage, approvalRequestMessage, type ApprovalMessageInput, type ApprovalOutcomeView } from './blocks.js';

/** The part of `WebClient` cloudmend uses; a real `WebClient` is one. */
export interface SlackChatClient {
  readonly chat: Pick<WebClient['chat'], 'postMessage' | 'update' | 'postEphemeral'>;
}

/** Slack refused a call for a reason retrying will not fix (auth, scope, channel, payload). */
export class SlackApiError extends CloudmendError {
  override name = 'cloudmend.SlackFailed';
  /** Slack's error code (`channel_not_found`, `missing_scope`...) or `http_<status>`. */
  readonly code: string;

  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

// Platform errors Slack documents as temporary.
const TRANSIENT_PLATFORM = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

const HINTS: Readonly<Record<string, string>> = {
  not_in_channel: 'invite the cloudmend app to the channel (/invite @<app name>)',
  channel_not_found: 'check approvals.slack.channel (a channel id such as C0123456789) and invite the app to it',
  invalid_auth: 'the bot token is invalid: reinstall the Slack app and update the stored token',
  not_authed: 'no bot token was sent: check the stored Slack token',
  token_revoked: 'the bot token was revoked: reinstall the Slack app and update the stored token',
  account_inactive: 'the bot token belongs to a deleted or disabled app: reinstall it',
  missing_scope: 'add the missing scope to the Slack app and reinstall it',
  message_not_found: 'the approval message was deleted',
};

/**
 * Translates a `WebClient` failure. Only codes and status numbers are copied: the SDK's request
 * errors hold the original HTTP request, Authorization header included, so they are never kept as
 * a `cause`.
 */
export function slackFailure(method: string, error: unknown): Error {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    statusCode?: unknown;
    retryAfter?: unknown;
    data?: { error?: unknown; needed?: unknown };
  };
  switch (e.code) {
    case 'slack_webapi_rate_limited_error':
      return new TransientError(`Slack ${method} was rate limited (retry after ${Number(e.retryAfter)}s)`);
    case 'slack_webapi_request_error':
      return new TransientError(`Slack ${method} could not be reached`);
    case 'slack_webapi_http_error': {
      const status = Number(e.statusCode);
      if (status === 429 || status >= 500) return new TransientError(`Slack ${method} answered HTTP ${status}`);
      return new SlackApiError(`Slack ${method} answered HTTP ${status}`, `http_${status}`);
    }
    case 'slack_webapi_platform_error': {
      const code = typeof e.data?.error === 'string' ? printable(e.data.error).slice(0, 100) : 'unknown_error';
      if (TRANSIENT_PLATFORM.has(code)) return new TransientError(`Slack ${method} failed: ${code}`);
      const needed = code === 'missing_scope' && typeof e.data?.needed === 'string' ? ` (${printable(e.data.needed).slice(0, 100)})` : '';
      const hint = HINTS[code];
      return new SlackApiError(`Slack ${method} failed: ${code}${needed}${hint === undefined ? '' : `: ${hint}`}`, code);
    }
    default: {
      const name = error instanceof Error ? printable(error.name).slice(0, 100) : typeof error;
      return new SlackApiError(`Slack ${method} failed unexpectedly (${name})`, 'unexpected');
    }
  }
}

async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw slackFailure(method, error);
  }
}

// No unfurls (a finding may name a URL), no automatic @name or #channel linking.
const QUIET = { unfurl_links: false, unfurl_media: false, link_names: false, parse: 'none' } as const;

/**
 * Posts approval requests to `channel` (an id such as `C0123456789`). Throws `cloudmend.Transient`
 * when Slack is rate limiting, failing (5xx) or unreachable, `SlackApiError` otherwise.
 */
export function slackApprovalNotifier(options: { readonly client: SlackChatClient; readonly channel: string }): ApprovalNotifier & {
  requestApproval(request: ApprovalMessageInput): Promise<{ readonly channel: string; readonly messageTs: string | undefined }>;
} {
  const { client, channel } = options;
  return {
    async requestApproval(request) {
      const message = approvalRequestMessage(request);
      const result = await call('chat.postMessage', () => client.chat.postMessage({ channel, ...message, ...QUIET }));
      return { channel: result.channel ?? channel, messageTs: result.ts };
    },
  };
}

/** Where a message lives: the channel id and the message's `ts`. */
export interface MessageRef {
  readonly channel: string;
  readonly ts: string;
}

/** Replaces an approval message with its outcome (buttons removed) via `chat.update`. */
export async function updateApprovalMessage(client: SlackChatClient, update: MessageRef & ApprovalOutcomeView): Promise<void> {
  const { channel, ts, ...view } = update;
  await call('chat.update', () => client.chat.update({ channel, ts, ...approvalOutcomeMessage(view), link_names: false, parse: 'none' }));
}

/** A reply only `user` sees, in `channel` (`chat.postEphemeral`); `text` is cloudmend's own wording. */
export async function postEphemeralReply(
  client: SlackChatClient,
  reply: { readonly channel: string; readonly user: string; readonly text: string },
): Promise<void> {
  await call('chat.postEphemeral', () => client.chat.postEphemeral({ channel: reply.channel, user: reply.user, text: reply.text }));
}
