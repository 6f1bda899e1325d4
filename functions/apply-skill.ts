/** Lambda entry of the ApplySkill task (see src/workflow/tasks.ts); its ports are the task's own. */
import { awsTaskContext } from '../src/aws/context.js';
import { artifacts } from '../src/aws/ports/artifacts.js';
import { repositories } from '../src/aws/ports/github.js';
import { ledger } from '../src/aws/ports/ledger.js';
import { sandbox } from '../src/aws/ports/sandbox.js';
import { taskHandler } from '../src/workflow/lambda.js';
import { applySkill } from '../src/workflow/tasks/apply-skill.js';

export const handler = taskHandler('ApplySkill', applySkill, awsTaskContext({ ledger, repositories, artifacts, sandbox }));
