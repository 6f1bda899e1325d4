import type { RepositoryConfig } from '../config/schema.js';
import { CloudmendError } from '../errors.js';
import type { TaskContext } from './context.js';
import { repositoryNamed } from './item.js';
import type { ItemFinding } from './types.js';

/**
 * The configured repository a work item's finding was routed to (an item holds one repository's
 * findings), with `defaultBranch` the item's effective base: the branch every task reads and every
 * pull request is based on, `item.base` (a smoke test's scratch branch, proven by the ledger in
 * Normalize) or else the configured default branch. A decision naming no configured repository is a bug.
 */
export function repositoryOf(ctx: Pick<TaskContext, 'config'>, item: Pick<ItemFinding, 'decision' | 'base'>): RepositoryConfig {
  const name = repositoryNamed(item);
  const repo = ctx.config.repositories.find((r) => r.name === name);
  if (!repo) throw new CloudmendError(`no repository named ${name ?? '(none)'} in the configuration`);
  return item.base === undefined ? repo : { ...repo, defaultBranch: item.base };
}
