/**
 * Normalize + fingerprint throughput on one core: 100,000 synthetic Security Hub findings in
 * "Findings - Imported" events of 100, through `normalizeEvent`, and through `explainEvent`
 * (normalize, the trigger pattern per finding and the policy decision) as `cloudmend explain` does.
 */
import { parseConfig } from '../src/config/load.js';
import { fingerprintOf } from '../src/findings/fingerprint.js';
import { normalizeEvent } from '../src/findings/normalize.js';
import { explainEvent } from '../src/policy/explain.js';
import { median, round, type Benchmark, type Row } from './report.js';
import { ACCOUNTS, syntheticEvents } from './synthetic-findings.js';

const CONFIG = `version: 1
triggers: { severityFloor: MEDIUM }
repositories:
  - name: infra-live
    provider: local
    location: repos/infra-live
    iac: terraform
    owns: { accounts: [${ACCOUNTS.slice(0, 5)
      .map((a) => `"${a}"`)
      .join(', ')}] }
  - name: platform
    provider: local
    location: repos/platform
    iac: terraform
    owns: { accounts: [${ACCOUNTS.slice(5, 10)
      .map((a) => `"${a}"`)
      .join(', ')}], regions: [us-east-1, eu-west-1] }
policy:
  default: pull_request_with_approval
  rules:
    - { name: iam-human, match: { controls: ["IAM.*"] }, tier: recommend }
    - { name: s3-auto, match: { controls: ["S3.*"], minSeverity: HIGH }, tier: pull_request }
`;

interface Throughput {
  /** Findings per second of wall time, median of the passes. */
  readonly perSecond: number;
  /** Findings per CPU-second of this process (all its threads, the garbage collector's included). */
  readonly perCpuSecond: number;
  readonly samples: readonly number[];
}

/** `fn` over `events`, timed: `runs` passes after one warm-up pass; the median pass counts. */
function throughput(events: readonly unknown[], findings: number, runs: number, fn: (event: unknown) => number): Throughput {
  const pass = (): { wall: number; cpu: number } => {
    let seen = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (const event of events) seen += fn(event);
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    if (seen !== findings) throw new Error(`expected ${findings} findings, got ${seen}`);
    return { wall: findings / (ms / 1000), cpu: findings / ((used.user + used.system) / 1e6) };
  };
  pass();
  const passes = Array.from({ length: runs }, pass);
  return {
    perSecond: median(passes.map((p) => p.wall)),
    perCpuSecond: median(passes.map((p) => p.cpu)),
    samples: passes.map((p) => p.wall),
  };
}

export const normalizeBench: Benchmark = {
  name: 'normalize',
  title: 'Normalize + fingerprint throughput (one core)',
  run(options) {
    const count = options.quick ? 10_000 : 100_000;
    const runs = options.runs ?? 7;
    const events = syntheticEvents(count);
    const bytes = events.map((e) => Buffer.byteLength(JSON.stringify(e)));
    const config = parseConfig(CONFIG, 'bench/normalize.ts');

    const normalize = throughput(events, count, runs, (e) => normalizeEvent(e).findings.length);
    const explain = throughput(events, count, runs, (e) => {
      const out = explainEvent(e, config);
      if (out.error !== undefined) throw new Error(out.error);
      return out.findings.length;
    });
    const decided = new Map<string, number>();
    for (const e of events)
      for (const f of explainEvent(e, config).findings) decided.set(f.decision.code, (decided.get(f.decision.code) ?? 0) + 1);
    const parts = events
      .flatMap((e) => normalizeEvent(e).findings)
      .map((f) => ({
        partition: f.partition,
        account: f.account,
        region: f.region,
        subject: f.controlId ?? 'x',
        resource: f.resource.arn ?? f.resource.id,
      }));
    const fingerprint = throughput([parts], parts.length, runs, (p) => (p as typeof parts).map(fingerprintOf).length);

    const row = (what: string, r: Throughput): Row => ({
      what,
      'findings/s (median)': Math.round(r.perSecond),
      'findings per CPU-s': Math.round(r.perCpuSecond),
      'µs/finding': round(1e6 / r.perSecond, 2),
      'min/s': Math.round(Math.min(...r.samples)),
      'max/s': Math.round(Math.max(...r.samples)),
    });
    return Promise.resolve({
      rows: [
        row('normalizeEvent (parse, normalize, fingerprint)', normalize),
        row('explainEvent (+ trigger match + policy decision)', explain),
        row('fingerprintOf alone', fingerprint),
      ],
      summary: {
        findings: count,
        events: events.length,
        medianEventKb: round(median(bytes) / 1024),
        normalizePerSecond: Math.round(normalize.perSecond),
        normalizePerCpuSecond: Math.round(normalize.perCpuSecond),
        explainPerSecond: Math.round(explain.perSecond),
        decisions: JSON.stringify(Object.fromEntries([...decided].sort())),
      },
      targets: [
        { name: 'normalize + fingerprint', value: Math.round(normalize.perSecond), limit: 100_000, kind: 'at least', unit: 'findings/s' },
      ],
      notes: [
        `${events.length} events of 100 findings, median ${round(median(bytes) / 1024)} KB of JSON each (EventBridge allows 256 KB); already parsed, as Lambda hands them over`,
        `median of ${runs} passes after a warm-up pass; findings/s is wall time, findings per CPU-s divides by the CPU time the process used (less sensitive to other work on a shared machine, but it counts the garbage collector's helper threads)`,
      ],
    });
  },
};
