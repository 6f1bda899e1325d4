/** Stacks for the CDK tests, from the example AWS config; bundling is real only where a test needs it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CloudmendStack } from '../../lib/cloudmend-stack.js';
import type { CloudmendProps } from '../../lib/cloudmend.js';
import { PROJECT_ROOT } from '../../lib/project.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';

export const EXAMPLE_AWS_CONFIG = join(PROJECT_ROOT, 'examples', 'cloudmend.aws.yaml');

export function exampleConfig(edit: (text: string) => string = (t) => t): Config {
  return parseConfig(edit(readFileSync(EXAMPLE_AWS_CONFIG, 'utf8')), EXAMPLE_AWS_CONFIG);
}

export interface Built {
  readonly app: App;
  readonly stack: CloudmendStack;
  readonly template: Template;
}

/**
 * A synthesized stack. `bundle: false` skips esbuild (CDK's `aws:cdk:bundling-stacks` context), so
 * a test about resources does not pay for fourteen bundles; `nag` adds cdk-nag's AWS Solutions checks.
 * aws-cdk-lib's own schema validation of the template runs once per test run, in the CLI synth of
 * test/lib/checks.test.ts, not in every build here.
 */
export function build(options: { config?: Config; bundle?: boolean; nag?: boolean; props?: Partial<CloudmendProps> } = {}): Built {
  const app = new App({
    builtinCloudFormationValidation: false,
    context: options.bundle ? { 'aws:cdk:enable-asset-metadata': true } : { 'aws:cdk:bundling-stacks': [] },
  });
  // Environment-agnostic, as `cdk synth` without credentials: no lookups, AZs from Fn::GetAZs.
  const stack = new CloudmendStack(app, 'Cloudmend', { config: options.config ?? exampleConfig(), ...options.props });
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, template: Template.fromStack(stack) };
}

let example: Built | undefined;
/**
 * The stack of the example config, built once per worker (workers keep modules from file to file):
 * for files that only read it, never change it.
 */
export const exampleStack = (): Built => (example ??= build());
