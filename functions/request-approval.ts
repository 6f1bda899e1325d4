/** Lambda entry of the RequestApproval task (see src/workflow/tasks.ts); its ports are the task's own. */
import { awsTaskContext } from '../src/aws/context.js';
import { artifacts } from '../src/aws/ports/artifacts.js';
import { ledger } from '../src/aws/ports/ledger.js';
import { approvals } from '../src/aws/ports/slack.js';
import { taskHandler } from '../src/workflow/lambda.js';
import { requestApproval } from '../src/workflow/tasks/request-approval.js';

export const handler = taskHandler('RequestApproval', requestApproval, awsTaskContext({ ledger, artifacts, approvals }));
