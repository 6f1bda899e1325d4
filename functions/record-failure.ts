/** Lambda entry of the RecordFailure task (see src/workflow/tasks.ts); its ports are the task's own. */
import { awsTaskContext } from '../src/aws/context.js';
import { artifacts } from '../src/aws/ports/artifacts.js';
import { ledger } from '../src/aws/ports/ledger.js';
import { taskHandler } from '../src/workflow/lambda.js';
import { recordFailure } from '../src/workflow/tasks/record-failure.js';

export const handler = taskHandler('RecordFailure', recordFailure, awsTaskContext({ ledger, artifacts }));
