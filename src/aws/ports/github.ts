/** The repositories and pull-requests ports in AWS: GitHub, with the credentials in Secrets Manager. */
import type { Config } from '../../config/schema.js';
import { githubOctokit } from '../../scm/github-auth.js';
import { githubPullRequests, githubRepositories } from '../../scm/github.js';
import type { PortFactory } from '../context.js';
import { ENV, required } from '../environment.js';
import { githubSecret } from '../secrets.js';

/** GitHub repositories of the config, as the GitHub adapters take them (`location` is owner/name). */
export function githubRepositoriesOf(config: Config): Record<string, { owner: string; repo: string; defaultBranch: string }> {
  return Object.fromEntries(
    config.repositories.map((r) => {
      const [owner = '', repo = ''] = r.location.split('/');
      return [r.name, { owner, repo, defaultBranch: r.defaultBranch }];
    }),
  );
}

async function octokit(env: NodeJS.ProcessEnv) {
  return githubOctokit({ auth: await githubSecret(required(env, ENV.githubSecretArn)) });
}

export const repositories: PortFactory<'repositories'> = async (env, config) =>
  githubRepositories({ octokit: await octokit(env), repositories: githubRepositoriesOf(config) });

export const pullRequests: PortFactory<'pullRequests'> = async (env, config) =>
  githubPullRequests({ octokit: await octokit(env), repositories: githubRepositoriesOf(config) });
