/**
 * Artifacts in S3: patches and sandbox inputs between tasks, one JSON object per key, under a
 * prefix. The bucket's lifecycle rule deletes them; nothing here ever lists or deletes.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Artifacts } from '../artifacts/port.js';
import { artifactKey, s3ArtifactReader, type S3ArtifactsOptions } from './s3-artifact-reader.js';
import { awsCall } from './errors.js';

export function s3Artifacts(options: S3ArtifactsOptions): Artifacts {
  const { client, bucket } = options;
  return {
    ...s3ArtifactReader(options),
    async put(key, value) {
      const Key = artifactKey(key);
      await awsCall(`writing s3://${bucket}/${Key}`, () =>
        client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: JSON.stringify(value), ContentType: 'application/json' })),
      );
    },
  };
}
