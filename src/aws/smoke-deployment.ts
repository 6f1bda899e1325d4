/**
 * What `cloudmend smoke` writes to a deployed stack with, built from its outputs and the caller's
 * credentials: the stack's ledger table, its GitHub credentials (read from its secret, never
 * printed) for the scratch branch and the clean-up, and the pipeline's EventBridge and Step
 * Functions calls.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../config/schema.js';
import { dynamoDbLedger } from '../ledger/dynamodb.js';
import { githubOctokit } from '../scm/github-auth.js';
import { githubBranches, githubPullRequests } from '../scm/github.js';
import type { SmokeOutputs } from '../smoke/checks.js';
import type { StackSmokeDeps } from '../smoke/deployed.js';
import { githubRepositoriesOf } from './ports/github.js';
import { GitHubSecret, SECRET_SHAPES, parseSecret } from './secrets.js';
import { awsSmokePipeline, smokePipelineClients } from './smoke-pipeline.js';

export interface SmokeDeploymentOptions {
  readonly region: string;
  readonly outputs: SmokeOutputs;
  readonly config: Config;
  /** GitHub REST API root: `https://api.github.com` by default. */
  readonly githubBaseUrl?: string | undefined;
}

export type SmokeDeployment = Pick<StackSmokeDeps, 'pipeline' | 'ledger' | 'branches' | 'pullRequests'>;

export async function smokeDeployment({ region, outputs, config, githubBaseUrl }: SmokeDeploymentOptions): Promise<SmokeDeployment> {
  const secretsManager = new SecretsManagerClient({ region });
  const arn = outputs.GitHubSecretArn;
  const { SecretString } = await secretsManager.send(new GetSecretValueCommand({ SecretId: arn }));
  const octokit = githubOctokit({ auth: parseSecret(GitHubSecret, SecretString, arn, SECRET_SHAPES.github), baseUrl: githubBaseUrl });
  const github = { octokit, repositories: githubRepositoriesOf(config) };
  return {
    pipeline: awsSmokePipeline(smokePipelineClients(region)),
    ledger: dynamoDbLedger({ client: new DynamoDBClient({ region }), tableName: outputs.LedgerTableName }),
    branches: githubBranches(github),
    pullRequests: githubPullRequests(github),
  };
}
