/**
 * What `cloudmend smoke` writes to a deployed stack with, built from its outputs and the caller's
 * credentials: the stack's ledger table, its GitHub credentials (read from its secret, never
 * printed) for the scratch branch and the clean-up, its Slack bot (to update an approval message
 * the smoke test answers), and the pipeline's EventBridge and Step Functions calls.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { WebClient } from '@slack/web-api';
import type * as z from 'zod';
import type { ApprovalOutcomeView } from '../approvals/blocks.js';
import { updateApprovalMessage, type MessageRef } from '../approvals/slack-notifier.js';
import type { Config } from '../config/schema.js';
import { dynamoDbLedger } from '../ledger/dynamodb.js';
import { githubOctokit } from '../scm/github-auth.js';
import { githubBranches, githubPullRequests } from '../scm/github.js';
import type { SmokeOutputs, SmokeProbes } from '../smoke/checks.js';
import type { StackSmokeDeps } from '../smoke/deployed.js';
import { githubRepositoriesOf } from './ports/github.js';
import { GitHubSecret, SECRET_SHAPES, SlackSecret, parseSecret } from './secrets.js';
import { awsSmokePipeline, smokePipelineClients } from './smoke-pipeline.js';
import type { SmokeProbeOptions } from './smoke-probes.js';

/** The stack and config, and the secret reader and API roots the prerequisite checks used. */
export interface SmokeDeploymentOptions
  extends Pick<SmokeProbeOptions, 'githubBaseUrl' | 'slackApiUrl'>,
    Pick<SmokeProbes, 'secretString'> {
  readonly region: string;
  readonly outputs: SmokeOutputs;
  readonly config: Config;
}

export type SmokeDeployment = Pick<StackSmokeDeps, 'pipeline' | 'ledger' | 'branches' | 'pullRequests'>;

export async function smokeDeployment(options: SmokeDeploymentOptions): Promise<SmokeDeployment> {
  const { region, outputs, config, githubBaseUrl, slackApiUrl } = options;
  const secret = async <T>(arn: string, schema: z.ZodType<T>, shape: string): Promise<T> =>
    parseSecret(schema, await options.secretString(arn), arn, shape);
  const auth = await secret(outputs.GitHubSecretArn, GitHubSecret, SECRET_SHAPES.github);
  const github = { octokit: githubOctokit({ auth, baseUrl: githubBaseUrl }), repositories: githubRepositoriesOf(config) };
  // With Slack approvals, a request the smoke test rejects has its message updated as a click would.
  const slack =
    config.approvals.slack === undefined
      ? undefined
      : new WebClient((await secret(outputs.SlackSecretArn, SlackSecret, SECRET_SHAPES.slack)).botToken, {
          retryConfig: { retries: 0 },
          ...(slackApiUrl ? { slackApiUrl } : {}),
        });
  return {
    pipeline: {
      ...awsSmokePipeline(smokePipelineClients(region)),
      ...(slack ? { updateMessage: (update: MessageRef & ApprovalOutcomeView) => updateApprovalMessage(slack, update) } : {}),
    },
    ledger: dynamoDbLedger({ client: new DynamoDBClient({ region }), tableName: outputs.LedgerTableName }),
    branches: githubBranches(github),
    pullRequests: githubPullRequests(github),
  };
}
