/**
 * Lambda.2: functions run on supported runtimes. Moving to another major version of a language
 * can break the function's code and dependencies, so this skill never edits: it names the
 * deprecated runtime, when it was deprecated, and the current runtime of its family.
 */
import { nodeAt, propertyAt } from '../../iac/cloudformation/template.js';
import { cfnResolver } from '../../iac/cloudformation/resolve.js';
import { attribute } from '../../iac/terraform/hcl-structure.js';
import { optionsOf } from '../../iac/values.js';
import { tfString } from '../helpers.js';
import { defineSkill, type Violation } from '../types.js';
import { currentFor, DEPRECATED } from './runtimes.js';

const LAMBDA_MODULE = 'terraform-aws-modules/lambda/aws';

function verdict(runtime: string, resource: string, offset: number, through?: string): Violation[] {
  const date = DEPRECATED[runtime];
  if (date === undefined) return [];
  const data = { runtime, date, current: currentFor(runtime), ...(through === undefined ? {} : { through }) };
  return [
    { messageId: through === undefined ? 'deprecated' : 'deprecatedDefault', data, resource, offset, fixable: false, kind: 'violation' },
  ];
}

export default defineSkill({
  meta: {
    id: 'lambda-supported-runtime',
    title: 'Lambda functions run on supported runtimes',
    controls: ['Lambda.2'],
    configRules: ['lambda-function-settings-check'],
    fixable: 'suggestion',
    risk: 'none',
    messages: {
      deprecated:
        'Runtime {{runtime}} was deprecated on {{date}}: Lambda no longer patches it, and blocks creating, then updating, functions on it. Move the function to {{current}} (the current runtime for its language), after testing its code and dependencies on it.',
      deprecatedDefault:
        'Runtime {{runtime}} (through {{through}}, as the stack deploys without overriding its parameters) was deprecated on {{date}}: Lambda no longer patches it. Move the function to {{current}}, after testing its code and dependencies on it.',
    },
  },

  terraform: {
    resourceTypes: ['aws_lambda_function', `module:${LAMBDA_MODULE}`],
    detect({ module, resource }) {
      // Container image functions bring their own runtime: the control does not evaluate them.
      const runtime = tfString(module, resource.block.body, 'runtime');
      const attr = attribute(resource.block.body, 'runtime');
      return runtime === undefined ? [] : verdict(runtime, resource.address, attr?.span.start ?? resource.block.span.start);
    },
    fix() {
      return { edits: [] };
    },
  },

  cloudformation: {
    resourceTypes: ['AWS::Lambda::Function', 'AWS::Serverless::Function'],
    detect({ template, resource }) {
      const value = propertyAt(resource, ['Properties', 'Runtime']);
      const offset = nodeAt(resource, ['Properties', 'Runtime'])?.range?.[0] ?? resource.span.start;
      if (typeof value === 'string') return verdict(value, resource.logicalId, offset);
      if (!value || typeof value !== 'object') return [];
      const through = JSON.stringify(value);
      const resolved = cfnResolver(template).resolve(value);
      return (resolved === undefined ? [] : optionsOf(resolved)).flatMap((o) =>
        typeof o === 'string' ? verdict(o, resource.logicalId, offset, through) : [],
      );
    },
    fix() {
      return { edits: [] };
    },
  },
});
