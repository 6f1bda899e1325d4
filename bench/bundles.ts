/**
 * Lambda bundles: size and cold import time of every `functions/` entry, bundled as the stack
 * bundles them, once with the AWS SDK inside and once with it left to the runtime.
 * Run: npx tsx bench/bundles.ts [--runs 15]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { BUNDLE, COPIED_PACKAGES } from '../lib/bundling.js';
import { PROJECT_ROOT } from '../lib/project.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 15;
// Inside the project, so external packages resolve from its node_modules as they would on Lambda.
const out = join(PROJECT_ROOT, 'node_modules', '.cache', 'cloudmend-bench');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function bundle(entry: string, sdk: 'bundled' | 'external'): Promise<string> {
  const outfile = join(out, sdk, `${entry}.mjs`);
  await esbuild.build({
    entryPoints: [join(PROJECT_ROOT, 'functions', `${entry}.ts`)],
    bundle: true,
    platform: 'node',
    format: BUNDLE.format,
    target: BUNDLE.target,
    minify: BUNDLE.minify,
    mainFields: [...BUNDLE.mainFields],
    banner: { js: BUNDLE.banner },
    external: [...COPIED_PACKAGES, ...(sdk === 'external' ? ['@aws-sdk/*'] : [])],
    outfile,
    logLevel: 'error',
  });
  return outfile;
}

/** Milliseconds to import the bundle in a fresh Node.js process, median of `runs`. */
function coldImport(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  const env = { ...process.env, AWS_REGION: 'us-east-1', AWS_LAMBDA_FUNCTION_NAME: 'bench', POWERTOOLS_DEV: 'false' };
  return median(Array.from({ length: runs }, () => Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' }))));
}

const entries = readdirSync(join(PROJECT_ROOT, 'functions')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
const rows = [];
for (const entry of entries) {
  const row: Record<string, string | number> = { entry };
  for (const sdk of ['bundled', 'external'] as const) {
    const file = await bundle(entry, sdk);
    row[`${sdk} KB`] = Math.round(statSync(file).size / 1024);
    row[`${sdk} import ms`] = Math.round(coldImport(file) * 10) / 10;
  }
  rows.push(row);
  console.log(Object.values(row).join('\t'));
}
console.table(rows);
mkdirSync(join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(PROJECT_ROOT, 'bench', 'results', 'bundles.json'), `${JSON.stringify({ node: process.version, runs, rows }, null, 2)}\n`);
