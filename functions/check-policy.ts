/** Lambda entry of the CheckPolicy task (see src/workflow/tasks.ts); its ports are the task's own. */
import { awsTaskContext } from '../src/aws/context.js';
import { artifacts } from '../src/aws/ports/artifacts.js';
import { ledger } from '../src/aws/ports/ledger.js';
import { taskHandler } from '../src/workflow/lambda.js';
import { checkPolicy } from '../src/workflow/tasks/check-policy.js';

export const handler = taskHandler('CheckPolicy', checkPolicy, awsTaskContext({ ledger, artifacts }));
