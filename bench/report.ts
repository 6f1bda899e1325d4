/**
 * What every benchmark shares: the machine it ran on, medians and percentiles, the printed table
 * and the JSON files under `bench/results/`.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../lib/project.js';

export const RESULTS_DIR = join(PROJECT_ROOT, 'bench', 'results');

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

/** A figure with a limit it should stay within (`at most`) or reach (`at least`). */
export interface Target {
  readonly name: string;
  readonly value: number;
  readonly limit: number;
  readonly kind: 'at most' | 'at least';
  readonly unit: string;
}

export interface BenchResult {
  /** One row per measured case: the printed table and the JSON's `rows`. */
  readonly rows: readonly Row[];
  /** The headline figures, for `summary.json`. */
  readonly summary: Readonly<Record<string, Cell>>;
  readonly targets?: readonly Target[] | undefined;
  /** Anything a reader of the figures must know (skipped parts, estimates). */
  readonly notes?: readonly string[] | undefined;
}

export interface BenchOptions {
  /** `--runs N`: repetitions where a benchmark repeats; each benchmark has its own default. */
  readonly runs?: number | undefined;
  /** `--quick`: smaller inputs, for checking that a benchmark works rather than for figures. */
  readonly quick: boolean;
}

export interface Benchmark {
  readonly name: string;
  readonly title: string;
  run(options: BenchOptions): Promise<BenchResult>;
}

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly node: string;
  readonly platform: string;
  /** 1-minute load average when the benchmark started: the machine is shared. */
  readonly load1: number;
}

export function machine(): Machine {
  const all = cpus();
  return {
    cpu: all[0]?.model.trim() ?? 'unknown',
    cores: all.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    load1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** The `p`-th percentile (0-100) by the nearest-rank method; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? NaN;
}

/** The median: the mean of the two middle samples for an even count. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/** `value` rounded to `digits` decimals. */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function met(target: Target): boolean {
  return target.kind === 'at most' ? target.value <= target.limit : target.value >= target.limit;
}

/** A Markdown table: pasteable into docs/performance.md as printed. */
export function table(rows: readonly Row[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (columns.length === 0) return '(no rows)';
  const cell = (v: Cell | undefined): string =>
    v === undefined || v === null ? '' : typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(v);
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(columns), line(columns.map(() => '---')), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}

export function printResult(bench: Benchmark, result: BenchResult, seconds: number): void {
  console.log(`\n## ${bench.title} (${bench.name}, ${round(seconds)} s)\n`);
  console.log(table(result.rows));
  for (const t of result.targets ?? [])
    console.log(`target ${t.name}: ${round(t.value, 2)} ${t.unit}, ${t.kind} ${t.limit} ${t.unit}: ${met(t) ? 'met' : 'NOT MET'}`);
  for (const note of result.notes ?? []) console.log(`note: ${note}`);
}

/** Writes `bench/results/<name>.json` and rebuilds `summary.json` from every result file present. */
export function writeResult(
  bench: Benchmark,
  result: BenchResult,
  context: { machine: Machine; options: BenchOptions; seconds: number },
): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = {
    name: bench.name,
    title: bench.title,
    date: new Date().toISOString(),
    seconds: round(context.seconds),
    machine: context.machine,
    options: context.options,
    summary: result.summary,
    targets: (result.targets ?? []).map((t) => ({ ...t, met: met(t) })),
    notes: result.notes ?? [],
    rows: result.rows,
  };
  writeFileSync(join(RESULTS_DIR, `${bench.name}.json`), `${JSON.stringify(file, null, 2)}\n`);
  writeSummary();
}

function writeSummary(): void {
  const benches: Record<string, unknown> = {};
  for (const name of readdirSync(RESULTS_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'summary.json')
    .sort()) {
    const result = JSON.parse(readFileSync(join(RESULTS_DIR, name), 'utf8')) as {
      name?: string;
      date?: string;
      machine?: Machine;
      summary?: unknown;
      targets?: unknown;
    };
    // bundles.json from before `npm run bench` had no summary: left out rather than misread.
    if (result.summary === undefined || result.name === undefined) continue;
    benches[result.name] = { date: result.date, machine: result.machine, summary: result.summary, targets: result.targets };
  }
  writeFileSync(
    join(RESULTS_DIR, 'summary.json'),
    `${JSON.stringify({ written: new Date().toISOString(), benchmarks: benches }, null, 2)}\n`,
  );
}
