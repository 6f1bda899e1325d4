/**
 * The CDK app: `npx cdk synth|deploy -c region=<region> [-c config=<file>] [-c stackName=<name>]
 * [-c customAction=false] [-c reservedConcurrency=false] [-c sandboxArchitecture=x86_64]`. The
 * Region may come from AWS_REGION instead (lib/deploy-region.ts). The config is the same file the
 * CLI reads, validated the same way; cdk-nag's AWS Solutions checks run on synth.
 */
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig } from '../src/config/load.js';
import { isUserFacing } from '../src/errors.js';
import { CloudmendStack } from '../lib/cloudmend-stack.js';
import { deployRegion } from '../lib/deploy-region.js';
import type { SandboxArchitecture } from '../lib/sandbox.js';
import { PROJECT_ROOT } from '../lib/project.js';

/** Used when neither `-c config=` nor ./cloudmend.config.yaml names one: GitHub repositories. */
const EXAMPLE_CONFIG = 'examples/cloudmend.aws.yaml';

const app = new App();
const context = (key: string): string | undefined => app.node.tryGetContext(key) as string | undefined;
const explicit = context('config');
try {
  const region = deployRegion(context('region'), process.env);
  let loaded = loadConfig({ path: explicit });
  if (loaded.file === undefined) {
    console.error(`cloudmend: no config given (-c config=<file>) and no ./cloudmend.config.yaml; using the example ${EXAMPLE_CONFIG}`);
    loaded = loadConfig({ path: join(PROJECT_ROOT, EXAMPLE_CONFIG) });
  }
  const { config } = loaded;
  new CloudmendStack(app, context('stackName') ?? 'Cloudmend', {
    config,
    createCustomAction: String(context('customAction')) !== 'false',
    reservedConcurrency: String(context('reservedConcurrency')) !== 'false',
    sandboxArchitecture: context('sandboxArchitecture') as SandboxArchitecture | undefined,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
} catch (error) {
  if (!isUserFacing(error)) throw error;
  console.error(`cloudmend: ${error.message}`);
  process.exit(1);
}
