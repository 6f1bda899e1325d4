/**
 * The read-only prerequisite checks of `cloudmend smoke` against a deployed stack: its outputs,
 * Security Hub, the two secrets, the GitHub App on each repository, the Slack channel, model
 * access. Each check ends `ok`, `problem` (with the exact fix) or `skipped`; one failing check
 * never stops the others. Secret values never reach a check's text: only key names and ARNs do.
 */
import type * as z from 'zod';
import type { Config } from '../config/schema.js';
import { GitHubSecret, SECRET_SHAPES, SlackSecret, parseSecret } from '../aws/secrets.js';
import { mapLimit } from '../map-limit.js';

export type SmokeCheckStatus = 'ok' | 'problem' | 'skipped';

export interface SmokeCheck {
  readonly name: string;
  readonly status: SmokeCheckStatus;
  readonly detail: string;
  /** The command or step that fixes a `problem` (or runs a `skipped` check by hand). */
  readonly fix?: string;
}

/** What the checks read; adapters do I/O only and throw on what they cannot answer. */
export interface SmokeProbes {
  /** The stack's outputs by key, or `undefined` when the Region has no stack of that name. */
  stackOutputs(stackName: string): Promise<Readonly<Record<string, string>> | undefined>;
  securityHubEnabled(): Promise<boolean>;
  /** The secret's current string value (`undefined` when it has none). */
  secretString(arn: string): Promise<string | undefined>;
  /** The installation of the App (or the token's access) on `owner/repo`; `undefined` when there is none. */
  githubInstallation(auth: GitHubSecret, owner: string, repo: string): Promise<{ readonly id?: number } | undefined>;
  /** Whether the bot is a member of `channel`; throws Slack's failure (the token, the channel id). */
  slackChannel(botToken: string, channel: string): Promise<{ readonly member: boolean; readonly name?: string }>;
  /**
   * Access to the foundation models `modelId` runs (itself, or those of the inference profile it
   * names), in the stack's Region; `undefined` when the credentials in use cannot read it.
   */
  modelAccess(modelId: string): Promise<ModelAccess | undefined>;
}

export interface ModelAccess {
  /** An inference profile: its models may run in other Regions, so Region availability here is not asked of them. */
  readonly profile: boolean;
  readonly models: readonly {
    readonly modelId: string;
    readonly authorized: boolean;
    readonly entitled: boolean;
    /** The end-user agreement: `AVAILABLE` (accepted), `PENDING`, `NOT_AVAILABLE` or `ERROR`. */
    readonly agreement: string;
    readonly agreementError?: string | undefined;
    readonly inRegion: boolean;
  }[];
}

export interface SmokeTarget {
  readonly stackName: string;
  readonly region: string;
  readonly config: Config;
}

/** The stack outputs the smoke test reads (lib/cloudmend-stack.ts). */
export const SMOKE_OUTPUTS = ['EventBusName', 'StateMachineArn', 'LedgerTableName', 'GitHubSecretArn', 'SlackSecretArn'] as const;
export type SmokeOutputs = Readonly<Record<(typeof SMOKE_OUTPUTS)[number], string>>;

export interface PrerequisiteReport {
  readonly checks: readonly SmokeCheck[];
  /** Every output the smoke test needs, when the stack has them all. */
  readonly outputs?: SmokeOutputs;
}

const CONCURRENCY = 4;
// Values copied from the README's examples rather than filled in.
const PLACEHOLDER = /\.\.\.|…|^<.*>$/s;

/** Runs every check; never throws for a check's failure (it becomes that check's `problem`). */
export async function prerequisiteChecks(target: SmokeTarget, probes: SmokeProbes): Promise<PrerequisiteReport> {
  const { region, config } = target;
  const stack = await stackCheck(target, probes).catch((error: unknown) => ({ check: failed('stack outputs', error), outputs: undefined }));
  const outputs = stack.outputs;
  const github = outputs && readSecret(probes, outputs.GitHubSecretArn, 'github', GitHubSecret);
  const channel = config.approvals.slack?.channel;
  const slack = channel === undefined ? undefined : outputs && readSecret(probes, outputs.SlackSecretArn, 'slack', SlackSecret);

  const checks: Check[] = [
    ['Security Hub', (name) => securityHubCheck(name, region, probes)],
    ['GitHub secret', (name) => secretCheck(name, github)],
    ...config.repositories.map(
      (r): Check => [`GitHub access to ${r.location}`, (name) => installationCheck(name, r.location, github, probes)],
    ),
    ...(channel === undefined
      ? []
      : ([
          ['Slack secret', (name) => secretCheck(name, slack)],
          [`Slack channel ${channel}`, (name) => slackChannelCheck(name, channel, slack, probes)],
        ] satisfies Check[])),
    ['model access', (name) => modelCheck(name, config, region, probes)],
  ];
  const results = await mapLimit(checks, CONCURRENCY, ([name, run]) => run(name).catch((error: unknown) => failed(name, error)));
  return { checks: [stack.check, ...results], ...(outputs ? { outputs } : {}) };
}

type Check = [string, (name: string) => Promise<SmokeCheck>];

function failed(name: string, error: unknown): SmokeCheck {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { name, status: 'problem', detail: `could not be checked: ${reason}` };
}

async function stackCheck({ stackName, region }: SmokeTarget, probes: SmokeProbes): Promise<{ check: SmokeCheck; outputs?: SmokeOutputs }> {
  const name = 'stack outputs';
  const found = await probes.stackOutputs(stackName);
  if (found === undefined) {
    const detail = `no stack ${stackName} in ${region}`;
    const fix = `deploy it with npx cdk deploy -c region=${region} -c config=cloudmend.config.yaml -c stackName=${stackName}, or pass --stack`;
    return { check: { name, status: 'problem', detail, fix } };
  }
  const missing = SMOKE_OUTPUTS.filter((key) => !found[key]);
  if (missing.length > 0) {
    const detail = `stack ${stackName} has no output ${missing.join(', ')}`;
    const fix = `redeploy the stack with this version of cloudmend: npx cdk deploy -c region=${region} -c stackName=${stackName}`;
    return { check: { name, status: 'problem', detail, fix } };
  }
  const outputs = Object.fromEntries(SMOKE_OUTPUTS.map((key) => [key, found[key]])) as SmokeOutputs;
  return { check: { name, status: 'ok', detail: `stack ${stackName} in ${region}` }, outputs };
}

async function securityHubCheck(name: string, region: string, probes: SmokeProbes): Promise<SmokeCheck> {
  if (await probes.securityHubEnabled()) return { name, status: 'ok', detail: `enabled in ${region}` };
  return {
    name,
    status: 'problem',
    detail: `not enabled in ${region}`,
    fix: `enable Security Hub: aws securityhub enable-security-hub --region ${region}`,
  };
}

type SecretRead<T> = { readonly arn: string; readonly value: T } | { readonly arn: string; readonly problem: string; readonly fix: string };

async function readSecret<T>(probes: SmokeProbes, arn: string, kind: 'github' | 'slack', schema: z.ZodType<T>): Promise<SecretRead<T>> {
  const fix = `aws secretsmanager put-secret-value --secret-id ${arn} --secret-string file://${kind}-secret.json (holding ${SECRET_SHAPES[kind]})`;
  // Settled here: several checks await this read, some only later, so it must never reject unobserved.
  let text: string | undefined;
  try {
    text = await probes.secretString(arn);
  } catch (error) {
    const reason = error instanceof Error ? error.name : 'unknown error';
    return {
      arn,
      problem: `secret ${arn} cannot be read (${reason})`,
      fix: `allow secretsmanager:GetSecretValue on ${arn} to the credentials in use`,
    };
  }
  if (text === undefined || text.trim() === '' || text.trim() === '{}') return { arn, problem: `secret ${arn} is empty`, fix };
  try {
    const value = parseSecret(schema, text, arn, SECRET_SHAPES[kind]);
    const placeholders = Object.entries(value as Record<string, unknown>).filter(([, v]) => typeof v === 'string' && PLACEHOLDER.test(v));
    if (placeholders.length > 0) {
      return { arn, problem: `secret ${arn} still holds example values (${placeholders.map(([k]) => k).join(', ')})`, fix };
    }
    return { arn, value };
  } catch (error) {
    // parseSecret's message names the keys and the expected shape, never a value.
    return { arn, problem: (error as Error).message, fix };
  }
}

async function secretCheck(name: string, read: Promise<SecretRead<unknown>> | undefined): Promise<SmokeCheck> {
  if (read === undefined) return { name, status: 'skipped', detail: 'the stack outputs are missing' };
  const secret = await read;
  if ('problem' in secret) return { name, status: 'problem', detail: secret.problem, fix: secret.fix };
  return { name, status: 'ok', detail: `${secret.arn} is filled in` };
}

/** The secret a check needs, or that check `skipped` when the secret's own check failed. */
async function usable<T>(name: string, read: Promise<SecretRead<T>> | undefined, which: string): Promise<{ value: T } | SmokeCheck> {
  const secret = await read;
  if (secret === undefined || 'problem' in secret)
    return { name, status: 'skipped', detail: `the ${which} secret is not usable (see above)` };
  return secret;
}

async function installationCheck(
  name: string,
  location: string,
  read: Promise<SecretRead<GitHubSecret>> | undefined,
  probes: SmokeProbes,
): Promise<SmokeCheck> {
  const secret = await usable(name, read, 'GitHub');
  if ('status' in secret) return secret;
  const [owner = '', repo = ''] = location.split('/');
  const installation = await probes.githubInstallation(secret.value, owner, repo);
  const app = 'appId' in secret.value ? secret.value : undefined;
  if (installation === undefined) {
    const fix = app
      ? `install the GitHub App on ${location}`
      : `give the token access to ${location} (Contents and Pull requests: read and write)`;
    return { name, status: 'problem', detail: `${app ? 'the GitHub App is not installed on' : 'the token cannot see'} ${location}`, fix };
  }
  if (app && installation.id !== undefined && installation.id !== app.installationId) {
    const detail = `the App is installed on ${location} as installation ${installation.id}, the secret names ${app.installationId}`;
    return { name, status: 'problem', detail, fix: `put installationId ${installation.id} in the GitHub secret` };
  }
  return { name, status: 'ok', detail: app ? `the GitHub App is installed on ${location}` : `the token can see ${location}` };
}

async function slackChannelCheck(
  name: string,
  channel: string,
  read: Promise<SecretRead<SlackSecret>> | undefined,
  probes: SmokeProbes,
): Promise<SmokeCheck> {
  const secret = await usable(name, read, 'Slack');
  if ('status' in secret) return secret;
  try {
    const found = await probes.slackChannel(secret.value.botToken, channel);
    const label = found.name === undefined ? channel : `#${found.name}`;
    if (found.member) return { name, status: 'ok', detail: `the bot is in ${label}` };
    return { name, status: 'problem', detail: `the bot is not in ${label}`, fix: `invite the bot: /invite @<app name> in ${label}` };
  } catch (error) {
    return {
      name,
      status: 'problem',
      detail: (error as Error).message,
      fix: 'check approvals.slack.channel and the Slack app (README, "Slack app")',
    };
  }
}

async function modelCheck(name: string, config: Config, region: string, probes: SmokeProbes): Promise<SmokeCheck> {
  const { provider, modelId } = config.model;
  if (provider !== 'bedrock' || modelId === undefined) return { name, status: 'skipped', detail: `model.provider is ${provider}` };
  const byHand = `aws bedrock-runtime converse --region ${region} --model-id ${modelId} --messages '[{"role":"user","content":[{"text":"hi"}]}]'`;
  const access = await probes.modelAccess(modelId);
  if (access === undefined)
    return {
      name,
      status: 'skipped',
      detail: `your credentials cannot read model access in ${region} (bedrock:GetFoundationModelAvailability, bedrock:GetInferenceProfile)`,
      fix: byHand,
    };
  const missing = access.models.flatMap(({ modelId: id, authorized, entitled, agreement, agreementError, inRegion }) => [
    ...(authorized && entitled ? [] : [`${id}: no access granted`]),
    ...(agreement === 'AVAILABLE'
      ? []
      : [`${id}: end-user agreement ${agreement.toLowerCase()}${agreementError ? ` (${agreementError})` : ''}`]),
    ...(access.profile || inRegion ? [] : [`${id}: not offered in ${region}`]),
  ]);
  const models = access.models.map((m) => m.modelId).join(', ');
  if (missing.length === 0)
    return { name, status: 'ok', detail: `${modelId} can be used in ${region}${access.profile ? ` (${models})` : ''}` };
  return {
    name,
    status: 'problem',
    detail: missing.join('; '),
    fix: `request access to ${models} in the Amazon Bedrock console (Model access) in ${region}, accepting its end-user agreement; then try: ${byHand}`,
  };
}
