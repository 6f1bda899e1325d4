/**
 * CloudFormation declarations as partial JSON. Intrinsics resolve where the template alone decides
 * their value: pseudo parameters (from the configuration item's account, region and partition),
 * `Fn::Sub` / `Fn::Join` over those, and references to resources whose physical name is declared.
 * Parameters stay unknown even with a default: the stack may have been deployed with another value.
 * Conditions, imports and everything else are unknown, never a difference.
 */
import { valueOf, type CfnResource, type CfnTemplate, type CfnValue } from '../iac/cloudformation/template.js';
import { hintFor } from './hints.js';
import { concat, isObject, stringPart, Unknown, type Partial, type PObject } from './partial.js';

export interface Pseudo {
  readonly account?: string | undefined;
  readonly region?: string | undefined;
  readonly partition: string;
}

const MAX_DEPTH = 20;

/** A resource's `Properties` in long form, when it is a map. */
function propertiesOf(resource: CfnResource): Readonly<Record<string, CfnValue>> | undefined {
  const node = valueOf(resource.node);
  const props = node && typeof node === 'object' && !Array.isArray(node) ? node.Properties : undefined;
  return props && typeof props === 'object' && !Array.isArray(props) ? props : undefined;
}

/** Marks a value removed by `!Ref AWS::NoValue`. */
const NO_VALUE = Symbol('AWS::NoValue');
type Value = Partial | typeof NO_VALUE;

function short(name: string, arg: CfnValue): string {
  const text = typeof arg === 'string' ? arg : JSON.stringify(arg);
  return `!${name.replace(/^Fn::/, '')} ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`;
}

export class CfnReader {
  private readonly byId: ReadonlyMap<string, CfnResource>;

  constructor(
    readonly template: CfnTemplate,
    readonly pseudo: Pseudo,
  ) {
    this.byId = new Map(template.resources.map((r) => [r.logicalId, r]));
  }

  /** A resource's `Properties` as a partial object. */
  props(resource: CfnResource, depth = 0): PObject {
    const props = propertiesOf(resource);
    if (!props) return {};
    const v = this.value(props, depth);
    return isObject(v) ? v : {};
  }

  /** One property of a resource, read without the rest (for hints about referenced resources). */
  private prop(resource: CfnResource, name: string, depth: number): Partial | undefined {
    const props = propertiesOf(resource);
    if (!props || !Object.hasOwn(props, name)) return undefined;
    const v = this.raw(props[name] as CfnValue, depth + 1);
    return v === NO_VALUE || v === null ? undefined : v;
  }

  value(v: CfnValue, depth = 0): Partial {
    const out = this.raw(v, depth);
    return out === NO_VALUE ? null : out;
  }

  private raw(v: CfnValue, depth: number): Value {
    if (depth > MAX_DEPTH) return new Unknown('deeply nested value');
    // `{{resolve:ssm:...}}` / `{{resolve:secretsmanager:...}}` are replaced at deploy time.
    if (typeof v === 'string' && v.includes('{{resolve:')) return new Unknown(v.replace(/(\{\{resolve:[a-z-]+):[^}]*\}\}/g, '$1:...}}'));
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => this.raw(x, depth + 1)).filter((x): x is Partial => x !== NO_VALUE);
    const keys = Object.keys(v);
    const [key] = keys;
    if (keys.length === 1 && key !== undefined && (key === 'Ref' || key === 'Condition' || key.startsWith('Fn::')))
      return this.intrinsic(key, v[key] as CfnValue, depth);
    const out: Record<string, Partial> = {};
    for (const [k, x] of Object.entries(v)) {
      const r = this.raw(x, depth + 1);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }

  private intrinsic(name: string, arg: CfnValue, depth: number): Value {
    if (name === 'Ref' && typeof arg === 'string') return this.ref(arg, depth);
    if (name === 'Fn::GetAtt') {
      const [id, attr] = typeof arg === 'string' ? arg.split('.') : Array.isArray(arg) ? arg : [];
      const target = typeof id === 'string' ? this.byId.get(id) : undefined;
      const source = short(
        name,
        typeof arg === 'string' ? arg : `${typeof id === 'string' ? id : '?'}.${typeof attr === 'string' ? attr : '?'}`,
      );
      if (!target || typeof attr !== 'string') return new Unknown(source);
      return hintFor(target.type, attr, (n) => this.prop(target, n, depth), source) ?? new Unknown(source);
    }
    if (name === 'Fn::Sub') return this.sub(arg, depth);
    if (name === 'Fn::Join' && Array.isArray(arg) && typeof arg[0] === 'string' && Array.isArray(arg[1])) {
      const parts: (string | Unknown)[] = [];
      arg[1].forEach((item, i) => {
        if (i > 0) parts.push(arg[0] as string);
        parts.push(stringPart(this.raw(item, depth + 1), short(name, item)));
      });
      return concat(parts, short(name, arg));
    }
    return new Unknown(short(name, arg));
  }

  private ref(id: string, depth: number): Value {
    switch (id) {
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::Partition':
        return this.pseudo.partition;
      case 'AWS::URLSuffix':
        return this.pseudo.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
      case 'AWS::AccountId':
        return this.pseudo.account ?? new Unknown('!Ref AWS::AccountId');
      case 'AWS::Region':
        return this.pseudo.region ?? new Unknown('!Ref AWS::Region');
    }
    const target = this.byId.get(id);
    const source = `!Ref ${id}`;
    if (!target) return new Unknown(source);
    return hintFor(target.type, 'Ref', (n) => this.prop(target, n, depth), source) ?? new Unknown(source);
  }

  private sub(arg: CfnValue, depth: number): Value {
    const [text, vars] =
      typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) && typeof arg[0] === 'string' ? [arg[0], arg[1] ?? {}] : [undefined, {}];
    if (text === undefined) return new Unknown(short('Fn::Sub', arg));
    const locals = vars && typeof vars === 'object' && !Array.isArray(vars) ? vars : {};
    const parts: (string | Unknown)[] = [];
    let last = 0;
    for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
      parts.push(text.slice(last, m.index));
      last = m.index + m[0].length;
      const inner = m[1] ?? '';
      // `${!Literal}` writes `${Literal}`.
      if (inner.startsWith('!')) {
        parts.push(`\${${inner.slice(1)}}`);
        continue;
      }
      const local = Object.hasOwn(locals, inner) ? locals[inner] : undefined;
      const expr: CfnValue = local !== undefined ? local : inner.includes('.') ? { 'Fn::GetAtt': inner.split('.', 2) } : { Ref: inner };
      parts.push(stringPart(this.raw(expr, depth + 1), `\${${inner}}`));
    }
    parts.push(text.slice(last));
    return concat(parts, short('Fn::Sub', text));
  }

  /**
   * Resources of `types` whose `link` property (a value or a list) refers to `target` by `Ref` or
   * `GetAtt`, or names it by one of its physical `names`.
   */
  siblings(target: CfnResource, types: readonly string[], link: string, names: readonly string[]): CfnResource[] {
    return this.template.resources.filter((r) => {
      if (!types.includes(r.type) || r.logicalId === target.logicalId) return false;
      const value = propertiesOf(r)?.[link];
      const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
      return items.some((item) => refersTo(item, target.logicalId) || (typeof item === 'string' && names.includes(item)));
    });
  }
}

function refersTo(value: CfnValue, logicalId: string): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  if (value.Ref === logicalId) return true;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) ? getAtt[0] === logicalId : typeof getAtt === 'string' && getAtt.split('.')[0] === logicalId) return true;
  const sub = value['Fn::Sub'];
  return typeof sub === 'string' && sub.replace(/\s/g, '') === `\${${logicalId}}`;
}
