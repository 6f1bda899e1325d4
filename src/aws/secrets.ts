/**
 * The secrets a deployed cloudmend reads: GitHub credentials and Slack tokens, from Secrets
 * Manager through Powertools (cached for five minutes, so a rotated value is picked up without a
 * deploy). Messages name the secret and the expected shape, never a value.
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import * as z from 'zod';
import { CloudmendError } from '../errors.js';

export class SecretError extends CloudmendError {
  override name = 'SecretError';
}

export const GitHubSecret = z.union([
  z.object({
    appId: z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(String),
    privateKey: z.string().includes('PRIVATE KEY'),
    installationId: z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(Number),
  }),
  z.object({ token: z.string().min(1) }),
]);
export type GitHubSecret = z.infer<typeof GitHubSecret>;

export const SlackSecret = z.object({ botToken: z.string().startsWith('xoxb-'), signingSecret: z.string().min(16) });
export type SlackSecret = z.infer<typeof SlackSecret>;

export const SECRET_SHAPES = {
  github: '{"appId": "<id>", "installationId": "<id>", "privateKey": "<PEM>"} or {"token": "<fine-grained token>"}',
  slack: '{"botToken": "xoxb-…", "signingSecret": "<from Basic Information>"}',
} as const;

/** Parses a secret's JSON; the error says which keys are wrong, never what they hold. */
export function parseSecret<T>(schema: z.ZodType<T>, value: unknown, arn: string, shape: string): T {
  const parsed = schema.safeParse(typeof value === 'string' ? safeJson(value) : value);
  if (parsed.success) return parsed.data;
  const keys = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(the whole value)'))].join(', ');
  throw new SecretError(
    `secret ${arn} is not filled in as cloudmend expects (check ${keys}): put ${shape} with aws secretsmanager put-secret-value`,
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function read(arn: string): Promise<unknown> {
  try {
    return await getSecret(arn, { maxAge: 300 });
  } catch (error) {
    throw new SecretError(`secret ${arn} cannot be read: ${(error as Error).name}`, { cause: undefined });
  }
}

export async function githubSecret(arn: string): Promise<GitHubSecret> {
  return parseSecret(GitHubSecret, await read(arn), arn, SECRET_SHAPES.github);
}

export async function slackSecret(arn: string): Promise<SlackSecret> {
  return parseSecret(SlackSecret, await read(arn), arn, SECRET_SHAPES.slack);
}
