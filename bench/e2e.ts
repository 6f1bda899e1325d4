/**
 * Local end-to-end latency per skill remediation: one S3.8 finding per event through the embedded
 * runtime (the shipped remediate ASL, every task the production function, the SQLite ledger, a
 * real git repository holding the Terraform), approved with `--approve auto`, ending with a
 * verified pull-request branch. Timed per finding, with each state's share.
 */
import { createRuntime, type StepEvent } from '../src/local/runtime.js';
import type { TaskContext } from '../src/workflow/context.js';
import { makeWorld } from '../test/local/fixture.js';
import { asffFinding, importedEvent } from '../test/support/events.js';
import { median, percentile, round, type Benchmark, type Row } from './report.js';

const WARMUP = 2;
const TARGET_MEDIAN_MS = 300;

const bucket = (i: number): string => `acme-bench-${String(i).padStart(3, '0')}`;

/** One Terraform file with a bucket per finding, as an account's storage module would hold them. */
function bucketsTf(count: number): string {
  return Array.from(
    { length: count },
    (_, i) => `resource "aws_s3_bucket" "b${i}" {\n  bucket = "${bucket(i)}"\n\n  tags = {\n    team = "platform"\n  }\n}\n`,
  ).join('\n');
}

const eventFor = (i: number) =>
  importedEvent(
    [
      asffFinding({
        Id: `arn:aws:securityhub:us-east-1:111122223333:security-control/S3.8/finding/bench-${i}`,
        Resources: [{ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${bucket(i)}`, Partition: 'aws', Region: 'us-east-1' }],
      }),
    ],
    {
      id: `bench-event-${i}`,
    },
  );

/** Milliseconds per step of one run, from the runtime's start/ok|error events (steps run one at a time). */
function stepTimes(events: readonly (StepEvent & { at: number })[]): Map<string, number> {
  const open = new Map<string, number>();
  const spent = new Map<string, number>();
  for (const e of events) {
    if (e.status === 'start') open.set(e.step, e.at);
    else if (e.status === 'ok' || e.status === 'error') {
      const started = open.get(e.step);
      if (started !== undefined) spent.set(e.step, (spent.get(e.step) ?? 0) + e.at - started);
    }
  }
  return spent;
}

const TIMED_PORTS = ['ledger', 'repositories', 'pullRequests', 'artifacts'] as const;

/**
 * `port` with every method call timed into `spent` (milliseconds, by port name); methods run with
 * the port itself as `this`, so private fields keep working. Calls that overlap are each counted.
 */
function timed<T extends object>(port: T, name: string, spent: Map<string, number>): T {
  return new Proxy(port, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const start = performance.now();
        const result: unknown = Reflect.apply(value, target, args);
        const add = () => spent.set(name, (spent.get(name) ?? 0) + performance.now() - start);
        if (result instanceof Promise) return result.finally(add);
        add();
        return result;
      };
    },
  });
}

function withTimedPorts(ctx: TaskContext, spent: Map<string, number>): TaskContext {
  return { ...ctx, ...Object.fromEntries(TIMED_PORTS.map((port) => [port, timed(ctx[port], port, spent)])) };
}

export const e2eBench: Benchmark = {
  name: 'e2e',
  title: 'Local end-to-end latency per skill remediation',
  async run(options) {
    const count = options.runs ?? (options.quick ? 10 : 50);
    const world = await makeWorld('', { 'buckets.tf': bucketsTf(count + WARMUP) });
    const local = await world.open();
    try {
      const steps: (StepEvent & { at: number })[] = [];
      const portSpent = new Map<string, number>();
      const perPort = new Map<string, number[]>();
      const runtime = createRuntime({
        context: withTimedPorts(local.ctx, portSpent),
        approve: 'auto',
        pollMs: 20,
        onStep: (e) => steps.push({ ...e, at: performance.now() }),
      });
      const walls: number[] = [];
      const perStep = new Map<string, number[]>();
      const statuses = new Map<string, number>();
      let firstMs = NaN;
      for (let i = 0; i < count + WARMUP; i += 1) {
        steps.length = 0;
        portSpent.clear();
        const start = performance.now();
        const out = await runtime.run(eventFor(i));
        const ms = performance.now() - start;
        if (out.error) throw new Error(`finding ${i}: ${out.error.Error}: ${out.error.Cause}`);
        for (const r of out.results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (i === 0) firstMs = ms;
        if (i < WARMUP) continue;
        walls.push(ms);
        for (const [step, spent] of stepTimes(steps)) perStep.set(step, [...(perStep.get(step) ?? []), spent]);
        for (const port of TIMED_PORTS) perPort.set(port, [...(perPort.get(port) ?? []), portSpent.get(port) ?? 0]);
      }
      const med = median(walls);
      const stepRows: Row[] = [...perStep].map(([step, xs]) => ({
        what: `state ${step}`,
        'median ms': round(median(xs)),
        'p95 ms': round(percentile(xs, 95)),
        'share of median': `${Math.round((100 * median(xs)) / med)}%`,
      }));
      const accounted = [...perStep.values()].reduce((sum, xs) => sum + median(xs), 0);
      return {
        rows: [
          {
            what: `per finding (${walls.length} findings)`,
            'median ms': round(med),
            'p95 ms': round(percentile(walls, 95)),
            'share of median': '100%',
          },
          { what: 'first finding (cold: imports, HCL parser, JIT)', 'median ms': round(firstMs), 'p95 ms': null, 'share of median': null },
          ...stepRows.sort((a, b) => Number(b['median ms']) - Number(a['median ms'])),
          ...[...perPort].map(
            ([port, xs]): Row => ({
              what: `port ${port} (all its calls)`,
              'median ms': round(median(xs)),
              'p95 ms': round(percentile(xs, 95)),
              'share of median': `${Math.round((100 * median(xs)) / med)}%`,
            }),
          ),
          {
            what: 'state machine, between states',
            'median ms': round(med - accounted),
            'p95 ms': null,
            'share of median': `${Math.round((100 * (med - accounted)) / med)}%`,
          },
        ],
        summary: {
          findings: walls.length,
          medianMs: round(med),
          p95Ms: round(percentile(walls, 95)),
          minMs: round(Math.min(...walls)),
          maxMs: round(Math.max(...walls)),
          firstMs: round(firstMs),
          outcomes: JSON.stringify(Object.fromEntries(statuses)),
        },
        targets: [{ name: 'median per finding', value: round(med), limit: TARGET_MEDIAN_MS, kind: 'at most', unit: 'ms' }],
        notes: [
          `wall time of runtime.run on a one-finding event, after ${WARMUP} warm-up findings; outcomes ${JSON.stringify(Object.fromEntries(statuses))}`,
          'validators off (as test/local/fixture.ts configures them): terraform validate would add its own process per finding',
        ],
      };
    } finally {
      await local.close();
      world.cleanup();
    }
  },
};
