/** The pull request every SCM adapter test opens, with the parts a test varies given as overrides. */
import type { BranchOwner, PullRequestInput } from '../../src/scm/port.js';

export const BRANCH = 'cloudmend/s3.8-1a2b3c4d5e6f7a8b';
/** The finding the branch belongs to. */
export const OWNER: BranchOwner = { kind: 'finding', id: '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d' };

export function pullRequestInput(overrides: Partial<PullRequestInput> = {}): PullRequestInput {
  return {
    repository: 'infra',
    branch: BRANCH,
    owner: OWNER,
    base: 'main',
    title: 'Block public access on bucket logs',
    body: 'Fixes S3.8.',
    commitMessage: 'fix(s3): block public access on logs\n\nSecurity Hub control S3.8.',
    files: [{ path: 'main.tf', content: 'fixed\n' }],
    labels: ['cloudmend'],
    ...overrides,
  };
}

/** The message of the commit an adapter writes for `input`: its message, then the owner's trailer. */
export function committedMessage(input: PullRequestInput): string {
  return `${input.commitMessage}\n\n${input.owner.kind === 'batch' ? 'Cloudmend-Batch' : 'Cloudmend-Fingerprint'}: ${input.owner.id}\n`;
}
