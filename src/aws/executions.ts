/** Starting a state machine execution from outside it (backfill, batching), idempotent by name. */
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { awsCall } from './errors.js';

/**
 * Starts an execution named `name`. The same name and input again is accepted by Step Functions
 * as the same execution, so a retried start never runs twice.
 */
export async function startExecution(client: SFNClient, stateMachineArn: string, name: string, input: unknown): Promise<string> {
  const result = await awsCall('StartExecution', () =>
    client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) })),
  );
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
