/** Lambda entry of the Locate task (see src/workflow/tasks.ts); its ports are the task's own. */
import { awsTaskContext } from '../src/aws/context.js';
import { repositories } from '../src/aws/ports/github.js';
import { artifacts } from '../src/aws/ports/artifacts.js';
import { ledger } from '../src/aws/ports/ledger.js';
import { taskHandler } from '../src/workflow/lambda.js';
import { locateTask } from '../src/workflow/tasks/locate.js';

export const handler = taskHandler('Locate', locateTask, awsTaskContext({ ledger, repositories, artifacts }));
