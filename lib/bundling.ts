/**
 * How every Lambda entry is bundled, written once for the stack (NodejsFunction) and for
 * `npm run bench` (which measures the same bundles with esbuild directly).
 */

/**
 * Packages that cannot be inlined: @cdktf/hcl2json loads its WebAssembly parser from a path next
 * to its own files. They stay external and are copied into the bundles that import them.
 */
export const COPIED_PACKAGES = ['@cdktf/hcl2json'];

/**
 * The AWS SDK is bundled, not taken from the runtime: the versions tested are the versions run,
 * and the bundle imports faster than the runtime's SDK files (measured: docs/performance.md).
 */
export const BUNDLE_AWS_SDK = true;

export const BUNDLE = {
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: true,
  mainFields: ['module', 'main'],
  // CommonJS packages inside an ES module bundle still call require() for Node built-ins.
  banner: "import { createRequire as __cmCreateRequire } from 'node:module'; const require = __cmCreateRequire(import.meta.url);",
} as const;
