/**
 * The sandbox as the Fargate task runs it: the task from S3, the model from Bedrock (through the
 * VPC endpoint, with the task role), the result back to S3 where CollectAgent reads it.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { bedrockModel } from '../agent/bedrock.js';
import type { AgentTask } from '../agent/task.js';
import { ENV, required } from '../aws/environment.js';
import { s3Artifacts } from '../aws/s3-artifacts.js';
import { SANDBOX_ENV } from './environment.js';
import { outputOf } from './output.js';
import { runTask } from './run-task.js';

export async function runFromS3(env: NodeJS.ProcessEnv): Promise<void> {
  const artifacts = s3Artifacts({ client: new S3Client({}), bucket: required(env, ENV.artifactsBucket) });
  const task = await artifacts.get<AgentTask>(required(env, SANDBOX_ENV.input));
  const model = bedrockModel({ modelId: task.model.modelId, region: task.model.region });
  await artifacts.put(required(env, SANDBOX_ENV.output), await outputOf(() => runTask(task, model, env)));
}
