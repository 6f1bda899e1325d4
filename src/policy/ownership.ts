/** Which configured repository owns a finding's resource: by account, region, tags and stack. */
import type { RepositoryConfig } from '../config/schema.js';
import type { Finding } from '../findings/finding.js';

export const STACK_NAME_TAG = 'aws:cloudformation:stack-name';

export type Ownership = { readonly repository: RepositoryConfig } | { readonly repository?: undefined; readonly misses: readonly string[] };

/** Why `repo` does not own the finding, or undefined when it does. */
function miss(repo: RepositoryConfig, finding: Finding): string | undefined {
  const { owns } = repo;
  if (!owns.accounts.includes('*') && !owns.accounts.includes(finding.account))
    return `owns accounts ${owns.accounts.join(', ')}, not ${finding.account}`;
  if (owns.regions && !owns.regions.includes(finding.region)) return `owns regions ${owns.regions.join(', ')}, not ${finding.region}`;
  for (const [key, value] of Object.entries(owns.tags ?? {})) {
    const actual = finding.resource.tags[key];
    if (actual !== value) return `needs tag ${key}=${value}, the resource has ${actual === undefined ? 'no such tag' : `${key}=${actual}`}`;
  }
  if (owns.stacks) {
    const stack = finding.resource.tags[STACK_NAME_TAG];
    if (stack === undefined || !owns.stacks.includes(stack))
      return `owns stacks ${owns.stacks.join(', ')}, the resource is ${stack === undefined ? 'in no CloudFormation stack (no aws:cloudformation:stack-name tag)' : `in stack ${stack}`}`;
  }
  return undefined;
}

/** The first repository, in config order, whose every ownership condition holds. */
export function findOwner(repositories: readonly RepositoryConfig[], finding: Finding): Ownership {
  const misses: string[] = [];
  for (const repository of repositories) {
    const why = miss(repository, finding);
    if (why === undefined) return { repository };
    misses.push(`${repository.name} ${why}`);
  }
  return { misses };
}
