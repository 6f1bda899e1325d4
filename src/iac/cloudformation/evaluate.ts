/**
 * The static string value of a CloudFormation expression, where one exists: literals, `Ref` to a
 * parameter's default or a pseudo parameter, `Fn::Sub` and `Fn::Join` over those. Used to match
 * physical names; anything else (GetAtt, conditions, imports) has no static value.
 */
import { isMap } from 'yaml';
import { valueOf, type CfnTemplate, type CfnValue } from './template.js';

export interface Pseudo {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

function pseudoValue(name: string, pseudo: Pseudo): string | undefined {
  const values: Record<string, string> = {
    'AWS::AccountId': pseudo.account,
    'AWS::Region': pseudo.region,
    'AWS::Partition': pseudo.partition,
    'AWS::URLSuffix': pseudo.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
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

export function evaluateString(value: CfnValue | undefined, template: CfnTemplate, pseudo: Pseudo, depth = 0): string | undefined {
  if (depth > 10 || value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return undefined;
  const [key, arg] = Object.entries(value)[0] ?? [];
  if (Object.keys(value).length !== 1 || key === undefined) return undefined;
  if (key === 'Ref' && typeof arg === 'string')
    return pseudoValue(arg, pseudo) ?? evaluateString(parameterDefault(template, arg), template, pseudo, depth + 1);
  if (key === 'Fn::Join' && Array.isArray(arg) && typeof arg[0] === 'string' && Array.isArray(arg[1])) {
    const parts = arg[1].map((p) => evaluateString(p, template, pseudo, depth + 1));
    return parts.every((p) => p !== undefined) ? parts.join(arg[0]) : undefined;
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
