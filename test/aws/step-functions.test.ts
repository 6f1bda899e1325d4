/** Step Functions callbacks and StartExecution at the SDK boundary (aws-sdk-client-mock). */
import {
  ExecutionAlreadyExists,
  InvalidOutput,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../src/aws/executions.js';
import { stepFunctionsCallbacks, TaskGoneError } from '../../src/aws/step-functions.js';
import { CloudmendError } from '../../src/errors.js';
import { TransientError } from '../../src/workflow/errors.js';

const sfn = mockClient(SFNClient);
const client = new SFNClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const $metadata = {};
/** Long and distinctive, so a leak anywhere is found by a substring search. */
const TOKEN = `AQCEAAAAKgAAAAMAAAAA-task-token-${'x'.repeat(1900)}-end`;
const STATE_MACHINE = 'arn:aws:states:us-east-1:111122223333:stateMachine:cloudmend-remediate';

/** Name, message and stack of `error` and of its whole cause chain. */
function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let e = error; e instanceof Error; e = e.cause) parts.push(e.name, e.message, e.stack ?? '');
  return parts.join('\n');
}

beforeEach(() => sfn.reset());
afterAll(() => sfn.restore());

const throttled = () =>
  new SFNServiceException({ name: 'ThrottlingException', $fault: 'client', message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });

describe('stepFunctionsCallbacks', () => {
  const callbacks = stepFunctionsCallbacks(client);

  describe('succeed', () => {
    it('sends SendTaskSuccess with the token and the output as JSON', async () => {
      sfn.on(SendTaskSuccessCommand).resolves({});
      await callbacks.succeed(TOKEN, { approvalId: 'apr_1', approved: true, by: 'slack:U0ALICE' });
      expect(sfn.commandCalls(SendTaskSuccessCommand).map((c) => c.args[0].input)).toEqual([
        { taskToken: TOKEN, output: '{"approvalId":"apr_1","approved":true,"by":"slack:U0ALICE"}' },
      ]);
      expect(sfn.commandCalls(SendTaskFailureCommand)).toHaveLength(0);
    });
  });

  describe('fail', () => {
    it('sends SendTaskFailure with error and cause as given when they fit', async () => {
      sfn.on(SendTaskFailureCommand).resolves({});
      await callbacks.fail(TOKEN, 'cloudmend.Rejected', 'rejected by slack:U0BOB');
      expect(sfn.commandCalls(SendTaskFailureCommand).map((c) => c.args[0].input)).toEqual([
        { taskToken: TOKEN, error: 'cloudmend.Rejected', cause: 'rejected by slack:U0BOB' },
      ]);
    });

    it('cuts error to 256 characters and cause to 32,768, keeping their beginnings', async () => {
      sfn.on(SendTaskFailureCommand).resolves({});
      const error = `cloudmend.${'E'.repeat(300)}`;
      const cause = `why: ${'c'.repeat(40_000)}`;
      await callbacks.fail(TOKEN, error, cause);
      const input = sfn.commandCalls(SendTaskFailureCommand)[0]!.args[0].input;
      expect(input.error).toHaveLength(256);
      expect(input.cause).toHaveLength(32_768);
      expect(input.error).toBe(error.slice(0, 256));
      expect(input.cause?.startsWith('why: ccc')).toBe(true);
      expect(input.taskToken).toBe(TOKEN);
    });
  });

  describe('errors', () => {
    it.each<[string, () => Error]>([
      ['TaskTimedOut', () => new TaskTimedOut({ message: `Task Timed Out: '${TOKEN}'`, $metadata })],
      ['TaskDoesNotExist', () => new TaskDoesNotExist({ message: `Task does not exist: ${TOKEN}`, $metadata })],
      ['InvalidToken', () => new InvalidToken({ message: `Invalid Token: '${TOKEN}'`, $metadata })],
    ])('turns %s into TaskGoneError without the token anywhere in it', async (name, error) => {
      sfn.on(SendTaskSuccessCommand).rejects(error());
      sfn.on(SendTaskFailureCommand).rejects(error());
      for (const call of [() => callbacks.succeed(TOKEN, {}), () => callbacks.fail(TOKEN, 'cloudmend.Expired', 'late')]) {
        const thrown = await call().catch((e: unknown) => e);
        expect(thrown).toBeInstanceOf(TaskGoneError);
        expect(thrown).toBeInstanceOf(CloudmendError);
        expect((thrown as Error).name).toBe('TaskGoneError');
        expect((thrown as Error).message).toContain(name);
        expect(errorText(thrown)).not.toContain(TOKEN.slice(0, 30));
        expect(JSON.stringify(thrown)).not.toContain(TOKEN.slice(0, 30));
      }
    });

    it('turns throttling into a TransientError the caller retries', async () => {
      sfn.on(SendTaskSuccessCommand).rejects(throttled());
      const thrown = await callbacks.succeed(TOKEN, {}).catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(TransientError);
      expect(thrown).toMatchObject({ name: 'cloudmend.Transient' });
      expect((thrown as Error).message).toMatch(/^SendTaskSuccess: ThrottlingException: /);
    });

    it('turns a 5xx into a TransientError too', async () => {
      sfn
        .on(SendTaskFailureCommand)
        .rejects(
          new SFNServiceException({ name: 'InternalFailure', $fault: 'server', message: 'internal', $metadata: { httpStatusCode: 500 } }),
        );
      await expect(callbacks.fail(TOKEN, 'cloudmend.Expired', 'late')).rejects.toBeInstanceOf(TransientError);
    });

    it('passes any other error through unchanged', async () => {
      const invalid = new InvalidOutput({ message: 'Invalid output', $metadata });
      sfn.on(SendTaskSuccessCommand).rejects(invalid);
      await expect(callbacks.succeed(TOKEN, {})).rejects.toBe(invalid);
    });
  });
});

describe('startExecution', () => {
  it('starts the named execution with the input as JSON and returns its ARN', async () => {
    const arn = `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:backfill-abc`;
    sfn.on(StartExecutionCommand).resolves({ executionArn: arn, startDate: new Date() });
    const input = { version: '0', detail: { findings: [{ Id: 'f-1' }] } };
    expect(await startExecution(client, STATE_MACHINE, 'backfill-abc', input)).toBe(arn);
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { stateMachineArn: STATE_MACHINE, name: 'backfill-abc', input: JSON.stringify(input) },
    ]);
  });

  it('returns the name when Step Functions answers without an ARN', async () => {
    sfn.on(StartExecutionCommand).resolves({});
    expect(await startExecution(client, STATE_MACHINE, 'backfill-abc', {})).toBe('backfill-abc');
  });

  it('keeps ExecutionAlreadyExists as it is, for the caller to count', async () => {
    const exists = new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata });
    sfn.on(StartExecutionCommand).rejects(exists);
    await expect(startExecution(client, STATE_MACHINE, 'backfill-abc', {})).rejects.toBe(exists);
  });

  it('turns throttling into a TransientError', async () => {
    sfn.on(StartExecutionCommand).rejects(throttled());
    await expect(startExecution(client, STATE_MACHINE, 'backfill-abc', {})).rejects.toMatchObject({
      name: 'cloudmend.Transient',
      message: expect.stringMatching(/^StartExecution: /) as unknown,
    });
  });
});
