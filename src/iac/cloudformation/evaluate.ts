/**
 * The static string values of a CloudFormation expression, where the template tells them: its
 * intrinsics evaluated as a deployment without parameter overrides gets them (`resolve.ts`:
 * parameter defaults or allowed values, mappings, conditions, `!Sub` with or without its map,
 * `!Join`, `!Select`, `!Split`, `!If`), and the pseudo parameters the finding tells (account,
 * region, partition, the stack name from its stack tag). Used to match physical names; anything
 * else (GetAtt, imports, parameters without a value) has no static value.
 */
import { asText, hasRef, optionsOf, refText, replaceRefs } from '../values.js';
import { cfnResolver, type CfnResolver } from './resolve.js';
import type { CfnTemplate, CfnValue } from './template.js';

export interface Pseudo {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  /** The stack's name, from CloudFormation's `aws:cloudformation:stack-name` tag on the finding's resource. */
  readonly stackName?: string | undefined;
}

function pseudoValues(pseudo: Pseudo): Readonly<Record<string, string>> {
  return {
    'AWS::AccountId': pseudo.account,
    'AWS::Region': pseudo.region,
    'AWS::Partition': pseudo.partition,
    'AWS::URLSuffix': pseudo.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
    ...(pseudo.stackName === undefined ? {} : { 'AWS::StackName': pseudo.stackName }),
  };
}

/** One resolver per template read: its parameters, mappings and conditions are read once. */
const resolvers = new WeakMap<CfnTemplate, CfnResolver>();

/** Every text `value` may be (several where a condition or a parameter's allowed values leave a choice), or undefined. */
export function evaluateStrings(value: CfnValue | undefined, template: CfnTemplate, pseudo: Pseudo): string[] | undefined {
  if (value === undefined) return undefined;
  const resolver = resolvers.get(template) ?? cfnResolver(template);
  resolvers.set(template, resolver);
  const resolved = resolver.resolve(value);
  if (resolved === undefined) return undefined;
  const known = pseudoValues(pseudo);
  const texts: string[] = [];
  for (const option of optionsOf(resolved)) {
    const text = asText(option);
    const replaced = text === undefined ? undefined : replaceRefs(text, (name) => known[name] ?? refText(name));
    if (replaced === undefined || hasRef(replaced)) return undefined;
    texts.push(replaced);
  }
  return texts;
}

/** The one text `value` is, or undefined. */
export function evaluateString(value: CfnValue | undefined, template: CfnTemplate, pseudo: Pseudo): string | undefined {
  const texts = evaluateStrings(value, template, pseudo);
  return texts?.length === 1 ? texts[0] : undefined;
}
