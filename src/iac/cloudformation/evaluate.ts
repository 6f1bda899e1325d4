/**
 * The static string value of a CloudFormation expression, where one exists: literals, `Ref` to a
 * parameter's default or a pseudo parameter (the stack name when the finding tells it), `Fn::Sub`
 * (with or without its map), `Fn::Join`, `Fn::Select` and `Fn::Split` over those. Used to match
 * physical names; anything else (GetAtt, conditions, imports) has no static value.
 */
import { isMap } from 'yaml';
import { valueOf, type CfnTemplate, type CfnValue } from './template.js';

export interface Pseudo {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  /** The stack's name, from CloudFormation's `aws:cloudformation:stack-name` tag on the finding's resource. */
  readonly stackName?: string | undefined;
}

function pseudoValue(name: string, pseudo: Pseudo): string | undefined {
  const values: Record<string, string> = {
    'AWS::AccountId': pseudo.account,
    'AWS::Region': pseudo.region,
    'AWS::Partition': pseudo.partition,
    'AWS::URLSuffix': pseudo.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
    ...(pseudo.stackName === undefined ? {} : { 'AWS::StackName': pseudo.stackName }),
  };
  return Object.hasOwn(values, name) ? values[name] : undefined;
}

function parameterDefault(template: CfnTemplate, name: string): CfnValue | undefined {
  for (const doc of template.docs) {
    const params = doc.get('Parameters', true);
    if (!isMap(params)) continue;
    const param = params.get(name, true);
    if (isMap(param)) {
      const value = valueOf(param);
      if (value && typeof value === 'object' && !Array.isArray(value) && 'Default' in value) return value.Default;
    }
  }
  return undefined;
}

/** The static list an expression is: a literal list of static strings, `Fn::Split`, or a `CommaDelimitedList` parameter's default. */
function evaluateList(value: CfnValue | undefined, template: CfnTemplate, pseudo: Pseudo, depth: number): string[] | undefined {
  if (Array.isArray(value)) {
    const items = value.map((v) => evaluateString(v, template, pseudo, depth + 1));
    return items.every((i) => i !== undefined) ? items : undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const split = (value as Record<string, CfnValue>)['Fn::Split'];
  if (Array.isArray(split) && typeof split[0] === 'string') {
    const text = evaluateString(split[1], template, pseudo, depth + 1);
    return text === undefined ? undefined : text.split(split[0]);
  }
  const ref = (value as Record<string, CfnValue>).Ref;
  if (typeof ref === 'string') {
    const def = parameterDefault(template, ref);
    return typeof def === 'string' ? def.split(',') : evaluateList(def, template, pseudo, depth + 1);
  }
  return undefined;
}

export function evaluateString(value: CfnValue | undefined, template: CfnTemplate, pseudo: Pseudo, depth = 0): string | undefined {
  if (depth > 10 || value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return undefined;
  const [key, arg] = Object.entries(value)[0] ?? [];
  if (Object.keys(value).length !== 1 || key === undefined) return undefined;
  if (key === 'Ref' && typeof arg === 'string')
    return pseudoValue(arg, pseudo) ?? evaluateString(parameterDefault(template, arg), template, pseudo, depth + 1);
  if (key === 'Fn::Join' && Array.isArray(arg) && typeof arg[0] === 'string')
    return evaluateList(arg[1], template, pseudo, depth + 1)?.join(arg[0]);
  if (key === 'Fn::Select' && Array.isArray(arg)) {
    const index = Number(evaluateString(arg[0], template, pseudo, depth + 1));
    const list = evaluateList(arg[1], template, pseudo, depth + 1);
    return list && Number.isInteger(index) && index >= 0 ? list[index] : undefined;
  }
  if (key === 'Fn::Sub') {
    const [text, vars] =
      typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) && typeof arg[0] === 'string' ? [arg[0], arg[1] ?? {}] : [undefined, {}];
    if (text === undefined) return undefined;
    let unresolved = false;
    const out = text.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
      const local = vars && typeof vars === 'object' && !Array.isArray(vars) ? (vars as Record<string, CfnValue>)[name] : undefined;
      const resolved =
        local !== undefined
          ? evaluateString(local, template, pseudo, depth + 1)
          : name.includes('.')
            ? undefined
            : evaluateString({ Ref: name }, template, pseudo, depth + 1);
      if (resolved === undefined) unresolved = true;
      return resolved ?? '';
    });
    return unresolved ? undefined : out.replace(/\$\{!/g, '${');
  }
  return undefined;
}
