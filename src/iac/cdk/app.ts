/**
 * A CDK app as its `cdk.json` declares it: the one file its `app` command runs, and the context the
 * CDK CLI would hand it. The command is repository content, so it never runs as written: cloudmend
 * recognises the forms `cdk init` and projen write (ts-node, tsx or node on one TypeScript or
 * JavaScript file) and runs that file itself, with its own TypeScript loader, in the sandbox.
 * Anything else (a shell pipeline, another language, a build step) is said, never guessed.
 */

/** The files of the app, repository-relative (what the sandbox receives). */
export interface AppFile {
  readonly path: string;
  readonly text: string;
}

export interface CdkApp {
  /** The file the app command runs, repository-relative. */
  readonly entry: string;
  /** The `app` command as written, for messages. */
  readonly command: string;
  /** `cdk.json`'s `context`, then `cdk.context.json`'s cached lookups: what `cdk synth` passes. */
  readonly context: Readonly<Record<string, unknown>>;
  /** The tsconfig the command names (`-P tsconfig.dev.json`), if any. */
  readonly tsconfig?: string | undefined;
}

export type AppResult = { readonly app: CdkApp; readonly reason?: undefined } | { readonly app?: undefined; readonly reason: string };

const RUNNERS = new Set(['ts-node', 'tsx', 'node']);
/** Flags of those runners that change nothing cloudmend's loader needs to know; `-P` is read. */
const IGNORED_FLAGS = new Set(['--prefer-ts-exts', '-T', '--transpile-only', '--swc', '--esm', '--yes', '-y']);
const PROJECT_FLAGS = new Set(['-P', '--project']);
const REQUIRE_FLAGS = new Set(['-r', '--require']);
/** What a `node -r` may preload: source maps, which cloudmend's loader has already. */
const PRELOADS = new Set(['source-map-support/register', 'ts-node/register']);
const ENTRY = /\.(ts|mts|cts|js|mjs|cjs)$/;
const SAFE_WORD = /^[\w@./+-]+$/;

export const SUPPORTED_COMMANDS =
  'cloudmend synthesizes apps whose cdk.json "app" runs one TypeScript or JavaScript file with ts-node, tsx or node ' +
  '(as `cdk init` and projen write it: "npx ts-node --prefer-ts-exts bin/app.ts")';

function jsonObject(text: string, file: string): Record<string, unknown> | string {
  try {
    const value = JSON.parse(text) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    return `${file} is not a JSON object`;
  } catch (error) {
    return `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
  }
}

/** The entry file of an app command, or why cloudmend does not run it. */
export function entryOf(command: string, exists: (path: string) => boolean): { entry: string; tsconfig?: string } | { reason: string } {
  const shown = JSON.stringify(command.length > 200 ? `${command.slice(0, 199)}…` : command);
  const unsupported = (why: string) => ({ reason: `the app command ${shown} ${why}; ${SUPPORTED_COMMANDS}` });
  const words = command.trim().split(/\s+/);
  if (words.some((w) => !SAFE_WORD.test(w))) return unsupported('is not a plain command (quotes, variables or shell operators)');
  if (words[0] === 'npx') words.shift();
  const runner = words.shift() ?? '';
  if (!RUNNERS.has(runner)) return unsupported(`runs ${JSON.stringify(runner)}`);
  const files: string[] = [];
  let tsconfig: string | undefined;
  while (words.length > 0) {
    const word = words.shift()!;
    if (IGNORED_FLAGS.has(word)) continue;
    if (PROJECT_FLAGS.has(word) && runner === 'ts-node') tsconfig = words.shift();
    else if (REQUIRE_FLAGS.has(word) && PRELOADS.has(words[0] ?? '')) words.shift();
    else if (word.startsWith('-')) return unsupported(`passes ${runner} the option ${word}`);
    else files.push(word);
  }
  const [file, ...rest] = files;
  if (file === undefined || rest.length > 0 || !ENTRY.test(file)) return unsupported('does not name exactly one .ts or .js file');
  const path = file.replace(/^\.\//, '');
  if (path.split('/').includes('..') || path.startsWith('/')) return unsupported('names a file outside the repository');
  if (tsconfig !== undefined && (tsconfig.split('/').includes('..') || tsconfig.startsWith('/')))
    return unsupported('names a tsconfig outside the repository');
  // `node bin/app.js` runs what a build compiled from bin/app.ts; the repository holds the TypeScript.
  const source = path.replace(/\.js$/, '.ts');
  const entry = exists(path) ? path : exists(source) ? source : undefined;
  if (entry === undefined) return { reason: `the app command ${shown} runs ${path}, which is not in the repository` };
  return { entry, ...(tsconfig === undefined ? {} : { tsconfig: tsconfig.replace(/^\.\//, '') }) };
}

/** The app `files` declare in their top-level `cdk.json`, or why there is none cloudmend can run. */
export function readCdkApp(files: readonly AppFile[]): AppResult {
  const byPath = new Map(files.map((f) => [f.path, f.text]));
  return readCdkAppWith((path) => byPath.get(path));
}

/** The same, reading only the files it needs (cdk.json, cdk.context.json, the entry): `read` gives undefined for a file that is not there. */
export function readCdkAppWith(read: (path: string) => string | undefined): AppResult {
  const manifest = read('cdk.json');
  if (manifest === undefined) return { reason: 'the repository has no cdk.json at its root: cloudmend reads a CDK app from there' };
  const parsed = jsonObject(manifest, 'cdk.json');
  if (typeof parsed === 'string') return { reason: parsed };
  const command = parsed.app;
  if (typeof command !== 'string' || command.trim() === '') return { reason: 'cdk.json has no "app" command' };
  const entry = entryOf(command, (path) => read(path) !== undefined);
  if ('reason' in entry) return { reason: entry.reason };
  const cached = read('cdk.context.json');
  const lookups = cached === undefined ? {} : jsonObject(cached, 'cdk.context.json');
  if (typeof lookups === 'string') return { reason: lookups };
  const declared = parsed.context;
  const context = {
    ...(declared !== null && typeof declared === 'object' && !Array.isArray(declared) ? declared : {}),
    ...lookups,
  };
  return { app: { entry: entry.entry, command, context, tsconfig: entry.tsconfig } };
}
