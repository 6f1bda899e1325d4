/** Lambda entry of the Notify task (see src/workflow/tasks.ts); its ports are the task's own. */
import { awsTaskContext } from '../src/aws/context.js';
import { ledger } from '../src/aws/ports/ledger.js';
import { taskHandler } from '../src/workflow/lambda.js';
import { notify } from '../src/workflow/tasks/notify.js';

export const handler = taskHandler('Notify', notify, awsTaskContext({ ledger }));
