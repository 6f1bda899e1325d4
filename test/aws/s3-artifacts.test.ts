/** The S3 artifact store at the SDK boundary (aws-sdk-client-mock): keys, JSON bodies, errors. */
import { Readable } from 'node:stream';
import { AccessDenied, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
// @smithy/util-stream is not installed on its own; the SDK ships the same mixin in @smithy/core.
import { sdkStreamMixin } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { s3Artifacts } from '../../src/aws/s3-artifacts.js';
import { CloudmendError } from '../../src/errors.js';
import { TransientError } from '../../src/workflow/errors.js';

const s3 = mockClient(S3Client);
const client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const BUCKET = 'cloudmend-artifacts-111122223333';
const $metadata = {};

/** A GetObject body as the SDK returns it: a Node stream with the SDK's transform methods. */
const body = (text: string) => sdkStreamMixin(Readable.from([Buffer.from(text, 'utf8')]));

/** An in-memory bucket behind the mocked client: what PutObject wrote, GetObject returns. */
function fakeBucket(): Map<string, string> {
  const objects = new Map<string, string>();
  s3.on(PutObjectCommand).callsFake((input: { Bucket: string; Key: string; Body: string }) => {
    objects.set(`${input.Bucket}/${input.Key}`, input.Body);
    return {};
  });
  s3.on(GetObjectCommand).callsFake((input: { Bucket: string; Key: string }) => {
    const text = objects.get(`${input.Bucket}/${input.Key}`);
    if (text === undefined) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata });
    return { Body: body(text), ContentType: 'application/json' };
  });
  return objects;
}

const throttled = () =>
  new S3ServiceException({
    name: 'SlowDown',
    $fault: 'server',
    message: 'Please reduce your request rate.',
    $metadata: { httpStatusCode: 503 },
  });
const unavailable = () =>
  new S3ServiceException({
    name: 'ServiceUnavailable',
    $fault: 'server',
    message: 'Service is unable to handle request.',
    $metadata: { httpStatusCode: 503 },
  });
const internal = () =>
  new S3ServiceException({
    name: 'InternalError',
    $fault: 'server',
    message: 'We encountered an internal error.',
    $metadata: { httpStatusCode: 500 },
  });

describe('s3Artifacts', () => {
  const artifacts = s3Artifacts({ client, bucket: BUCKET });
  beforeEach(() => s3.reset());
  afterAll(() => s3.restore());

  describe('put', () => {
    it('writes the value as a JSON object under the artifacts/ prefix', async () => {
      s3.on(PutObjectCommand).resolves({});
      await artifacts.put('patches/abc123.json', { diff: '--- a\n+++ b', files: ['main.tf'] });
      expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input)).toEqual([
        {
          Bucket: BUCKET,
          Key: 'artifacts/patches/abc123.json',
          Body: '{"diff":"--- a\\n+++ b","files":["main.tf"]}',
          ContentType: 'application/json',
        },
      ]);
    });

    it.each([
      ['throttling (SlowDown)', throttled],
      ['a 503', unavailable],
      ['a 500', internal],
    ])('turns %s into a TransientError naming the object', async (_, error) => {
      s3.on(PutObjectCommand).rejects(error());
      const thrown = await artifacts.put('patches/p.json', {}).catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(TransientError);
      expect(thrown).toMatchObject({ name: 'cloudmend.Transient' });
      expect((thrown as Error).message).toContain(`writing s3://${BUCKET}/artifacts/patches/p.json`);
    });

    it('passes an access error through unchanged: retrying would not help', async () => {
      const denied = new AccessDenied({ message: 'Access Denied', $metadata: { httpStatusCode: 403 } });
      s3.on(PutObjectCommand).rejects(denied);
      await expect(artifacts.put('patches/p.json', {})).rejects.toBe(denied);
    });
  });

  describe('get', () => {
    it('reads back exactly what put wrote, unicode and nesting included', async () => {
      fakeBucket();
      const value = {
        fingerprint: 'f'.repeat(32),
        notes: ['bucket “acme-logs” — blocked ✓'],
        validation: { passed: true, checks: [] },
        nothing: null,
      };
      await artifacts.put('patches/round-trip.json', value);
      expect(await artifacts.get('patches/round-trip.json')).toEqual(value);
      expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({ Bucket: BUCKET, Key: 'artifacts/patches/round-trip.json' });
    });

    it('says the artifact expired or was never written when S3 answers NoSuchKey', async () => {
      fakeBucket();
      const thrown = await artifacts.get('patches/missing.json').catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(CloudmendError);
      expect((thrown as Error).message).toBe(
        `artifact patches/missing.json does not exist in s3://${BUCKET}/artifacts/: it expired or was never written`,
      );
      expect((thrown as Error).cause).toBeInstanceOf(NoSuchKey);
    });

    it('returns null for an object without a body', async () => {
      s3.on(GetObjectCommand).resolves({});
      expect(await artifacts.get('patches/empty.json')).toBeNull();
    });

    it('turns throttling on a read into a TransientError, not a missing artifact', async () => {
      s3.on(GetObjectCommand).rejects(throttled());
      const thrown = await artifacts.get('patches/p.json').catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(TransientError);
      expect((thrown as Error).message).toMatch(new RegExp(`^reading s3://${BUCKET}/artifacts/patches/p\\.json: SlowDown: `));
    });

    it('passes other errors through unchanged', async () => {
      const denied = new AccessDenied({ message: 'Access Denied', $metadata: { httpStatusCode: 403 } });
      s3.on(GetObjectCommand).rejects(denied);
      await expect(artifacts.get('patches/p.json')).rejects.toBe(denied);
    });
  });

  describe('keys', () => {
    it.each([
      ['a parent segment', '../other/secret.json'],
      ['a parent segment in the middle', 'patches/../../x.json'],
      ['a lone parent', '..'],
      ['an absolute path (empty first segment)', '/patches/p.json'],
      ['an empty segment', 'patches//p.json'],
      ['a trailing slash', 'patches/'],
      ['the empty key', ''],
      ['a NUL byte', 'patches/p.json\0.txt'],
    ])('refuses %s before calling S3', async (_, key) => {
      s3.on(PutObjectCommand).resolves({});
      s3.on(GetObjectCommand).resolves({ Body: body('{}') });
      await expect(artifacts.put(key, {})).rejects.toThrow(/is not a plain relative path/);
      await expect(artifacts.get(key)).rejects.toBeInstanceOf(CloudmendError);
      expect(s3.calls()).toHaveLength(0);
    });

    it.each(['p.json', 'patches/f0e1/iteration-2.json', 'a..b/c.d..json'])('accepts %s', async (key) => {
      s3.on(PutObjectCommand).resolves({});
      await artifacts.put(key, 1);
      expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Key).toBe(`artifacts/${key}`);
    });
  });
});
