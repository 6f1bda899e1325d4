/**
 * The environment the CDK stack gives every function, named once so the stack and the handlers
 * cannot disagree. Values are resource names and ARNs, never secrets: secrets are read from
 * Secrets Manager at run time.
 */
export const ENV = {
  /** DynamoDB ledger table name. */
  ledgerTable: 'CLOUDMEND_LEDGER_TABLE',
  /** S3 bucket holding patches and sandbox inputs between tasks. */
  artifactsBucket: 'CLOUDMEND_ARTIFACTS_BUCKET',
  /** Secrets Manager secret: GitHub App credentials or a token (JSON, see the README). */
  githubSecretArn: 'CLOUDMEND_GITHUB_SECRET_ARN',
  /** Secrets Manager secret: Slack bot token and signing secret (JSON, see the README). */
  slackSecretArn: 'CLOUDMEND_SLACK_SECRET_ARN',
  /** Slack Web API base URL, when not Slack's own (GovSlack: `https://slack-gov.com/api/`). */
  slackApiUrl: 'CLOUDMEND_SLACK_API_URL',
  /** The remediate state machine, for functions that start executions (backfill). */
  remediateStateMachineArn: 'CLOUDMEND_REMEDIATE_STATE_MACHINE_ARN',
  /** The validated configuration, bundled next to the handler; overridable for tests. */
  configFile: 'CLOUDMEND_CONFIG_FILE',
  /** Where RunAgent starts the sandbox task: comma-separated subnet and security group ids. */
  sandboxSubnets: 'CLOUDMEND_SANDBOX_SUBNETS',
  sandboxSecurityGroups: 'CLOUDMEND_SANDBOX_SECURITY_GROUPS',
} as const;

/** Where artifacts live in the artifacts bucket: task-to-task patches, sandbox input and output. */
export const BUCKET_PREFIX = {
  artifacts: 'artifacts/',
  sandboxInput: 'artifacts/sandbox/input/',
  sandboxOutput: 'artifacts/sandbox/output/',
} as const;

/** The config file's name inside every function's bundle. */
export const BUNDLED_CONFIG_FILE = 'cloudmend.config.json';

/** Reads a variable the stack always sets; a missing one means the function was deployed by hand. */
export function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set: deploy cloudmend with its CDK stack, which sets it`);
  return value;
}
