/**
 * One Lambda function of cloudmend: a `functions/<name>.ts` entry bundled by esbuild (ESM,
 * minified, source maps, ARM64, Node.js 22), its own role and log group, and the validated config
 * file next to the handler. Nothing is downloaded while bundling: packages esbuild cannot inline
 * are copied from the project's node_modules.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Config } from '../src/config/schema.js';
import { BUNDLED_CONFIG_FILE } from '../src/aws/environment.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../src/workflow/metrics.js';
import { ALIASES, BUNDLE, BUNDLE_AWS_SDK, COPIED_FILES, COPIED_PACKAGES } from './bundling.js';
import { acknowledgeTracing } from './nag.js';
import { packageClosure, PROJECT_ROOT } from './project.js';

export interface CloudmendFunctionProps {
  /** Entry file name in `functions/`, without `.ts`. */
  readonly entry: string;
  readonly description: string;
  readonly memoryMb: number;
  readonly timeout: Duration;
  readonly config: Config;
  readonly environment?: Readonly<Record<string, string>>;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** @default - no reserved concurrency */
  readonly reservedConcurrency?: number;
}

/** The validated config as a file, named by its content, for bundles to copy. */
function configFile(config: Config): string {
  const text = `${JSON.stringify(config, null, 2)}\n`;
  const dir = join(tmpdir(), 'cloudmend-config');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 16)}.json`);
  writeFileSync(file, text);
  return file;
}

const quote = (path: string): string => `'${path.replaceAll("'", "'\\''")}'`;

/** Copies each copied package (and what it needs) into a bundle that references it. */
function copyPackagesCommands(outputDir: string): string[] {
  return COPIED_PACKAGES.map((name) => {
    const copies = packageClosure(name).map(
      ({ name: dep, dir }) =>
        `mkdir -p ${quote(join(outputDir, 'node_modules', dep, '..'))} && cp -R ${quote(dir)} ${quote(join(outputDir, 'node_modules', dep))}`,
    );
    return `if grep -q ${quote(name)} ${quote(join(outputDir, 'index.mjs'))}; then ${copies.join(' && ')}; fi`;
  });
}

/** Copies each copied file into a bundle that names it, beside the bundle's one file. */
function copyFilesCommands(outputDir: string): string[] {
  return COPIED_FILES.map((file) => {
    const name = basename(file);
    return `if grep -q ${quote(name)} ${quote(join(outputDir, 'index.mjs'))}; then cp ${quote(join(PROJECT_ROOT, file))} ${quote(join(outputDir, name))}; fi`;
  });
}

export class CloudmendFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: CloudmendFunctionProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `cloudmend ${props.entry}: ${props.description}`,
    });
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: props.removalPolicy });
    const config = configFile(props.config);
    this.function = new NodejsFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, 'functions', `${props.entry}.ts`),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      description: `cloudmend ${props.entry}: ${props.description}`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMb,
      timeout: props.timeout,
      role: this.role,
      logGroup,
      tracing: lambda.Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLE.target,
        minify: BUNDLE.minify,
        sourceMap: BUNDLE.sourcemap,
        sourceMapMode: SourceMapMode.EXTERNAL,
        sourcesContent: false,
        mainFields: [...BUNDLE.mainFields],
        banner: BUNDLE.banner,
        logLevel: LogLevel.WARNING,
        bundleAwsSDK: BUNDLE_AWS_SDK,
        externalModules: COPIED_PACKAGES,
        // `--alias:<package>=<path>`, resolved from the project root where esbuild runs.
        esbuildArgs: { '--alias': Object.entries(ALIASES).map(([name, path]) => `${name}=${path}`) },
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_input: string, outputDir: string) => [
            `cp ${quote(config)} ${quote(join(outputDir, BUNDLED_CONFIG_FILE))}`,
            ...copyPackagesCommands(outputDir),
            ...copyFilesCommands(outputDir),
          ],
        },
      },
    });
    // The role is this function's own; its log group grant is the only one every function shares.
    logGroup.grantWrite(this.role);
    acknowledgeTracing(this);
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'cloudmend targets nodejs22.x deliberately: the runtime its tests and bundles are built for; a newer runtime is adopted in a release, not by drift.',
    });
  }
}
