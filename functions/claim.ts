/** Lambda entry of the Claim task (see src/workflow/tasks.ts); its ports are the task's own. */
import { awsTaskContext } from '../src/aws/context.js';
import { artifacts } from '../src/aws/ports/artifacts.js';
import { pullRequests } from '../src/aws/ports/github.js';
import { ledger } from '../src/aws/ports/ledger.js';
import { taskHandler } from '../src/workflow/lambda.js';
import { claim } from '../src/workflow/tasks/claim.js';

export const handler = taskHandler('Claim', claim, awsTaskContext({ ledger, artifacts, pullRequests }));
