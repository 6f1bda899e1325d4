/**
 * Stands in, inside the Lambda bundles only (ALIASES in lib/bundling.ts), for the AWS SDK's
 * credential sources that a Lambda function never has: SSO, the shared config and credentials
 * files, `credential_process` and a web identity token file.
 *
 * The SDK's default chain tries the environment first, and Lambda always puts the execution role's
 * credentials there (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), so the sources
 * after it are never asked. They still cost each bundle 90–110 KB: they bring their own STS,
 * SSO, SSO OIDC and sign-in clients. Here each answers as an unconfigured source does, an error
 * that tells the chain to try the next link; the container and instance metadata sources after
 * them, and the environment before them, stay the SDK's own.
 */

/** What the chain reads from a source's failure: `tryNextLink` moves it on to the next source. */
class SourceNotBundled extends Error {
  override readonly name = 'CredentialsProviderError';
  readonly tryNextLink = true;
}

function absent(source: string): (init?: unknown) => () => Promise<never> {
  return () => () => Promise.reject(new SourceNotBundled(`${source} credentials are not read by cloudmend's Lambda functions (they use the execution role's, from the environment)`));
}

export const fromSSO = absent('SSO');
export const fromIni = absent('Shared config and credentials file');
export const fromProcess = absent('credential_process');
export const fromTokenFile = absent('Web identity token file');
