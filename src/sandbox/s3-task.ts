/**
 * The sandbox as the Fargate task runs it: the task from S3, the result back to S3 where
 * CollectAgent or CollectValidation reads it. An agent task calls the model on Bedrock (through the
 * VPC endpoint, with the task role); a validation task only runs the validators; a CDK task
 * synthesizes the app (offline, with the image's aws-cdk-lib) to fix and verify its findings.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { bedrockModel } from '../agent/bedrock.js';
import type { AgentTask } from '../agent/task.js';
import { ENV, required } from '../aws/environment.js';
import { s3Artifacts } from '../aws/s3-artifacts.js';
import { isCdkTask, runCdkTask, type CdkTask } from './cdk.js';
import { SANDBOX_ENV } from './environment.js';
import { outputOf } from './output.js';
import { runTask } from './run-task.js';
import { isValidationTask, runValidation, validatorsOf, type ValidationTask } from './validation.js';

export async function runFromS3(env: NodeJS.ProcessEnv): Promise<void> {
  const artifacts = s3Artifacts({ client: new S3Client({}), bucket: required(env, ENV.artifactsBucket) });
  const task = await artifacts.get<AgentTask | ValidationTask | CdkTask>(required(env, SANDBOX_ENV.input));
  const output = required(env, SANDBOX_ENV.output);
  if (isCdkTask(task)) return artifacts.put(output, await outputOf(() => runCdkTask(task, env)));
  if (isValidationTask(task)) {
    return artifacts.put(output, await outputOf(async () => runValidation(task, await validatorsOf(task, env))));
  }
  const model = bedrockModel({ modelId: task.model.modelId, region: task.model.region });
  await artifacts.put(output, await outputOf(() => runTask(task, model, env)));
}
