/** Lambda entry of the OpenPullRequest task (see src/workflow/tasks.ts); its ports are the task's own. */
import { awsTaskContext } from '../src/aws/context.js';
import { artifacts } from '../src/aws/ports/artifacts.js';
import { pullRequests } from '../src/aws/ports/github.js';
import { ledger } from '../src/aws/ports/ledger.js';
import { taskHandler } from '../src/workflow/lambda.js';
import { openPullRequest } from '../src/workflow/tasks/open-pull-request.js';

export const handler = taskHandler('OpenPullRequest', openPullRequest, awsTaskContext({ ledger, artifacts, pullRequests }));
