/**
 * Reading artifacts from S3 (one JSON object per key, under a prefix): a module of its own so that a
 * function which only reads (the public Slack endpoint) carries no write call, and is granted none.
 */
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import type { ArtifactReader } from '../artifacts/port.js';
import { CloudmendError } from '../errors.js';
import { BUCKET_PREFIX } from './environment.js';
import { awsCall } from './errors.js';

const ARTIFACTS_PREFIX = BUCKET_PREFIX.artifacts;

export interface S3ArtifactsOptions {
  readonly client: S3Client;
  readonly bucket: string;
}

/** The object key of artifact `key`; refuses anything but a plain relative path. */
export function artifactKey(key: string): string {
  if (key.split('/').some((part) => part === '..' || part === '') || key.includes('\0'))
    throw new CloudmendError(`artifact key ${key} is not a plain relative path`);
  return `${ARTIFACTS_PREFIX}${key}`;
}

export function s3ArtifactReader({ client, bucket }: S3ArtifactsOptions): ArtifactReader {
  return {
    async get<T>(key: string) {
      const Key = artifactKey(key);
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
