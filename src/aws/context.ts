/**
 * The task context of a deployed cloudmend: the same ports the local runtime binds, here bound to
 * DynamoDB, S3, GitHub, Slack and Security Hub. A function's entry passes the factories of the
 * ports its task declares (`src/aws/ports/`), so its bundle holds those adapters and no others;
 * each port connects on first use.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigSchema, type Config } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { describeIssues } from '../validation.js';
import type { Port, TaskContext } from '../workflow/context.js';
import { BUNDLED_CONFIG_FILE, ENV } from './environment.js';

/** Builds one port from the environment the stack set and the bundled config. */
export type PortFactory<P extends Port> = (env: NodeJS.ProcessEnv, config: Config) => TaskContext[P] | Promise<TaskContext[P]>;

export type PortFactories = { readonly [P in Port]?: PortFactory<P> };

/** A port whose adapter is created on the first call of any of its methods. */
export function lazyPort<T extends object>(create: () => T | Promise<T>): T {
  let instance: Promise<T> | undefined;
  return new Proxy({} as T, {
    get(_target, key) {
      if (key === 'then') return undefined;
      return async (...args: unknown[]) => {
        // A failed creation is not kept: the next call tries again (a secret fixed since, a throttled read).
        instance ??= Promise.resolve()
          .then(create)
          .catch((error: unknown) => {
            instance = undefined;
            throw error;
          });
        const port = (await instance) as Record<PropertyKey, (...a: unknown[]) => unknown>;
        return port[key]!(...args);
      };
    },
  });
}

/**
 * The config bundled next to the handler by the stack (or `CLOUDMEND_CONFIG_FILE`): JSON the stack
 * wrote from a config it had validated, validated again here (no YAML parser in the bundle).
 */
export function bundledConfig(env: NodeJS.ProcessEnv): Config {
  const file = env[ENV.configFile] ?? join(env.LAMBDA_TASK_ROOT ?? process.cwd(), BUNDLED_CONFIG_FILE);
  const parsed = ConfigSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new ConfigError(`${file} is not a valid cloudmend config:\n${describeIssues(parsed.error.issues).join('\n')}`);
  return parsed.data;
}

/** Memoises a value per container. */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/** Builds the context once per container; a port the entry did not pass throws when touched. */
export function awsTaskContext(factories: PortFactories, env: NodeJS.ProcessEnv = process.env): () => Promise<TaskContext> {
  // A promise, and a rejected one for a bad config, as the handlers await it.
  return once(() =>
    Promise.resolve().then((): TaskContext => {
      const config = bundledConfig(env);
      const port = <P extends Port>(name: P): TaskContext[P] => {
        const factory: PortFactory<P> | undefined = factories[name];
        return lazyPort<TaskContext[P]>(() => {
          if (!factory)
            throw new Error(
              `this function was not deployed with the ${name} port: add it to the task's ports in src/workflow/tasks.ts and to its entry`,
            );
          return factory(env, config);
        });
      };
      return {
        config,
        configDir: '/tmp',
        ledger: port('ledger'),
        repositories: port('repositories'),
        pullRequests: port('pullRequests'),
        artifacts: port('artifacts'),
        approvals: port('approvals'),
        findingUpdates: port('findingUpdates'),
        sandbox: port('sandbox'),
        now: () => new Date(),
        actor: `workflow:${env.AWS_LAMBDA_FUNCTION_NAME ?? 'cloudmend'}`,
      };
    }),
  );
}
