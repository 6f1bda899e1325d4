/** Parsing the GitHub and Slack secrets: the accepted shapes, and errors that never quote a value. */
import { describe, expect, it } from 'vitest';
import { GitHubSecret, parseSecret, SECRET_SHAPES, SecretError, SlackSecret } from '../../src/aws/secrets.js';

const GITHUB_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:cloudmend/github-AbCdEf';
const SLACK_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:cloudmend/slack-GhIjKl';
const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAzK3yPEMsecretKEYmaterial0123456789\n-----END RSA PRIVATE KEY-----\n';
const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

const github = (value: unknown) => parseSecret(GitHubSecret, value, GITHUB_ARN, SECRET_SHAPES.github);
const slack = (value: unknown) => parseSecret(SlackSecret, value, SLACK_ARN, SECRET_SHAPES.slack);

/** The error `parse` throws; fails the test when it does not throw. */
function errorOf(parse: () => unknown): SecretError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(SecretError);
    return error as SecretError;
  }
  throw new Error('expected a SecretError');
}

/** Everything an error could show: name, message, stack, causes, own properties. */
function everything(error: Error): string {
  const parts: string[] = [JSON.stringify(error)];
  for (let e: unknown = error; e instanceof Error; e = e.cause) parts.push(e.name, e.message, e.stack ?? '');
  return parts.join('\n');
}

describe('parseSecret with GitHubSecret', () => {
  it.each<[string, unknown]>([
    ['a numeric appId and a string installationId', { appId: 123456, installationId: '7890123', privateKey: PEM }],
    ['a string appId and a numeric installationId', { appId: '123456', installationId: 7890123, privateKey: PEM }],
    ['the JSON text Secrets Manager returns', JSON.stringify({ appId: '123456', installationId: '7890123', privateKey: PEM })],
  ])('reads GitHub App credentials with %s: appId as text, installationId as a number', (_, value) => {
    expect(github(value)).toEqual({ appId: '123456', installationId: 7890123, privateKey: PEM });
  });

  it('reads a token', () => {
    expect(github('{"token":"github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"}')).toEqual({
      token: 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
    });
  });

  it.each<[string, Record<string, unknown>, string[], string[]]>([
    [
      'an appId that is not a number',
      { appId: 'app-id-s3cr3t', installationId: '7890123', privateKey: PEM },
      ['appId'],
      ['app-id-s3cr3t', 'secretKEYmaterial'],
    ],
    ['a negative appId', { appId: -424242, installationId: '7890123', privateKey: PEM }, ['appId'], ['424242', 'secretKEYmaterial']],
    [
      'a key that is not a PEM and a bad installation id',
      { appId: '123456', installationId: 'inst-q9w8e7', privateKey: 'hunter2-not-a-pem' },
      ['installationId', 'privateKey'],
      ['inst-q9w8e7', 'hunter2'],
    ],
    ['an empty token', { token: '' }, ['token'], []],
  ])('names the wrong keys of %s and quotes none of the values', (_, value, keys, secrets) => {
    const error = errorOf(() => github(value));
    for (const key of keys) expect(error.message).toMatch(new RegExp(`\\(check [^)]*\\b${key}\\b`));
    for (const secret of secrets) expect(everything(error)).not.toContain(secret);
  });

  it('says what to put where, naming the secret', () => {
    const error = errorOf(() => github({ appId: 'x' }));
    expect(error.message).toMatch(
      /^secret arn:aws:secretsmanager:us-east-1:111122223333:secret:cloudmend\/github-AbCdEf is not filled in as cloudmend expects/,
    );
    expect(error.message).toContain(SECRET_SHAPES.github);
    expect(error.message).toContain('aws secretsmanager put-secret-value');
    expect(error.name).toBe('SecretError');
  });

  it.each<[string, unknown, string]>([
    ['text that is not JSON', 'appId=123456;privateKey=hunter2-raw', 'hunter2-raw'],
    ['an empty object', {}, '{}'],
    ['an empty secret', '', '""'],
    // A wrong type fails every shape of the union alike, so no one key can be blamed.
    ['a token that is not text', { token: 987654321 }, '987654321'],
  ])('calls %s wrong as a whole, quoting nothing of it', (_, value, secret) => {
    const error = errorOf(() => github(value));
    expect(error.message).toContain('(check (the whole value))');
    expect(everything(error)).not.toContain(secret);
  });
});

describe('parseSecret with SlackSecret', () => {
  it('reads the bot token and signing secret', () => {
    expect(slack(JSON.stringify({ botToken: 'xoxb-1234-5678-AbCdEfGh', signingSecret: SIGNING_SECRET }))).toEqual({
      botToken: 'xoxb-1234-5678-AbCdEfGh',
      signingSecret: SIGNING_SECRET,
    });
  });

  it('keeps only the keys it knows', () => {
    expect(slack({ botToken: 'xoxb-1234-5678-AbCdEfGh', signingSecret: SIGNING_SECRET, appToken: 'xapp-extra' })).toEqual({
      botToken: 'xoxb-1234-5678-AbCdEfGh',
      signingSecret: SIGNING_SECRET,
    });
  });

  it('names a user token and a short signing secret, quoting neither', () => {
    const error = errorOf(() => slack({ botToken: 'xoxp-user-token-v4lue', signingSecret: 'tooShort7' }));
    expect(error.message).toContain('(check botToken, signingSecret)');
    expect(error.message).toContain(SLACK_ARN);
    expect(error.message).toContain(SECRET_SHAPES.slack);
    expect(everything(error)).not.toContain('xoxp-user-token-v4lue');
    expect(everything(error)).not.toContain('tooShort7');
  });

  it('names a missing key without quoting the one that is there', () => {
    const error = errorOf(() => slack({ botToken: 'xoxb-1234-5678-AbCdEfGh' }));
    expect(error.message).toContain('(check signingSecret)');
    expect(everything(error)).not.toContain('AbCdEfGh');
  });
});
