/** The approval expiry sweep in AWS: DynamoDB ledger, Step Functions callbacks, Slack message updates. */
import { SFNClient } from '@aws-sdk/client-sfn';
import { expireApprovals, type ExpirySummary } from '../approvals/expiry.js';
import { updateApprovalMessage } from '../approvals/slack-notifier.js';
import { bundledConfig, once } from './context.js';
import { ledger } from './ports/ledger.js';
import { slackClient } from './ports/slack.js';
import { stepFunctionsCallbacks } from './step-functions.js';

const env = process.env;
const config = once(() => bundledConfig(env));
const deps = once(() => ({ ledger: ledger(env), callbacks: stepFunctionsCallbacks(new SFNClient({})) }));
const slack = once(() => slackClient(env));

export async function approvalExpiry(report: (message: string) => void): Promise<ExpirySummary> {
  return expireApprovals({
    ...deps(),
    now: () => new Date(),
    actor: 'cloudmend:approval-expiry',
    updateMessage: config().approvals.slack ? async (update) => updateApprovalMessage(await slack(), update) : undefined,
    report,
  });
}
