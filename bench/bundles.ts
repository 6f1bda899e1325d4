/**
 * Lambda bundles: size and cold import time of every `functions/` entry, bundled as the stack
 * bundles them (lib/bundling.ts), once with the AWS SDK inside and once with it left to the
 * runtime; and, from esbuild's metafile, the packages that weigh most in each bundle.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { ALIASES, BUNDLE, COPIED_PACKAGES } from '../lib/bundling.js';
import { PROJECT_ROOT } from '../lib/project.js';
import { median, round, type Benchmark, type Row } from './report.js';

const MAX_KB = 1024;
const MAX_IMPORT_MS = 150;

// Inside the project, so external packages resolve from its node_modules as they would on Lambda.
const OUT = join(PROJECT_ROOT, 'node_modules', '.cache', 'cloudmend-bench');

async function bundle(entry: string, sdk: 'bundled' | 'external'): Promise<{ file: string; metafile: esbuild.Metafile }> {
  const outfile = join(OUT, sdk, `${entry}.mjs`);
  const result = await esbuild.build({
    entryPoints: [join(PROJECT_ROOT, 'functions', `${entry}.ts`)],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    format: BUNDLE.format,
    target: BUNDLE.target,
    minify: BUNDLE.minify,
    mainFields: [...BUNDLE.mainFields],
    banner: { js: BUNDLE.banner },
    alias: { ...ALIASES },
    external: [...COPIED_PACKAGES, ...(sdk === 'external' ? ['@aws-sdk/*'] : [])],
    outfile,
    metafile: true,
    logLevel: 'error',
  });
  return { file: outfile, metafile: result.metafile };
}

/** Milliseconds to import the bundle in a fresh Node.js process, median of `runs`. */
function coldImport(file: string, runs: number): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  const env = { ...process.env, AWS_REGION: 'us-east-1', AWS_LAMBDA_FUNCTION_NAME: 'bench', POWERTOOLS_DEV: 'false' };
  return median(
    Array.from({ length: runs }, () =>
      Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' })),
    ),
  );
}

/** The `count` packages (or `src/<dir>`) with the most bytes in the bundle, as `name KB`. */
function heaviest(metafile: esbuild.Metafile, count: number): string {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = [...path.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].at(-1)?.[1];
      const key = pkg ?? (path.startsWith('src/') ? path.split('/').slice(0, 2).join('/') : path);
      bytes.set(key, (bytes.get(key) ?? 0) + bytesInOutput);
    }
  }
  return [...bytes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, n]) => `${name} ${Math.round(n / 1024)}`)
    .join(', ');
}

export const bundlesBench: Benchmark = {
  name: 'bundles',
  title: 'Lambda bundles: size and cold import',
  async run(options) {
    const runs = options.runs ?? (options.quick ? 3 : 9);
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const entries = readdirSync(join(PROJECT_ROOT, 'functions'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.slice(0, -3))
      .sort();
    const rows: Row[] = [];
    for (const entry of entries) {
      const bundled = await bundle(entry, 'bundled');
      const external = await bundle(entry, 'external');
      const row: Row = {
        entry,
        'bundled KB': Math.round(statSync(bundled.file).size / 1024),
        'bundled import ms': round(coldImport(bundled.file, runs)),
        'external KB': Math.round(statSync(external.file).size / 1024),
        'external import ms': round(coldImport(external.file, runs)),
        'heaviest packages (KB, bundled)': heaviest(bundled.metafile, 4),
      };
      rows.push(row);
      console.log(`${entry}: ${String(row['bundled KB'])} KB, ${String(row['bundled import ms'])} ms`);
    }
    const sizes = rows.map((r) => Number(r['bundled KB']));
    const imports = rows.map((r) => Number(r['bundled import ms']));
    const largest = rows[sizes.indexOf(Math.max(...sizes))];
    const slowest = rows[imports.indexOf(Math.max(...imports))];
    return {
      rows,
      summary: {
        entries: rows.length,
        largestKb: Math.max(...sizes),
        largestEntry: String(largest?.entry),
        slowestImportMs: Math.max(...imports),
        slowestEntry: String(slowest?.entry),
        overOneMb: rows
          .filter((r) => Number(r['bundled KB']) > MAX_KB)
          .map((r) => String(r.entry))
          .join(', '),
        overImportTarget: rows
          .filter((r) => Number(r['bundled import ms']) > MAX_IMPORT_MS)
          .map((r) => String(r.entry))
          .join(', '),
      },
      targets: [
        { name: `largest bundle (${String(largest?.entry)})`, value: Math.max(...sizes), limit: MAX_KB, kind: 'at most', unit: 'KB' },
        {
          name: `slowest cold import (${String(slowest?.entry)})`,
          value: Math.max(...imports),
          limit: MAX_IMPORT_MS,
          kind: 'at most',
          unit: 'ms',
        },
      ],
      notes: [
        `cold import: median of ${runs} fresh Node.js processes; "external" leaves @aws-sdk/* to the runtime (loaded here from node_modules); 1 MB = 1024 KB`,
      ],
    };
  },
};
