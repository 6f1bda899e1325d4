/**
 * `npm run bench [-- <name>... [--runs N] [--quick]]`: runs the named benchmarks (all by default)
 * one after another, prints a table for each, and writes `bench/results/<name>.json` and
 * `bench/results/summary.json`. Not part of `npm test`; see docs/performance.md for the figures.
 */
import { agentBench } from './agent.js';
import { bundlesBench } from './bundles.js';
import { burst } from './burst.js';
import { e2eBench } from './e2e.js';
import { ledgerBench } from './ledger.js';
import { normalizeBench } from './normalize.js';
import { machine, met, printResult, writeResult, type Benchmark, type BenchOptions } from './report.js';
import { synthBench } from './synth.js';

/** In the order `npm run bench` runs them: in-process timings first, on a quiet heap. */
export const BENCHMARKS: readonly Benchmark[] = [normalizeBench, ledgerBench, e2eBench, agentBench, burst, bundlesBench, synthBench];

const USAGE = `usage: npm run bench -- [${BENCHMARKS.map((b) => b.name).join('|')}]... [--runs N] [--quick]`;

function parseArgs(argv: readonly string[]): { names: string[]; options: BenchOptions } {
  const names: string[] = [];
  let runs: number | undefined;
  let quick = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--quick') quick = true;
    else if (arg === '--runs') {
      runs = Number(argv[(i += 1)]);
      if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs needs a whole number of at least 1\n${USAGE}`);
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}\n${USAGE}`);
    else names.push(arg);
  }
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}\n${USAGE}`);
  return { names, options: { runs, quick } };
}

async function main(): Promise<number> {
  const { names, options } = parseArgs(process.argv.slice(2));
  const selected = names.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => names.includes(b.name));
  const host = machine();
  console.log(
    `${host.cpu}, ${host.cores} cores, ${host.memoryGb} GB, Node.js ${host.node}, ${host.platform}, load ${host.load1}${options.quick ? ' (--quick: smaller inputs, not for figures)' : ''}`,
  );
  let failed = 0;
  const missed: string[] = [];
  for (const bench of selected) {
    const start = performance.now();
    try {
      const result = await bench.run(options);
      const seconds = (performance.now() - start) / 1000;
      printResult(bench, result, seconds);
      writeResult(bench, result, { machine: machine(), options, seconds });
      missed.push(...(result.targets ?? []).filter((t) => !met(t)).map((t) => `${bench.name}: ${t.name}`));
    } catch (error) {
      failed += 1;
      console.error(`\n${bench.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  if (missed.length > 0) console.log(`\ntargets not met: ${missed.join('; ')}`);
  console.log(`\nresults in bench/results/ (${selected.map((b) => `${b.name}.json`).join(', ')}, summary.json)`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);
