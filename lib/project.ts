/** Where the project's files are, for the stack to bundle and stage them. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The package root: `lib/..`, whether this is a checkout or an installed package. */
export const PROJECT_ROOT = join(import.meta.dirname, '..');

interface PackageJson {
  readonly dependencies?: Readonly<Record<string, string>>;
}

/** The directory a package resolves to from `from`, walking up node_modules as Node does. */
function packageDir(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`package ${name} is not installed (looked from ${from}); run npm ci`);
  }
}

/** A package and every runtime dependency it needs, each once, with where it is installed. */
export function packageClosure(name: string, from: string = PROJECT_ROOT): { readonly name: string; readonly dir: string }[] {
  const seen = new Map<string, string>();
  const visit = (pkg: string, base: string): void => {
    if (seen.has(pkg)) return;
    const dir = packageDir(pkg, base);
    seen.set(pkg, dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, dir);
  };
  visit(name, from);
  return [...seen].map(([pkg, dir]) => ({ name: pkg, dir }));
}
