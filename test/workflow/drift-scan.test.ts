/**
 * statemachines/drift-scan.asl.json run in process: every SDK call is answered by a scripted
 * CloudFormation (detection in progress, then complete; drifts over two pages; a stack that fails;
 * one in sync), and the events it publishes are read by the remediate workflow's normalizer, as
 * EventBridge would deliver them.
 */
import '../../src/local/polyfills.js';
import aslValidator from 'asl-validator';
import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { normalizeEvent } from '../../src/findings/normalize.js';
import { aslText, driftScanDefinition } from '../../src/workflow/asl.js';

const BUS = 'cloudmend-test-bus';
const definition = driftScanDefinition(BUS);

interface Script {
  readonly calls: string[];
  readonly published: Record<string, unknown>[];
  readonly handlers: Record<string, (input: never) => Promise<unknown>>;
}

const drift = (logicalId: string, status: 'MODIFIED' | 'DELETED', differences?: unknown[]) => ({
  StackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/storage-prod/1',
  LogicalResourceId: logicalId,
  PhysicalResourceId: `acme-${logicalId.toLowerCase()}`,
  ResourceType: 'AWS::S3::Bucket',
  StackResourceDriftStatus: status,
  ...(differences ? { PropertyDifferences: differences } : {}),
  Timestamp: '2026-11-21T06:00:00Z',
});

function scripted(): Script {
  const calls: string[] = [];
  const published: Record<string, unknown>[] = [];
  const polls = new Map<string, number>();
  type In = Record<string, unknown>;
  const handlers: Script['handlers'] = {
    DetectStackDrift: (input: In) => {
      calls.push(`detect ${String(input.StackName)}`);
      if (input.StackName === 'gone-prod') return Promise.reject(Object.assign(new Error('Stack with id gone-prod does not exist'), { name: 'CloudFormation.CloudFormationException' }));
      return Promise.resolve({ StackDriftDetectionId: `det-${String(input.StackName)}` });
    },
    DetectionStatus: (input: In) => {
      const id = String(input.StackDriftDetectionId);
      const n = (polls.get(id) ?? 0) + 1;
      polls.set(id, n);
      calls.push(`status ${id} #${n}`);
      if (id === 'det-storage-prod' && n === 1) return Promise.resolve({ DetectionStatus: 'DETECTION_IN_PROGRESS' });
      return Promise.resolve({ DetectionStatus: 'DETECTION_COMPLETE', StackDriftStatus: id === 'det-network-prod' ? 'IN_SYNC' : 'DRIFTED' });
    },
    DriftedResources: (input: In) => {
      calls.push(`drifts ${String(input.StackName)}`);
      return Promise.resolve({
        StackResourceDrifts: [drift('Logs', 'MODIFIED', [{ PropertyPath: '/VersioningConfiguration/Status', ExpectedValue: 'Enabled', ActualValue: 'Suspended', DifferenceType: 'NOT_EQUAL' }])],
        NextToken: 'page-2',
      });
    },
    DriftedResourcesNextPage: (input: In) => {
      calls.push(`drifts ${String(input.StackName)} after ${String(input.NextToken)}`);
      return Promise.resolve({ StackResourceDrifts: [drift('Archive', 'DELETED')] });
    },
    PublishDrift: (input: In) => (published.push(...(input.Entries as Record<string, unknown>[])), Promise.resolve({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] })),
    PublishDeletion: (input: In) => (published.push(...(input.Entries as Record<string, unknown>[])), Promise.resolve({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] })),
  };
  return { calls, published, handlers };
}

async function scan(stacks: string[]) {
  const script = scripted();
  const machine = new StateMachine(definition as never, { validationOptions: { checkPaths: true, checkArn: true } });
  const execution = machine.run({ stacks: stacks.map((stackName) => ({ stackName })) }, {
    overrides: {
      taskResourceLocalHandlers: script.handlers as never,
      waitTimeOverrides: { WaitForDetection: 0 },
      retryIntervalOverrides: { DetectStackDrift: 0 },
    },
  });
  const output = (await execution.result) as { stacks: { stack: string; result: string; error?: { Error: string } }[] };
  return { ...script, output };
}

describe('statemachines/drift-scan.asl.json', () => {
  it('is valid Amazon States Language, JSONPath only, with the bus as its one placeholder', () => {
    const result = aslValidator(definition);
    expect(result.isValid, result.errorsText('\n')).toBe(true);
    expect(aslText('drift-scan')).not.toMatch(/JSONata|"Assign"|\{%/);
    expect([...aslText('drift-scan').matchAll(/\$\{([A-Za-z]+)\}/g)].map((m) => m[1])).toEqual(['EventBusName', 'EventBusName']);
  });

  it('waits for detection, reads every page of drifts, publishes each drifted resource, and tells each stack’s result', async () => {
    const { calls, published, output } = await scan(['storage-prod', 'network-prod', 'gone-prod']);
    expect(output.stacks.map((s) => [s.stack, s.result])).toEqual([
      ['storage-prod', 'drifted'],
      ['network-prod', 'in_sync'],
      ['gone-prod', 'failed'],
    ]);
    expect(output.stacks[2]?.error?.Error).toBe('CloudFormation.CloudFormationException');
    expect(calls.filter((c) => c.startsWith('status det-storage-prod'))).toEqual(['status det-storage-prod #1', 'status det-storage-prod #2']);
    expect(calls).toContain('drifts storage-prod after page-2');
    expect(calls.filter((c) => c.startsWith('drifts network-prod'))).toEqual([]);
    expect(published).toHaveLength(2);
    for (const entry of published) expect(entry).toMatchObject({ EventBusName: BUS, Source: 'cloudmend', DetailType: 'cloudmend Drift Detected' });
  });

  it('publishes events the remediate workflow reads as drift findings, located by their stack tags', async () => {
    const { published } = await scan(['storage-prod']);
    const findings = published.flatMap((entry, i) => {
      // EventBridge delivers Detail (an object here, a JSON string through the SDK) as `detail`.
      const detail = typeof entry.Detail === 'string' ? (JSON.parse(entry.Detail) as unknown) : entry.Detail;
      const event = { version: '0', id: `evt-${i}`, 'detail-type': entry.DetailType, source: entry.Source, account: '111122223333', time: '2026-11-21T06:05:00Z', region: 'us-east-1', resources: [], detail };
      const result = normalizeEvent(event);
      expect(result.problems).toEqual([]);
      return result.findings;
    });
    expect(findings.map((f) => [f.source, f.resource.type, f.resource.tags['aws:cloudformation:logical-id'], f.resource.tags['aws:cloudformation:stack-name']])).toEqual([
      ['drift', 'AWS::S3::Bucket', 'Logs', 'storage-prod'],
      ['drift', 'AWS::S3::Bucket', 'Archive', 'storage-prod'],
    ]);
    expect(findings[0]?.evidence).toEqual({ kind: 'differences', detector: 'cloudformation', differences: [{ path: '/VersioningConfiguration/Status', expected: 'Enabled', actual: 'Suspended', type: 'NOT_EQUAL' }] });
    expect(findings[1]?.evidence).toMatchObject({ differences: [{ path: '(resource)', type: 'DELETED' }] });
  });
});
