/** Lambda entry of the Record task (see src/workflow/tasks.ts); its ports are the task's own. */
import { awsTaskContext } from '../src/aws/context.js';
import { artifacts } from '../src/aws/ports/artifacts.js';
import { ledger } from '../src/aws/ports/ledger.js';
import { findingUpdates } from '../src/aws/ports/securityhub.js';
import { taskHandler } from '../src/workflow/lambda.js';
import { record } from '../src/workflow/tasks/record.js';

export const handler = taskHandler('Record', record, awsTaskContext({ ledger, findingUpdates, artifacts }));
