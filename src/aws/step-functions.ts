/**
 * Step Functions callbacks outside the state machine: resuming a waiting execution with a decision
 * (SendTaskSuccess / SendTaskFailure); starting one is src/aws/executions.ts, so a function that
 * does one holds (and is granted) only that. A task token is a capability: it is sent to Step
 * Functions and nowhere else, never logged, never in a message.
 */
import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { TaskCallbacks } from '../approvals/interactions.js';
import { CloudmendError } from '../errors.js';
import { awsCall } from './errors.js';

/** The execution no longer waits for this token (timed out, finished, or the token is not one). */
export class TaskGoneError extends CloudmendError {
  override name = 'TaskGoneError';
}

const GONE = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

async function callback(what: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await awsCall(what, call);
  } catch (error) {
    const name = (error as Error).name;
    // The SDK's message quotes nothing secret, but keep the token out of any chance of it.
    if (GONE.has(name)) throw new TaskGoneError(`${what}: the execution is no longer waiting (${name})`);
    throw error;
  }
}

export function stepFunctionsCallbacks(client: SFNClient): TaskCallbacks {
  return {
    succeed: (taskToken, output) =>
      callback('SendTaskSuccess', () => client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }))),
    // Step Functions limits error to 256 characters and cause to 32,768.
    fail: (taskToken, error, cause) =>
      callback('SendTaskFailure', () =>
        client.send(new SendTaskFailureCommand({ taskToken, error: error.slice(0, 256), cause: cause.slice(0, 32_768) })),
      ),
  };
}
