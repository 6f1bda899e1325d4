/**
 * Synthesizing a CDK app the way `cdk synth` does (CDK_OUTDIR, CDK_CONTEXT_JSON), but in the tool
 * jail: the app is repository code, so it runs with no network, no credentials and no file system
 * but its own copy and the modules it imports, read-only. Those modules are cloudmend's own
 * aws-cdk-lib and constructs unless `nodeModules` names a directory where the app's are installed;
 * TypeScript runs through cloudmend's tsx, whatever the app command names. Lookups from an account
 * are never made: an app that needs one synthesizes only from its committed `cdk.context.json`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ISOLATION_ENV, toolJail } from '../validators/jail.js';
import type { AppFile, CdkApp } from './app.js';
import { readAssembly, type Assembly } from './assembly.js';

const require = createRequire(import.meta.url);

/** Long enough for a large app on a loaded 2-core machine; an app that needs more is said to. */
export const SYNTH_TIMEOUT_MS = 180_000;
/** Frames kept per construct: enough to reach user code through deep construct libraries. */
const STACK_TRACE_LIMIT = 100;
/** What of the app's error output a reason quotes. */
const MAX_ERROR_CHARS = 600;

export interface SynthOptions {
  readonly env: NodeJS.ProcessEnv;
  /** A directory of installed packages the app imports (its own `node_modules`); cloudmend's by default. */
  readonly nodeModules?: string | undefined;
  readonly timeoutMs?: number | undefined;
}

export type SynthResult =
  | { readonly assembly: Assembly; readonly reason?: undefined }
  | { readonly assembly?: undefined; readonly reason: string };

/** cloudmend's own node_modules: where its aws-cdk-lib is installed. */
export function ownNodeModules(): string {
  return dirname(dirname(realpathSync(require.resolve('aws-cdk-lib/package.json'))));
}

function versionOf(pkg: string): string {
  return (require(`${pkg}/package.json`) as { version: string }).version;
}

/** The packages an app can import where cloudmend synthesizes by default, with their versions. */
export function providedPackages(): string {
  return `aws-cdk-lib ${versionOf('aws-cdk-lib')} and constructs ${versionOf('constructs')}`;
}

function writeCopy(copy: string, files: readonly AppFile[]): void {
  for (const file of files) {
    if (file.path.startsWith('/') || file.path.split('/').some((p) => p === '..' || p === '' || p === 'node_modules'))
      throw new Error(`app file path ${JSON.stringify(file.path)} is not a plain relative path`);
    const full = join(copy, file.path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, file.text);
  }
}

/**
 * The app's node_modules in its copy: a link to each package of `modules`, but source-map-support
 * (which `cdk init` apps register in their entry file) as a no-op. cloudmend's loader maps stack
 * traces to the TypeScript itself; source-map-support would point them into the compiled text,
 * where no construct can be found.
 */
function linkModules(copy: string, modules: string): void {
  const dir = join(copy, 'node_modules');
  mkdirSync(dir);
  for (const entry of readdirSync(modules, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'source-map-support') continue;
    symlinkSync(join(modules, entry.name), join(dir, entry.name), 'dir');
  }
  const shim = join(dir, 'source-map-support');
  mkdirSync(shim);
  writeFileSync(join(shim, 'package.json'), JSON.stringify({ name: 'source-map-support', version: '0.0.0', main: 'index.js' }));
  writeFileSync(
    join(shim, 'index.js'),
    'exports.install = () => {};\nexports.wrapCallSite = (frame) => frame;\nexports.getErrorSource = () => null;\n',
  );
  writeFileSync(join(shim, 'register.js'), '');
}

/** Stack frames, object dumps and Node's version line: what an error prints besides its message. */
const NOISE = /^\s*(at\s|\.\.\.|[{}]|Node\.js v\d|node:internal\/|\w+: .*,$|\^+$|\w+\($)/;

/** The app's error message (its first lines that are not stack frames), without the jail's paths, bounded. */
function tail(text: string, workdir: string): string {
  const lines = text
    .split(workdir)
    .join('.')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const said = lines.filter((l) => !NOISE.test(l));
  const kept = (said.length > 0 ? said.slice(0, 4) : lines.slice(-4)).join(' | ').replace(/\s+/g, ' ');
  return kept.length > MAX_ERROR_CHARS ? `${kept.slice(0, MAX_ERROR_CHARS)}…` : kept;
}

function failure(stderr: string, workdir: string, nodeModules: string | undefined): string {
  const missing = /Cannot find (?:module|package) '([^']+)'/.exec(stderr)?.[1];
  if (missing !== undefined) {
    const where = nodeModules === undefined ? `only ${providedPackages()} are installed there` : `${nodeModules} does not have it`;
    return (
      `the app imports ${JSON.stringify(missing.slice(0, 100))}, which cannot be resolved where cloudmend synthesizes ` +
      `(offline, in the sandbox: ${where}); see docs/cdk.md for the apps cloudmend synthesizes`
    );
  }
  return `the app did not synthesize: ${tail(stderr, workdir) || 'it exited with an error and printed nothing'}`;
}

/** Assemblies of the last apps synthesized in this process, by content: a run fixing several findings of one commit synthesizes it once. */
const recent = new Map<string, Promise<SynthResult>>();
const RECENT = 8;

/** Synthesizes `app` from `files` in the jail (or gives this process's assembly of the same files). */
export function synthesize(app: CdkApp, files: readonly AppFile[], options: SynthOptions): Promise<SynthResult> {
  const hash = createHash('sha256').update(JSON.stringify([app, options.nodeModules ?? '', options.env[ISOLATION_ENV] ?? '']));
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) hash.update(`\0${f.path}\0${f.text}`);
  const key = hash.digest('hex');
  const cached = recent.get(key);
  if (cached) return cached;
  const result = synthesizeNow(app, files, options);
  recent.set(key, result);
  if (recent.size > RECENT) recent.delete(recent.keys().next().value!);
  return result;
}

/** Synthesizes `app` from `files` in the jail; the assembly is read into memory and the copy removed. */
async function synthesizeNow(app: CdkApp, files: readonly AppFile[], options: SynthOptions): Promise<SynthResult> {
  const { jail, reason } = await toolJail(options.env);
  if (!jail) return { reason: `the CDK app is not synthesized outside a sandbox, and ${reason}` };
  const copy = mkdtempSync(join(tmpdir(), 'cloudmend-cdk-'));
  try {
    writeCopy(copy, files);
    const modules = realpathSync(options.nodeModules ?? ownNodeModules());
    linkModules(copy, modules);
    const loader = require.resolve('tsx');
    const workdir = jail.workdir(copy);
    const env = {
      CDK_OUTDIR: 'cdk.out',
      CDK_CONTEXT_JSON: JSON.stringify({
        ...app.context,
        // What `cdk synth` sets: resources carry their construct path; no bundling (Docker, esbuild) and no version resource.
        'aws:cdk:enable-path-metadata': true,
        'aws:cdk:bundling-stacks': [],
        'aws:cdk:version-reporting': false,
      }),
      // aws-cdk-lib's own template validation (a WebAssembly schema check, 80% of a small app's
      // synthesis) only writes a report of warnings nothing reads here: the skills' detectors judge the templates.
      CDK_VALIDATION: 'false',
      ...(app.tsconfig === undefined ? {} : { TSX_TSCONFIG_PATH: app.tsconfig }),
    };
    const command = [process.execPath, `--stack-trace-limit=${STACK_TRACE_LIMIT}`, '--import', pathToFileURL(loader).href, app.entry];
    const tools = [modules, dirname(dirname(dirname(loader)))];
    const run = await jail.run(command, { copy, tools, env, timeoutMs: options.timeoutMs ?? SYNTH_TIMEOUT_MS });
    if (run.timedOut) return { reason: `the app did not synthesize within ${(options.timeoutMs ?? SYNTH_TIMEOUT_MS) / 1000} s` };
    if (run.code !== 0) return { reason: failure(run.stderr || run.stdout, workdir, options.nodeModules) };
    return readAssembly(join(copy, 'cdk.out'), workdir);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
