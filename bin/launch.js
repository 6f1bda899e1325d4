// Loads one of cloudmend's programs: the JavaScript bundle in dist/ (scripts/build-cli.ts, run by
// npm's `prepare`), which starts in a fraction of the time the TypeScript sources take. In a checkout
// where dist/ is missing or older than src/ (sources edited, not built yet), the sources run through
// tsx instead, with a one-line notice: always what src/ says, and no build racing another process.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(import.meta.dirname, '..');

/** Why the bundle dist/<name>.js of the package in `root` is not its TypeScript `source` as it is, or undefined when it is. */
export function stale(root, name, source) {
  const bundle = join(root, 'dist', `${name}.js`);
  // An installed package ships dist/ without the TypeScript: the bundle is the program.
  if (!existsSync(join(root, source))) return undefined;
  if (!existsSync(bundle)) return 'dist/ is not built';
  const built = statSync(bundle).mtimeMs;
  // The files the build read (scripts/build-cli.ts lists them): one edited or removed since makes the bundle stale.
  let sources;
  try {
    sources = JSON.parse(readFileSync(join(root, 'dist', 'sources.json'), 'utf8'));
  } catch {
    return 'dist/ is incomplete';
  }
  const changed = sources.find((file) => (statSync(join(root, file), { throwIfNoEntry: false })?.mtimeMs ?? Infinity) > built);
  return changed === undefined ? undefined : `${changed} changed after dist/ was built`;
}

/** Imports the program `name` (dist/<name>.js), or its TypeScript `source` (relative to the package) in a checkout not built since it changed. */
export async function load(name, source) {
  const why = stale(ROOT, name, source);
  if (why === undefined) return import(pathToFileURL(join(ROOT, 'dist', `${name}.js`)).href);
  process.stderr.write(`cloudmend: ${why}: running the TypeScript sources through tsx (npm run build, to start faster)\n`);
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(join(ROOT, source)).href);
}
