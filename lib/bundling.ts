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
 * Data files a module reads beside itself (`new URL('./name', import.meta.url)`), which in a bundle
 * is beside the bundle: copied, under their own names, into each bundle that names them. Paths are
 * relative to the project root.
 */
export const COPIED_FILES = ['src/iac/replacement/replacement-terraform-aws.json', 'src/iac/replacement/replacement-cloudformation.json'];

/**
 * The AWS SDK is bundled, not taken from the runtime: the versions tested are the versions run,
 * and the bundle imports faster than the runtime's SDK files (measured: docs/performance.md).
 */
export const BUNDLE_AWS_SDK = true;

const CREDENTIAL_SOURCES = './lib/bundle-shims/lambda-credential-sources.ts';

/**
 * Packages replaced in every bundle, as esbuild `alias` (paths relative to the project root, where
 * esbuild runs), each for code a Lambda function can never reach; the files say why it is safe.
 * - `mime-db`: a 134 KB JSON table the Slack client reaches (form-data, mime-types) only to label
 *   files it uploads; cloudmend uploads none. An empty table stands in.
 * - The SDK's SSO, shared-file, process and web-identity credential sources, with the STS, SSO and
 *   sign-in clients they bring (90–110 KB in every bundle): Lambda gives the execution role's
 *   credentials in the environment, which the SDK's chain reads first. Unconfigured sources stand in.
 * Sizes before and after: docs/performance.md; test/lib/bundling.test.ts runs bundles built so.
 */
export const ALIASES: Readonly<Record<string, string>> = {
  'mime-db': './lib/bundle-shims/empty-mime-db.cjs',
  '@aws-sdk/credential-provider-sso': CREDENTIAL_SOURCES,
  '@aws-sdk/credential-provider-ini': CREDENTIAL_SOURCES,
  '@aws-sdk/credential-provider-process': CREDENTIAL_SOURCES,
  '@aws-sdk/credential-provider-web-identity': CREDENTIAL_SOURCES,
};

export const BUNDLE = {
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: true,
  mainFields: ['module', 'main'],
  // CommonJS packages inside an ES module bundle still call require() for Node built-ins.
  banner: "import { createRequire as __cmCreateRequire } from 'node:module'; const require = __cmCreateRequire(import.meta.url);",
} as const;
