/**
 * Deprecated Lambda runtimes and the runtime to move to, as of 2026-12-07.
 *
 * Source: the AWS Lambda Developer Guide, "Lambda runtimes"
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html), its supported and
 * deprecated runtime tables ("Deprecation date"), as cfn-lint 1.51.0 ships them
 * (cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json, MIT-0): every runtime deprecated on
 * or before 2026-12-07. Cross-checked against terraform-linters/tflint-ruleset-aws
 * (rules/aws_lambda_function_deprecated_runtime.go), which agrees but for a few old dates
 * (dotnet6, ruby2.7, nodejs, dotnetcore1.0). Update both maps when AWS deprecates a runtime or
 * ships a new major one.
 */

/** Runtime identifier → the date Lambda deprecated it (phase 1: no more patches, no new functions). */
export const DEPRECATED: Readonly<Record<string, string>> = {
  nodejs: '2016-08-30',
  'nodejs6.10': '2019-08-12',
  'nodejs4.3': '2020-03-05',
  'nodejs4.3-edge': '2020-03-05',
  'nodejs8.10': '2020-03-06',
  'nodejs10.x': '2021-07-30',
  'nodejs12.x': '2023-03-31',
  'nodejs14.x': '2023-12-04',
  'nodejs16.x': '2024-06-12',
  'nodejs18.x': '2025-09-01',
  'nodejs20.x': '2026-04-30',
  'python2.7': '2021-07-15',
  'python3.6': '2022-07-18',
  'python3.7': '2023-12-04',
  'python3.8': '2024-10-14',
  'python3.9': '2025-12-15',
  'python3.10': '2026-06-30',
  'python3.11': '2026-06-30',
  java8: '2024-01-08',
  java11: '2026-06-30',
  java17: '2026-06-30',
  'java8.al2': '2026-06-30',
  'dotnetcore2.0': '2019-05-30',
  'dotnetcore1.0': '2019-06-27',
  'dotnetcore2.1': '2022-01-05',
  'dotnetcore3.1': '2023-04-03',
  dotnet6: '2024-12-20',
  dotnet8: '2026-11-10',
  'ruby2.5': '2021-07-30',
  'ruby2.7': '2023-12-07',
  'ruby3.2': '2026-03-31',
  'go1.x': '2024-01-08',
  provided: '2024-01-08',
  'provided.al2': '2026-06-30',
};

/** The newest supported runtime of each family, by identifier prefix (longest first); dotnet10 is newer than cfn-lint 1.51.0's table. */
const CURRENT: readonly (readonly [string, string])[] = [
  ['dotnetcore', 'dotnet10'],
  ['dotnet', 'dotnet10'],
  ['nodejs', 'nodejs24.x'],
  ['python', 'python3.14'],
  ['java', 'java25'],
  ['ruby', 'ruby3.4'],
  // Go has run on the OS-only runtime since go1.x was deprecated.
  ['go', 'provided.al2023'],
  ['provided', 'provided.al2023'],
];

/** The runtime a function on `runtime` should move to. */
export function currentFor(runtime: string): string {
  return CURRENT.find(([prefix]) => runtime.startsWith(prefix))?.[1] ?? 'a supported runtime';
}
