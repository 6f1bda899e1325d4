/**
 * Ledger claim throughput: 10,000 distinct fingerprints claimed one after another, then the same
 * findings delivered three times each in shuffled order (redeliveries: one claim wins, two see
 * `claimed: false`). SQLite on a temporary file; DynamoDB on moto_server when it is installed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynamoDbLedger } from '../src/ledger/dynamodb.js';
import type { ClaimInput, Ledger } from '../src/ledger/port.js';
import { openSqliteLedger } from '../src/ledger/sqlite.js';
import { motoInstalled, startMoto } from '../test/ledger/dynamodb-moto.js';
import { median, percentile, round, type Benchmark, type Row } from './report.js';

const SUMMARY = {
  source: 'securityhub',
  controlId: 'S3.8',
  title: 'S3 general purpose buckets should block public access',
  severity: 'HIGH',
  account: '111122223333',
  region: 'us-east-1',
  resourceType: 'AWS::S3::Bucket',
};

const fingerprints = (count: number): string[] => Array.from({ length: count }, () => randomBytes(16).toString('hex'));

const claimOf = (fingerprint: string, i: number): ClaimInput => ({
  fingerprint,
  summary: { ...SUMMARY, resourceId: `arn:aws:s3:::bucket-${i}` },
  actor: 'bench',
  at: new Date(),
});

/** Every fingerprint `times` times, shuffled (seeded), as redeliveries arrive. */
function redelivered(fps: readonly string[], times: number): string[] {
  const all = fps.flatMap((fp) => Array.from({ length: times }, () => fp));
  let seed = 7;
  for (let i = all.length - 1; i > 0; i -= 1) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [all[i], all[j]] = [all[j] ?? '', all[i] ?? ''];
  }
  return all;
}

interface Pass {
  readonly claims: number;
  readonly won: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Claims each of `order` in turn, awaiting each (as one worker does). */
async function claimAll(ledger: Ledger, order: readonly string[]): Promise<Pass> {
  const latencies: number[] = [];
  let won = 0;
  const start = performance.now();
  for (let i = 0; i < order.length; i += 1) {
    const t = performance.now();
    const result = await ledger.claim(claimOf(order[i] ?? '', i));
    latencies.push(performance.now() - t);
    if (result.claimed) won += 1;
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    claims: order.length,
    won,
    perSecond: order.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

/** The median pass (by claims/s) of `runs`, each on a fresh ledger from `open`. */
async function measure(
  open: () => Promise<{ ledger: Ledger; close: () => Promise<void> }>,
  order: () => string[],
  runs: number,
): Promise<Pass> {
  const passes: Pass[] = [];
  for (let r = 0; r < runs; r += 1) {
    const { ledger, close } = await open();
    try {
      passes.push(await claimAll(ledger, order()));
    } finally {
      await close();
    }
  }
  const mid = median(passes.map((p) => p.perSecond));
  return passes.reduce((best, p) => (Math.abs(p.perSecond - mid) < Math.abs(best.perSecond - mid) ? p : best));
}

const row = (adapter: string, workload: string, p: Pass): Row => ({
  adapter,
  workload,
  claims: p.claims,
  'claimed: true': p.won,
  'claims/s': Math.round(p.perSecond),
  'p50 ms': round(p.p50Ms, 3),
  'p99 ms': round(p.p99Ms, 3),
});

export const ledgerBench: Benchmark = {
  name: 'ledger',
  title: 'Ledger claim throughput',
  async run(options) {
    const count = options.quick ? 1_000 : 10_000;
    const runs = options.runs ?? 3;
    const dir = mkdtempSync(join(tmpdir(), 'cloudmend-bench-ledger-'));
    const rows: Row[] = [];
    const notes: string[] = [`one claim at a time (await each), median pass of ${runs}, each on a fresh ledger`];
    let file = 0;
    const sqlite = () => {
      const ledger = openSqliteLedger({ path: join(dir, `ledger-${(file += 1)}.db`) });
      return Promise.resolve({ ledger, close: () => ledger.close() });
    };
    try {
      const distinct = await measure(sqlite, () => fingerprints(count), runs);
      const duplicates = await measure(sqlite, () => redelivered(fingerprints(count), 3), runs);
      rows.push(
        row('sqlite (file, WAL)', `${count.toLocaleString('en-US')} distinct`, distinct),
        row('sqlite (file, WAL)', `${count.toLocaleString('en-US')} × 3 redeliveries`, duplicates),
      );

      let dynamo: { distinct: Pass; duplicates: Pass } | undefined;
      if (!motoInstalled()) {
        notes.push('DynamoDB skipped: moto_server not found');
        console.log('skipped: moto_server not found');
      } else {
        // moto answers in milliseconds, not DynamoDB's; fewer claims keep the run short.
        const motoCount = options.quick ? 100 : 300;
        const moto = await startMoto();
        const onMoto = async () => {
          const tableName = await moto.createTable();
          const ledger = dynamoDbLedger({ tableName, client: moto.client });
          return { ledger, close: async () => (await ledger.close(), await moto.deleteTable(tableName)) };
        };
        try {
          dynamo = {
            distinct: await measure(onMoto, () => fingerprints(motoCount), 1),
            duplicates: await measure(onMoto, () => redelivered(fingerprints(motoCount), 3), 1),
          };
        } finally {
          await moto.stop();
        }
        rows.push(
          row('dynamodb (moto_server)', `${motoCount.toLocaleString('en-US')} distinct`, dynamo.distinct),
          row('dynamodb (moto_server)', `${motoCount.toLocaleString('en-US')} × 3 redeliveries`, dynamo.duplicates),
        );
        notes.push(
          `DynamoDB figures are the adapter against moto_server on this machine (${motoCount} fingerprints, one pass): they bound the adapter's own cost, not DynamoDB's latency`,
        );
      }
      return {
        rows,
        summary: {
          sqliteDistinctPerSecond: Math.round(distinct.perSecond),
          sqliteRedeliveredPerSecond: Math.round(duplicates.perSecond),
          motoDistinctPerSecond: dynamo ? Math.round(dynamo.distinct.perSecond) : null,
          motoRedeliveredPerSecond: dynamo ? Math.round(dynamo.duplicates.perSecond) : null,
        },
        notes,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
