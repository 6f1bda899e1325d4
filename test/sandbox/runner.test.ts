/**
 * The local sandbox's parent side: a model adapter whose reply cannot be read is an error the
 * child ends on, not a turn the child waits for until its time budget.
 */
import { describe, expect, it } from 'vitest';
import type { Model, ModelResponse } from '../../src/agent/model.js';
import type { AgentTask } from '../../src/agent/task.js';
import { runInLocalSandbox } from '../../src/sandbox/runner.js';

const task: AgentTask = {
  fingerprint: 'runner-check',
  finding: {
    controlId: 'SQS.1',
    title: 'SQS queues should be encrypted at rest',
    severity: 'MEDIUM',
    resourceType: 'aws_sqs_queue',
    resourceId: 'arn:aws:sqs:us-east-1:111122223333:jobs',
    tags: {},
  },
  target: { kind: 'terraform', file: 'queues.tf', address: 'aws_sqs_queue.jobs', resourceType: 'aws_sqs_queue' },
  files: [{ path: 'queues.tf', text: 'resource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n}\n' }],
  editable: ['queues.tf'],
  model: { modelId: 'broken' },
  // Longer than the test's own timeout: only the error reply can end this run in time.
  budgets: { maxIterations: 4, maxTokens: 100_000, maxSeconds: 600 },
  skills: { allowedIngressCidrs: [], allowedIngressIpv6Cidrs: [] },
  validators: { terraform: { mode: 'off' }, cfnLint: { mode: 'off' } },
};

describe('the local sandbox runner', () => {
  it('fails the run when the model adapter answers with something that is not a response', async () => {
    const broken: Model = { id: 'broken', converse: () => Promise.resolve(undefined as unknown as ModelResponse) };
    await expect(runInLocalSandbox(task, { model: broken, warn: () => undefined })).rejects.toThrow(/usage/);
  }, 20_000);

  it('fails the run when the model adapter rejects', async () => {
    const failing: Model = {
      id: 'failing',
      converse: () => Promise.reject(Object.assign(new Error('the model endpoint refused the call'), { name: 'AccessDeniedException' })),
    };
    await expect(runInLocalSandbox(task, { model: failing, warn: () => undefined })).rejects.toThrow('the model endpoint refused the call');
  }, 20_000);
});
