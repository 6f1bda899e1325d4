/** The pull request every SCM adapter test opens, with the parts a test varies given as overrides. */
import type { PullRequestInput } from '../../src/scm/port.js';

export const BRANCH = 'cloudmend/s3.8-1a2b3c4d';

export function pullRequestInput(overrides: Partial<PullRequestInput> = {}): PullRequestInput {
  return {
    repository: 'infra',
    branch: BRANCH,
    base: 'main',
    title: 'Block public access on bucket logs',
    body: 'Fixes S3.8.',
    commitMessage: 'fix(s3): block public access on logs\n\nSecurity Hub control S3.8.',
    files: [{ path: 'main.tf', content: 'fixed\n' }],
    labels: ['cloudmend'],
    ...overrides,
  };
}
