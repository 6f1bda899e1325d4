/** The approvals port in AWS: Slack, with the bot token in Secrets Manager. */
import { WebClient } from '@slack/web-api';
import { slackApprovalNotifier } from '../../approvals/slack-notifier.js';
import type { PortFactory } from '../context.js';
import { ENV, required } from '../environment.js';
import { slackSecret } from '../secrets.js';

/** A Slack Web API client that fails fast: the state machine, not the client, waits out outages. */
export async function slackClient(env: NodeJS.ProcessEnv): Promise<WebClient> {
  const { botToken } = await slackSecret(required(env, ENV.slackSecretArn));
  const slackApiUrl = env[ENV.slackApiUrl];
  return new WebClient(botToken, {
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, maxTimeout: 2000 },
    ...(slackApiUrl ? { slackApiUrl } : {}),
  });
}

export const approvals: PortFactory<'approvals'> = async (env, config) => {
  const channel = config.approvals.slack?.channel;
  if (!channel) throw new Error('approvals.slack.channel is not set in the deployed config');
  return slackApprovalNotifier({ client: await slackClient(env), channel });
};
