/**
 * `cdk synth` time: `npx cdk synth -q -c region=eu-west-1 -o <tmp>` as a newcomer runs it (no account, no profile),
 * every Lambda entry bundled by esbuild. Wall time of the whole command, median of the runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../lib/project.js';
import { median, round, type Benchmark } from './report.js';

export const synthBench: Benchmark = {
  name: 'synth',
  title: '`cdk synth` time',
  run(options) {
    const runs = options.runs ?? (options.quick ? 1 : 3);
    const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true' };
    delete env.CDK_DEFAULT_ACCOUNT;
    delete env.AWS_PROFILE;
    const seconds: number[] = [];
    for (let r = 0; r < runs; r += 1) {
      const out = mkdtempSync(join(tmpdir(), 'cloudmend-bench-synth-'));
      try {
        const start = performance.now();
        const run = spawnSync('npx', ['cdk', 'synth', '-q', '-c', 'region=eu-west-1', '-o', out], {
          cwd: PROJECT_ROOT,
          env,
          encoding: 'utf8',
        });
        if (run.status !== 0) throw new Error(`cdk synth failed (${run.status ?? run.signal}):\n${run.stderr.slice(-2000)}`);
        seconds.push((performance.now() - start) / 1000);
        console.log(`cdk synth run ${r + 1}: ${round(seconds.at(-1) ?? NaN)} s`);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }
    return Promise.resolve({
      rows: [
        {
          command: 'npx cdk synth -q -c region=eu-west-1 -o <tmp>',
          runs,
          'median s': round(median(seconds)),
          'min s': round(Math.min(...seconds)),
          'max s': round(Math.max(...seconds)),
        },
      ],
      summary: {
        runs,
        medianSeconds: round(median(seconds)),
        minSeconds: round(Math.min(...seconds)),
        maxSeconds: round(Math.max(...seconds)),
      },
    });
  },
};
