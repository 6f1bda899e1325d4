/**
 * The sandboxed agent process. Locally (`--stdio`) it reads its task from stdin and asks the
 * parent for every model call; in the Fargate task it reads the task from S3, calls Bedrock
 * through the VPC endpoint with its own narrow role, and writes the result back to S3. Either
 * way it holds no repository or chat credentials and returns a result, never a pull request.
 */
import { createInterface } from 'node:readline';
import type { Model, ModelResponse } from '../agent/model.js';
import type { AgentTask } from '../agent/task.js';
import { parseLine, type FromChild, type ToChild } from './protocol.js';
import { runTask } from './run-task.js';

function stdioChannel(): { task: Promise<AgentTask>; model: (id: string) => Model; finish(message: FromChild): void } {
  const write = (message: FromChild): void => void process.stdout.write(`${JSON.stringify(message)}\n`);
  const pending = new Map<number, { resolve: (r: ModelResponse) => void; reject: (e: Error) => void }>();
  let next = 0;
  let gotTask: (task: AgentTask) => void = () => undefined;
  const task = new Promise<AgentTask>((resolve) => (gotTask = resolve));
  createInterface({ input: process.stdin }).on('line', (line) => {
    const message = parseLine<ToChild>(line);
    if (message?.type === 'task') gotTask(message.task);
    else if (message?.type === 'converse.result') pending.get(message.id)?.resolve(message.response);
    else if (message?.type === 'converse.error')
      pending.get(message.id)?.reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
  });
  return {
    task,
    model: (id) => ({
      id,
      // The loop's time budget aborts a call the parent has not answered, as it aborts Bedrock in AWS.
      converse: (request, signal) => {
        const callId = ++next;
        return new Promise<ModelResponse>((resolve, reject) => {
          if (signal?.aborted) return reject(signal.reason as Error);
          signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
          pending.set(callId, { resolve, reject });
          write({ type: 'converse', id: callId, request });
        }).finally(() => pending.delete(callId));
      },
    }),
    finish: write,
  };
}

async function main(): Promise<void> {
  if (process.argv.includes('--stdio')) {
    const channel = stdioChannel();
    const task = await channel.task;
    try {
      channel.finish({ type: 'done', result: await runTask(task, channel.model(task.model.modelId)) });
    } catch (error) {
      channel.finish({
        type: 'failed',
        error: { name: (error as Error).name ?? 'Error', message: (error as Error).message ?? String(error) },
      });
    }
    process.exit(0);
  }
  const { runFromS3 } = await import('./s3-task.js');
  await runFromS3(process.env);
}

await main();
