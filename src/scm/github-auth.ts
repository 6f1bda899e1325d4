/**
 * An Octokit for the GitHub adapters, authenticated as a GitHub App installation (tokens minted
 * and refreshed by `@octokit/auth-app`) or with a plain token. Credentials are checked for shape
 * here so a misconfiguration fails before any request, with a message that never quotes them.
 *
 * `@octokit/core`, not `@octokit/rest`: the adapters call the dozen endpoints they use by route
 * (`octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', …)`, typed as the methods are),
 * which is all `octokit.rest.*` does, without its 80 KB table of every endpoint in each bundle.
 */
import { createPrivateKey } from 'node:crypto';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/core';
import { ScmError } from './errors.js';

/** A GitHub App installation; the private key is the PEM GitHub generated (PKCS#1 or PKCS#8). */
export interface GitHubAppCredentials {
  /** The App's id (or client id). */
  readonly appId: string;
  readonly privateKey: string;
  readonly installationId: number;
}

/** A personal access token, fine-grained or classic, or any installation token obtained elsewhere. */
export interface GitHubTokenCredentials {
  readonly token: string;
}

/** Options of {@link githubOctokit}. */
export interface GitHubOctokitOptions {
  readonly auth: GitHubAppCredentials | GitHubTokenCredentials;
  /** REST API root: `https://api.github.com` by default, `https://<host>/api/v3` for GitHub Enterprise Server. */
  readonly baseUrl?: string | undefined;
  /** Octokit request options, e.g. a `fetch` that goes through a proxy. */
  readonly request?: OctokitRequestOptions | undefined;
}

// Octokit's debug log holds request headers (credentials) and its error log a line per failed
// request, expected 404s included; the adapters raise errors that say more. Warnings (deprecated
// endpoints, clock skew against GitHub) stay visible.
const QUIET_LOG = { debug: () => undefined, info: () => undefined, warn: console.warn.bind(console), error: () => undefined };

type OctokitRequestOptions = NonNullable<NonNullable<ConstructorParameters<typeof Octokit>[0]>['request']>;

/** An Octokit authenticated with `options.auth`; a user-facing `ScmError` when the credentials are malformed. */
export function githubOctokit(options: GitHubOctokitOptions): Octokit {
  const common = {
    userAgent: 'cloudmend',
    log: QUIET_LOG,
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl.replace(/\/+$/, '') }),
    ...(options.request === undefined ? {} : { request: options.request }),
  };
  const { auth } = options;
  if ('token' in auth) {
    if (auth.token.trim() === '') throw new ScmError('the GitHub token is empty', { userFacing: true });
    return new Octokit({ ...common, auth: auth.token });
  }
  checkAppCredentials(auth);
  return new Octokit({
    ...common,
    authStrategy: createAppAuth,
    auth: { appId: auth.appId, privateKey: auth.privateKey, installationId: auth.installationId },
  });
}

function checkAppCredentials({ appId, privateKey, installationId }: GitHubAppCredentials): void {
  if (appId.trim() === '') throw new ScmError('the GitHub App id is empty', { userFacing: true });
  if (!Number.isSafeInteger(installationId) || installationId <= 0) {
    throw new ScmError(
      `the GitHub App installation id must be a positive integer (the number in the installation's settings URL), not ${String(installationId)}`,
      { userFacing: true },
    );
  }
  try {
    // auth-app accepts keys whose line breaks were escaped as `\n` (as in environment variables).
    createPrivateKey(privateKey.replace(/\\n/g, '\n'));
  } catch {
    // The parser's error is dropped: the key is a secret, and whatever quotes it must not be passed on.
    throw new ScmError(
      `the GitHub App private key is not a PEM private key; give the contents of the .pem file GitHub generated for app ${appId}`,
      { userFacing: true },
    );
  }
}
