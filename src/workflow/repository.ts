import type { RepositoryConfig } from '../config/schema.js';
import { CloudmendError } from '../errors.js';
import type { TaskContext } from './context.js';

/** The configured repository a decision named; a decision naming another is a bug. */
export function repositoryOf(ctx: TaskContext, name: string | undefined): RepositoryConfig {
  const repo = ctx.config.repositories.find((r) => r.name === name);
  if (!repo) throw new CloudmendError(`no repository named ${name ?? '(none)'} in the configuration`);
  return repo;
}
