/**
 * The packages the sandbox bundle loads at run time rather than bundles, with every package they
 * need, read from an installed node_modules: what sandbox/Dockerfile copies beside the bundle.
 * A CDK app imports aws-cdk-lib and constructs and runs through tsx (with esbuild's binary for the
 * machine that installed them); the CDK fixer parses it with TypeScript, which reads its own
 * `__filename` when loaded (an ESM bundle has none); hcl2json reads its WebAssembly from its own directory.
 * Run as `tsx src/sandbox/runtime-modules.ts <node_modules> <destination>`: copies them there.
 */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** What the bundle leaves to node_modules (its esbuild externals, and what synth.ts resolves). */
export const RUNTIME_PACKAGES = ['@cdktf/hcl2json', 'aws-cdk-lib', 'constructs', 'tsx', 'typescript'] as const;

interface Manifest {
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** Where Node finds `name` from the package in `from`: its own node_modules, then each enclosing one up to `root`. */
function resolvePackage(root: string, from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (relative(root, dir) === '' || !dir.startsWith(root)) return undefined;
  }
}

/**
 * The directories (relative to `nodeModules`) holding `roots` and everything they depend on, outermost only:
 * a package nested in another's directory comes with it. Optional dependencies not installed
 * (another platform's esbuild binary) are skipped; a missing required one is an error.
 */
export function runtimeModules(nodeModules: string, roots: readonly string[] = RUNTIME_PACKAGES): string[] {
  const project = dirname(nodeModules);
  const found = new Set<string>();
  const visit = (dir: string): void => {
    if (found.has(dir)) return;
    found.add(dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    const optionalPeers = Object.entries(manifest.peerDependenciesMeta ?? {}).flatMap(([name, meta]) => (meta.optional ? [name] : []));
    const needed = [
      ...Object.keys(manifest.dependencies ?? {}).map((name) => ({ name, optional: false })),
      ...Object.keys(manifest.peerDependencies ?? {}).map((name) => ({ name, optional: optionalPeers.includes(name) })),
      ...Object.keys(manifest.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    ];
    for (const { name, optional } of needed) {
      const resolved = resolvePackage(project, dir, name);
      if (resolved) visit(resolved);
      else if (!optional) throw new Error(`${relative(nodeModules, dir)} needs ${name}, which is not installed in ${nodeModules}`);
    }
  };
  for (const name of roots) {
    const dir = join(nodeModules, name);
    if (!existsSync(join(dir, 'package.json'))) throw new Error(`${name} is not installed in ${nodeModules}; run npm ci`);
    visit(dir);
  }
  const dirs = [...found].map((dir) => relative(nodeModules, dir));
  return dirs.filter((dir) => !dirs.some((outer) => outer !== dir && dir.startsWith(`${outer}${sep}`))).sort();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [from, to] = process.argv.slice(2).map((p) => resolve(p));
  if (from === undefined || to === undefined) throw new Error('usage: runtime-modules.ts <node_modules> <destination>');
  for (const dir of runtimeModules(from)) cpSync(join(from, dir), join(to, dir), { recursive: true, verbatimSymlinks: true });
}
