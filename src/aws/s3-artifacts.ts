/**
 * Artifacts in S3: patches and sandbox inputs between tasks, one JSON object per key, under a
 * prefix. The bucket's lifecycle rule deletes them; nothing here ever lists or deletes.
 */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CloudmendError } from '../errors.js';
import type { Artifacts } from '../artifacts/port.js';
import { BUCKET_PREFIX } from './environment.js';
import { awsCall } from './errors.js';

const ARTIFACTS_PREFIX = BUCKET_PREFIX.artifacts;

export function s3Artifacts(options: { readonly client: S3Client; readonly bucket: string }): Artifacts {
  const { client, bucket } = options;
  const keyOf = (key: string): string => {
    if (key.split('/').some((part) => part === '..' || part === '') || key.includes('\0'))
      throw new CloudmendError(`artifact key ${key} is not a plain relative path`);
    return `${ARTIFACTS_PREFIX}${key}`;
  };
  return {
    async put(key, value) {
      const Key = keyOf(key);
      await awsCall(`writing s3://${bucket}/${Key}`, () =>
        client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: JSON.stringify(value), ContentType: 'application/json' })),
      );
    },
    async get<T>(key: string) {
      const Key = keyOf(key);
      try {
        const object = await awsCall(`reading s3://${bucket}/${Key}`, () => client.send(new GetObjectCommand({ Bucket: bucket, Key })));
        return JSON.parse((await object.Body?.transformToString('utf8')) ?? 'null') as T;
      } catch (error) {
        if (error instanceof NoSuchKey)
          throw new CloudmendError(
            `artifact ${key} does not exist in s3://${bucket}/${ARTIFACTS_PREFIX}: it expired or was never written`,
            { cause: error },
          );
        throw error;
      }
    },
  };
}
