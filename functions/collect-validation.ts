/** Lambda entry of the CollectValidation task (see src/workflow/tasks.ts); its ports are the task's own. */
import { awsTaskContext } from '../src/aws/context.js';
import { artifacts } from '../src/aws/ports/artifacts.js';
import { ledger } from '../src/aws/ports/ledger.js';
import { taskHandler } from '../src/workflow/lambda.js';
import { collectValidation } from '../src/workflow/tasks/collect-validation.js';

export const handler = taskHandler('CollectValidation', collectValidation, awsTaskContext({ ledger, artifacts }));
