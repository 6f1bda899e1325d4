/** The Slack interaction endpoint in AWS: a Lambda Function URL in front of `handleSlackInteraction`. */
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { handleSlackInteraction } from '../approvals/interactions.js';
import { postEphemeralReply, updateApprovalMessage } from '../approvals/slack-notifier.js';
import { bundledConfig, once } from './context.js';
import { ENV, required } from './environment.js';
import { s3ArtifactReader } from './s3-artifact-reader.js';
import { ledger } from './ports/ledger.js';
import { slackClient } from './ports/slack.js';
import { slackSecret } from './secrets.js';
import { stepFunctionsCallbacks } from './step-functions.js';

const env = process.env;
const config = once(() => bundledConfig(env));
const theLedger = once(() => ledger(env));
// Read only: the stored patch says which choices an approval accepts.
const theArtifacts = once(() => s3ArtifactReader({ client: new S3Client({}), bucket: required(env, ENV.artifactsBucket) }));
const callbacks = once(() => stepFunctionsCallbacks(new SFNClient({})));
const slack = once(() => slackClient(env));

/** Group membership, cached for five minutes: removing someone takes effect within that. */
const groups = new Map<string, { readonly at: number; readonly members: Promise<readonly string[]> }>();
function groupMembers(groupId: string): Promise<readonly string[]> {
  const cached = groups.get(groupId);
  if (cached && Date.now() - cached.at < 300_000) return cached.members;
  const members = slack().then(async (client) => (await client.usergroups.users.list({ usergroup: groupId })).users ?? []);
  groups.set(groupId, { at: Date.now(), members });
  members.catch(() => groups.delete(groupId));
  return members;
}

/** Slack's interactivity request, answered within its 3 seconds; follow-ups finish before returning. */
export async function slackInteraction(event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> {
  const { signingSecret } = await slackSecret(required(env, ENV.slackSecretArn));
  const followUps: Promise<void>[] = [];
  const response = await handleSlackInteraction(
    { headers: event.headers, body: event.body ?? '', isBase64Encoded: event.isBase64Encoded },
    {
      signingSecret,
      ledger: theLedger(),
      artifacts: theArtifacts(),
      approvers: config().approvals.approvers,
      groupMembers,
      callbacks: callbacks(),
      updateMessage: async (update) => updateApprovalMessage(await slack(), update),
      postEphemeral: async (reply) => postEphemeralReply(await slack(), reply),
      // A frozen Lambda drops unfinished work: the message update and replies get up to 1.5 s
      // after the decision, which is already recorded and sent to the workflow by then.
      defer: (work) => void followUps.push(work()),
      now: () => new Date(),
    },
  );
  await Promise.race([Promise.all(followUps), new Promise((resolve) => setTimeout(resolve, 1500).unref())]);
  return response;
}
