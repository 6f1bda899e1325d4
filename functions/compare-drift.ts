/** Lambda entry of the CompareDrift task (see src/workflow/tasks.ts); its ports are the task's own. */
import { awsTaskContext } from '../src/aws/context.js';
import { artifacts } from '../src/aws/ports/artifacts.js';
import { repositories } from '../src/aws/ports/github.js';
import { ledger } from '../src/aws/ports/ledger.js';
import { sandbox } from '../src/aws/ports/sandbox.js';
import { taskHandler } from '../src/workflow/lambda.js';
import { compareDrift } from '../src/workflow/tasks/compare-drift.js';

export const handler = taskHandler('CompareDrift', compareDrift, awsTaskContext({ ledger, repositories, artifacts, sandbox }));
