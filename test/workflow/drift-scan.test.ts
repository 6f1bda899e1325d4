/**
 * statemachines/drift-scan.asl.json run in process: every SDK call is answered by a scripted
 * CloudFormation (detection in progress, then complete; drifts over two pages; a stack that fails;
 * one in sync), each CloudFormation call made with the credentials of the role the state names for
 * the stack's account, and the events it publishes are read by the remediate workflow's normalizer,
 * as EventBridge would deliver them.
 */
import '../../src/local/polyfills.js';
import aslValidator from 'asl-validator';
import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { normalizeEvent } from '../../src/findings/normalize.js';
import { aslText, DRIFT_SCAN_ROLE_NAME, driftScanDefinition } from '../../src/workflow/asl.js';

const BUS = 'cloudmend-test-bus';
const definition = driftScanDefinition(BUS);
const MEMBER = '444455556666';
const roleIn = (account: string): string => `arn:aws:iam::${account}:role/${DRIFT_SCAN_ROLE_NAME}`;

type StateDefinition = {
  Type: string;
  Resource?: string;
  Credentials?: Record<string, string>;
  ItemProcessor?: { States: Record<string, StateDefinition> };
};
/** Every state of the definition by name, Map iterations included. */
function statesOf(states: Record<string, StateDefinition>): Record<string, StateDefinition> {
  return Object.fromEntries(
    Object.entries(states).flatMap(([name, state]) => [[name, state], ...Object.entries(statesOf(state.ItemProcessor?.States ?? {}))]),
  );
}
const STATES = statesOf((definition as { States: Record<string, StateDefinition> }).States);
const CLOUDFORMATION_TASKS = Object.keys(STATES).filter((name) => STATES[name]?.Resource?.includes(':cloudformation:'));

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
      if (input.StackName === 'gone-prod')
        return Promise.reject(
          Object.assign(new Error('Stack with id gone-prod does not exist'), { name: 'CloudFormation.CloudFormationException' }),
        );
      return Promise.resolve({ StackDriftDetectionId: `det-${String(input.StackName)}` });
    },
    DetectionStatus: (input: In) => {
      const id = String(input.StackDriftDetectionId);
      const n = (polls.get(id) ?? 0) + 1;
      polls.set(id, n);
      calls.push(`status ${id} #${n}`);
      if (id === 'det-storage-prod' && n === 1) return Promise.resolve({ DetectionStatus: 'DETECTION_IN_PROGRESS' });
      return Promise.resolve({
        DetectionStatus: 'DETECTION_COMPLETE',
        StackDriftStatus: id === 'det-network-prod' ? 'IN_SYNC' : 'DRIFTED',
      });
    },
    DriftedResources: (input: In) => {
      calls.push(`drifts ${String(input.StackName)}`);
      return Promise.resolve({
        StackResourceDrifts: [
          drift('Logs', 'MODIFIED', [
            {
              PropertyPath: '/VersioningConfiguration/Status',
              ExpectedValue: 'Enabled',
              ActualValue: 'Suspended',
              DifferenceType: 'NOT_EQUAL',
            },
          ]),
        ],
        NextToken: 'page-2',
      });
    },
    DriftedResourcesNextPage: (input: In) => {
      calls.push(`drifts ${String(input.StackName)} after ${String(input.NextToken)}`);
      return Promise.resolve({ StackResourceDrifts: [drift('Archive', 'DELETED')] });
    },
    PublishDrift: (input: In) => (
      published.push(...(input.Entries as Record<string, unknown>[])), Promise.resolve({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] })
    ),
    PublishDeletion: (input: In) => (
      published.push(...(input.Entries as Record<string, unknown>[])), Promise.resolve({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] })
    ),
  };
  return { calls, published, handlers };
}

async function scan(stacks: string[], account = MEMBER) {
  const script = scripted();
  const machine = new StateMachine(definition as never, { validationOptions: { checkPaths: true, checkArn: true } });
  const execution = machine.run(
    { stacks: stacks.map((stackName) => ({ stackName, account })) },
    {
      overrides: {
        taskResourceLocalHandlers: script.handlers as never,
        waitTimeOverrides: { WaitForDetection: 0 },
        retryIntervalOverrides: { DetectStackDrift: 0 },
      },
    },
  );
  // The role each CloudFormation call is made with: its Credentials' RoleArn path read from the state's input.
  const roles: string[] = [];
  const logs = (async () => {
    for await (const log of execution.eventLogs) {
      if (log.type !== 'StateEntered' || !CLOUDFORMATION_TASKS.includes(log.state.name)) continue;
      const path = STATES[log.state.name]?.Credentials?.['RoleArn.$'] ?? '';
      expect(path).toMatch(/^\$\.[A-Za-z]+$/);
      roles.push(`${log.state.name} ${String((log.state.input as Record<string, unknown>)[path.slice(2)])}`);
    }
  })();
  const output = (await execution.result) as { stacks: { stack: string; account: string; result: string; error?: { Error: string } }[] };
  await logs;
  return { ...script, output, roles };
}

describe('statemachines/drift-scan.asl.json', () => {
  it('is valid Amazon States Language, JSONPath only, with the bus as its one placeholder', () => {
    const result = aslValidator(definition);
    expect(result.isValid, result.errorsText('\n')).toBe(true);
    expect(aslText('drift-scan')).not.toMatch(/JSONata|"Assign"|\{%/);
    expect(new Set([...aslText('drift-scan').matchAll(/\$\{([A-Za-z]+)\}/g)].map((m) => m[1]))).toEqual(
      new Set(['DriftScanRoleArn', 'EventBusName']),
    );
  });

  it('makes every CloudFormation call in the stack’s account, as the drift-scan role the state builds from the account id', async () => {
    expect(CLOUDFORMATION_TASKS.sort()).toEqual(['DetectStackDrift', 'DetectionStatus', 'DriftedResources', 'DriftedResourcesNextPage']);
    const { roles, calls } = await scan(['storage-prod'], MEMBER);
    expect(calls).toContain('drifts storage-prod after page-2');
    expect(new Set(roles.map((r) => r.split(' ')[0]))).toEqual(new Set(CLOUDFORMATION_TASKS));
    for (const role of roles) expect(role).toMatch(new RegExp(` ${roleIn(MEMBER)}$`));
  });

  it('waits for detection, reads every page of drifts, publishes each drifted resource, and tells each stack’s result', async () => {
    const { calls, published, output } = await scan(['storage-prod', 'network-prod', 'gone-prod']);
    expect(output.stacks.map((s) => [s.stack, s.account, s.result])).toEqual([
      ['storage-prod', MEMBER, 'drifted'],
      ['network-prod', MEMBER, 'in_sync'],
      ['gone-prod', MEMBER, 'failed'],
    ]);
    expect(output.stacks[2]?.error?.Error).toBe('CloudFormation.CloudFormationException');
    expect(calls.filter((c) => c.startsWith('status det-storage-prod'))).toEqual([
      'status det-storage-prod #1',
      'status det-storage-prod #2',
    ]);
    expect(calls).toContain('drifts storage-prod after page-2');
    expect(calls.filter((c) => c.startsWith('drifts network-prod'))).toEqual([]);
    expect(published).toHaveLength(2);
    for (const entry of published)
      expect(entry).toMatchObject({ EventBusName: BUS, Source: 'cloudmend', DetailType: 'cloudmend Drift Detected' });
  });

  it('publishes events the remediate workflow reads as drift findings, located by their stack tags', async () => {
    const { published } = await scan(['storage-prod']);
    const findings = published.flatMap((entry, i) => {
      // EventBridge delivers Detail (an object here, a JSON string through the SDK) as `detail`.
      const detail = typeof entry.Detail === 'string' ? (JSON.parse(entry.Detail) as unknown) : entry.Detail;
      const event = {
        version: '0',
        id: `evt-${i}`,
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: '111122223333',
        time: '2026-11-21T06:05:00Z',
        region: 'us-east-1',
        resources: [],
        detail,
      };
      const result = normalizeEvent(event);
      expect(result.problems).toEqual([]);
      return result.findings;
    });
    // Published from the administrator account (the envelope's), about resources of the scanned one.
    expect(
      findings.map((f) => [
        f.source,
        f.account,
        f.resource.type,
        f.resource.tags['aws:cloudformation:logical-id'],
        f.resource.tags['aws:cloudformation:stack-name'],
      ]),
    ).toEqual([
      ['drift', MEMBER, 'AWS::S3::Bucket', 'Logs', 'storage-prod'],
      ['drift', MEMBER, 'AWS::S3::Bucket', 'Archive', 'storage-prod'],
    ]);
    expect(findings[0]?.evidence).toEqual({
      kind: 'differences',
      detector: 'cloudformation',
      differences: [{ path: '/VersioningConfiguration/Status', expected: 'Enabled', actual: 'Suspended', type: 'NOT_EQUAL' }],
    });
    expect(findings[1]?.evidence).toMatchObject({ differences: [{ path: '(resource)', type: 'DELETED' }] });
  });
});
