/**
 * The Region the CDK app deploys to, which synth writes into ARNs, the Bedrock endpoint and the
 * Security Hub hub: named by the deployer, never assumed. The CDK CLI sets `CDK_DEFAULT_REGION` to
 * us-east-1 when nothing names a Region, so that value alone is not taken as a choice.
 */
import { CloudmendPropsError } from './cloudmend.js';

/** The CDK CLI's fallback when neither the environment nor the AWS profile names a Region. */
const CLI_FALLBACK = 'us-east-1';
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

const HOW = 'pass it at synth and deploy: `npx cdk deploy -c region=eu-west-1`, or put "region" in cdk.json\'s context, or set AWS_REGION';

/** The Region from `-c region=`, then AWS_REGION or AWS_DEFAULT_REGION, then the CLI's `CDK_DEFAULT_REGION` unless it is the fallback. */
export function deployRegion(context: unknown, env: NodeJS.ProcessEnv): string {
  const named = [
    ['-c region=', context],
    ['AWS_REGION', env.AWS_REGION],
    ['AWS_DEFAULT_REGION', env.AWS_DEFAULT_REGION],
  ] as const;
  for (const [source, value] of named) {
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string' || !REGION.test(value))
      throw new CloudmendPropsError(`${source} is ${JSON.stringify(value)}, which is not an AWS Region name (such as eu-west-1); ${HOW}`);
    return value;
  }
  const fromCli = env.CDK_DEFAULT_REGION;
  if (fromCli !== undefined && fromCli !== '' && fromCli !== CLI_FALLBACK) return fromCli;
  throw new CloudmendPropsError(
    `no AWS Region given: the stack's ARNs and endpoints are made for one Region at synth; ${HOW}.` +
      (fromCli === CLI_FALLBACK
        ? ` (The CDK CLI says ${CLI_FALLBACK}, which is also what it says when nothing names a Region: to deploy there, name it.)`
        : ''),
  );
}
