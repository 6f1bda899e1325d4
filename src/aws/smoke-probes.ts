/**
 * The AWS, GitHub and Slack reads behind `cloudmend smoke`'s prerequisite checks, all read-only:
 * CloudFormation DescribeStacks, Security Hub DescribeHub, Secrets Manager GetSecretValue, Bedrock
 * GetInferenceProfile and GetFoundationModelAvailability, GitHub's installation lookup and Slack's
 * auth.test and conversations.info.
 */
import { BedrockClient, GetFoundationModelAvailabilityCommand, GetInferenceProfileCommand } from '@aws-sdk/client-bedrock';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { WebClient } from '@slack/web-api';
import { slackFailure } from '../approvals/slack-notifier.js';
import { githubOctokit } from '../scm/github-auth.js';
import type { SmokeProbes } from '../smoke/checks.js';

export interface SmokeProbeOptions {
  readonly cloudFormation: CloudFormationClient;
  readonly securityHub: SecurityHubClient;
  readonly secretsManager: SecretsManagerClient;
  readonly bedrock: BedrockClient;
  /** GitHub REST API root: `https://api.github.com` by default. */
  readonly githubBaseUrl?: string | undefined;
  /** Slack Web API root (`https://slack.com/api/` by default), as `CLOUDMEND_SLACK_API_URL` sets it for the functions. */
  readonly slackApiUrl?: string | undefined;
}

/** Clients for `region` with the caller's credentials (the default provider chain). */
export function smokeClients(region: string): Pick<SmokeProbeOptions, 'cloudFormation' | 'securityHub' | 'secretsManager' | 'bedrock'> {
  return {
    cloudFormation: new CloudFormationClient({ region }),
    securityHub: new SecurityHubClient({ region }),
    secretsManager: new SecretsManagerClient({ region }),
    bedrock: new BedrockClient({ region }),
  };
}

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : undefined;
}

function httpStatus(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : undefined;
}

export function awsSmokeProbes(options: SmokeProbeOptions): SmokeProbes {
  const { cloudFormation, securityHub, secretsManager, bedrock, githubBaseUrl, slackApiUrl } = options;
  const secrets = new Map<string, Promise<string | undefined>>();
  return {
    async stackOutputs(stackName) {
      try {
        const { Stacks = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
        const outputs = Stacks[0]?.Outputs ?? [];
        return Object.fromEntries(outputs.flatMap((o) => (o.OutputKey && o.OutputValue ? [[o.OutputKey, o.OutputValue]] : [])));
      } catch (error) {
        // CloudFormation answers a missing stack with ValidationError "Stack with id … does not exist".
        if (errorName(error) === 'ValidationError' && /does not exist/.test((error as Error).message)) return undefined;
        throw error;
      }
    },
    async securityHubEnabled() {
      try {
        await securityHub.send(new DescribeHubCommand({}));
        return true;
      } catch (error) {
        if (errorName(error) === 'InvalidAccessException') return false;
        throw error;
      }
    },
    // Read once per command: the smoke test reads the secrets the checks read (smoke-deployment.ts).
    secretString(arn) {
      let read = secrets.get(arn);
      if (read === undefined) {
        read = secretsManager.send(new GetSecretValueCommand({ SecretId: arn })).then((r) => r.SecretString);
        secrets.set(arn, read);
      }
      return read;
    },
    async githubInstallation(auth, owner, repo) {
      const octokit = githubOctokit({ auth, baseUrl: githubBaseUrl });
      try {
        // An App authenticates this lookup with its JWT (auth-app knows the route); a token reads the repository.
        if ('appId' in auth) return { id: (await octokit.request('GET /repos/{owner}/{repo}/installation', { owner, repo })).data.id };
        await octokit.request('GET /repos/{owner}/{repo}', { owner, repo });
        return {};
      } catch (error) {
        if (httpStatus(error) === 404) return undefined;
        throw error;
      }
    },
    async modelAccess(modelId) {
      let profile = false;
      let ids = [modelId.replace(/^arn:[^:]+:bedrock:[^:]*::foundation-model\//, '')];
      try {
        // An inference profile (`us.anthropic.…`, or its ARN) runs one foundation model, in one or more Regions.
        const { models = [] } = await bedrock.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: modelId }));
        ids = [...new Set(models.flatMap((m) => (m.modelArn ? [m.modelArn.slice(m.modelArn.lastIndexOf('/') + 1)] : [])))];
        profile = true;
      } catch (error) {
        if (errorName(error) === 'AccessDeniedException') return undefined;
        if (errorName(error) !== 'ResourceNotFoundException' && errorName(error) !== 'ValidationException') throw error;
      }
      try {
        const models = await Promise.all(
          ids.map(async (id) => {
            const a = await bedrock.send(new GetFoundationModelAvailabilityCommand({ modelId: id }));
            return {
              modelId: id,
              authorized: a.authorizationStatus === 'AUTHORIZED',
              entitled: a.entitlementAvailability === 'AVAILABLE',
              agreement: a.agreementAvailability?.status ?? 'NOT_AVAILABLE',
              agreementError: a.agreementAvailability?.errorMessage,
              inRegion: a.regionAvailability === 'AVAILABLE',
            };
          }),
        );
        return { profile, models };
      } catch (error) {
        if (errorName(error) === 'AccessDeniedException') return undefined;
        throw error;
      }
    },
    async slackChannel(botToken, channel) {
      const client = new WebClient(botToken, { retryConfig: { retries: 0 }, ...(slackApiUrl ? { slackApiUrl } : {}) });
      const call = <T>(method: string, run: () => Promise<T>) =>
        run().catch((error: unknown) => Promise.reject(slackFailure(method, error)));
      await call('auth.test', () => client.auth.test());
      const { channel: found } = await call('conversations.info', () => client.conversations.info({ channel }));
      return { member: found?.is_member === true, ...(found?.name ? { name: found.name } : {}) };
    },
  };
}
