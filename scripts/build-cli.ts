/**
 * Bundles the `cloudmend` command and the local sandbox's agent process into dist/ (`npm run build`,
 * run by npm's `prepare`): bin/cli.js and bin/sandbox.js start from this JavaScript instead of
 * compiling the TypeScript at every start (bin/launch.js falls back to the sources when dist/ is
 * missing or older than them).
 *
 * Every output file sits directly in dist/, and each source module's `import.meta.url`, `dirname`
 * and `filename` are rewritten to that module's own path in the package, so a file read relative
 * to a module (statemachines/, examples/, the replacement tables) is found where it is in the
 * checkout; `files` in package.json ships those files.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { BUNDLE } from '../lib/bundling.js';

const ROOT = join(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');

/** The files the bundles were built from (relative to the package root), in dist/. */
const SOURCES_FILE = 'sources.json';

/** The bundles, by output name: what bin/launch.js starts. */
const ENTRIES = { cli: 'src/cli/main.ts', sandbox: 'src/sandbox/main.ts' } as const;

/**
 * Left to node_modules: a native addon (better-sqlite3); packages that find files beside their own
 * (TypeScript reads its `__filename`, hcl2json its WebAssembly); and what a CDK synthesis resolves
 * and runs in the jail (aws-cdk-lib, constructs, tsx: src/iac/cdk/synth.ts). Everything else is inlined.
 */
export const EXTERNAL = ['better-sqlite3', 'typescript', '@cdktf/hcl2json', 'aws-cdk-lib', 'constructs', 'tsx'];

/** An expression for `path` (relative to the package root) in an output file of dist/, which sits one level below it. */
const fromRoot = (path: string): string => `new URL(${JSON.stringify(`../${path}`)}, import.meta.url)`;

/** Each source module's `import.meta.*` as in the checkout: the module's own place in the package. */
const sourcePlaces: Plugin = {
  name: 'source-places',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const file = relative(ROOT, args.path).split('\\').join('/');
      if (!text.includes('import.meta') || file.startsWith('..') || file.includes('node_modules/')) return undefined;
      const contents = text
        .replaceAll('import.meta.url', `${fromRoot(file)}.href`)
        .replaceAll('import.meta.dirname', `__cmPath(${fromRoot(dirname(file))})`)
        .replaceAll('import.meta.filename', `__cmPath(${fromRoot(file)})`);
      return { contents, loader: 'ts' };
    });
  },
};

/** Builds dist/ from the sources; returns the seconds it took. */
export async function buildCli(): Promise<number> {
  const started = performance.now();
  rmSync(DIST, { recursive: true, force: true });
  const { metafile } = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: DIST,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: BUNDLE.format,
    // engines.node: the oldest Node the package runs on.
    target: 'node20.19',
    mainFields: [...BUNDLE.mainFields],
    sourcemap: true,
    minifySyntax: true,
    minifyWhitespace: true,
    external: EXTERNAL,
    chunkNames: 'chunk-[hash]',
    banner: { js: `${BUNDLE.banner} import { fileURLToPath as __cmPath } from 'node:url';` },
    plugins: [sourcePlaces],
    logLevel: 'warning',
    metafile: true,
  });
  // What bin/launch.js compares the bundle with: a checkout whose sources changed since runs them instead.
  const sources = Object.keys(metafile?.inputs ?? {}).filter((path) => !path.includes('node_modules/'));
  writeFileSync(join(DIST, SOURCES_FILE), `${JSON.stringify(sources.sort(), null, 1)}\n`);
  return (performance.now() - started) / 1000;
}

if (process.argv[1] === import.meta.filename) {
  const seconds = await buildCli();
  console.log(`cloudmend: built ${relative(ROOT, DIST)}/ in ${seconds.toFixed(1)} s`);
}
