/**
 * Before anything is written: the repository to test, and whether the config would fix the smoke
 * finding there with a pull request.
 */
import type { Config, RepositoryConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { explainEvent } from '../policy/explain.js';
import type { SmokeFinding } from './finding.js';

/** The smoke finding's fingerprint and whether the config would fix it in `repository`, decided as the workflow decides. */
export function plannedFinding(smoke: SmokeFinding, config: Config, repository: string): { fingerprint: string } | { problem: string } {
  const explained = explainEvent(smoke.event, config);
  const first = explained.findings[0];
  if (explained.error !== undefined || first === undefined)
    return { problem: `the smoke finding is not one cloudmend reads: ${explained.error ?? 'no finding in it'}` };
  const { decision, finding } = first;
  if (decision.code !== 'remediate')
    return {
      problem: `the config would not fix the smoke finding (${decision.code}: ${decision.reason}); the smoke test needs S3.8 fixed`,
    };
  if (decision.tier !== 'pull_request' && decision.tier !== 'pull_request_with_approval')
    return {
      problem:
        `the policy gives S3.8 the tier ${decision.tier}${decision.policyRule ? ` (rule ${decision.policyRule})` : ''}, which opens no pull request: ` +
        'the smoke test needs pull_request or pull_request_with_approval for it',
    };
  if (decision.repository !== repository)
    return {
      problem:
        `the config routes the smoke finding to repository ${decision.repository} (it owns what ${repository} owns, and comes first), ` +
        `not ${repository}: test ${decision.repository} with --repository ${decision.repository}`,
    };
  return { fingerprint: finding.fingerprint };
}

/**
 * The configured repository to smoke-test: the one `name`d, or the only one. `none` is the message
 * when there is none at all; `unsuitable` says why a repository cannot be tested here, if it cannot.
 */
export function smokeRepository(
  repositories: readonly RepositoryConfig[],
  name: string | undefined,
  none: string,
  unsuitable: (repo: RepositoryConfig) => string | undefined,
): RepositoryConfig {
  if (repositories.length === 0) throw new UsageError(none);
  const repo = name === undefined ? (repositories.length === 1 ? repositories[0] : undefined) : repositories.find((r) => r.name === name);
  const names = repositories.map((r) => r.name).join(', ');
  if (repo === undefined)
    throw new UsageError(
      name === undefined
        ? `the config has ${repositories.length} repositories (${names}): say which with --repository <name>`
        : `no repository named ${name} in the config (have: ${names})`,
    );
  const why = unsuitable(repo);
  if (why !== undefined) throw new UsageError(why);
  return repo;
}
