/** Lambda entry of the Normalize task (see src/workflow/tasks.ts); its ports are the task's own. */
import { awsTaskContext } from '../src/aws/context.js';
import { artifacts } from '../src/aws/ports/artifacts.js';
import { ledger } from '../src/aws/ports/ledger.js';
import { taskHandler } from '../src/workflow/lambda.js';
import { normalize } from '../src/workflow/tasks/normalize.js';

export const handler = taskHandler('Normalize', normalize, awsTaskContext({ ledger, artifacts }));
