/**
 * Step Functions calls outside the state machine: resuming a waiting execution with a decision
 * (SendTaskSuccess / SendTaskFailure) and starting an execution (backfill). A task token is a
 * capability: it is sent to Step Functions and nowhere else, never logged, never in a message.
 */
import { SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
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
    succeed: (taskToken, output) => callback('SendTaskSuccess', () => client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }))),
    // Step Functions limits error to 256 characters and cause to 32,768.
    fail: (taskToken, error, cause) => callback('SendTaskFailure', () => client.send(new SendTaskFailureCommand({ taskToken, error: error.slice(0, 256), cause: cause.slice(0, 32_768) }))),
  };
}

/**
 * Starts an execution named `name`. The same name and input again is accepted by Step Functions
 * as the same execution, so a retried start never runs twice.
 */
export async function startExecution(client: SFNClient, stateMachineArn: string, name: string, input: unknown): Promise<string> {
  const result = await awsCall('StartExecution', () => client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) })));
  return result.executionArn ?? name;
}

/** `startExecution`, answering false when an execution of that name already ran (a retried start). */
export async function startOnce(...args: Parameters<typeof startExecution>): Promise<boolean> {
  try {
    await startExecution(...args);
    return true;
  } catch (error) {
    if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
    return false;
  }
}
