/** The artifacts port in AWS: the stack's S3 bucket. */
import { S3Client } from '@aws-sdk/client-s3';
import type { PortFactory } from '../context.js';
import { ENV, required } from '../environment.js';
import { s3Artifacts } from '../s3-artifacts.js';

export const artifacts: PortFactory<'artifacts'> = (env) =>
  s3Artifacts({ client: new S3Client({}), bucket: required(env, ENV.artifactsBucket) });
