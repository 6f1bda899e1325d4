/**
 * CloudFormation values as a deployment without parameter overrides gets them, for decisions that
 * must fail closed: intrinsic functions evaluated over parameter defaults, mappings and conditions;
 * a resource's `Ref`/`Fn::GetAtt` (and pseudo parameters such as the account id) stay named `Ref`s;
 * a condition cloudmend cannot decide gives `Either` branch; anything else is `Unknown`.
 * `AWS::NoValue` removes the property, as CloudFormation does.
 */
import { isMap, type Document } from 'yaml';
import { either, isList, optionsOf, Ref, refText, truth, Unknown, type Val } from '../values.js';
import { valueOf, type CfnTemplate, type CfnValue } from './template.js';

/** Stands for `AWS::NoValue`: the property is left out. */
const NO_VALUE = new Unknown('AWS::NoValue');

type Section = Readonly<Record<string, CfnValue>>;

export interface CfnResolver {
  /** A value with its intrinsics evaluated; `AWS::NoValue` properties dropped. */
  resolve(value: CfnValue | undefined): Val | undefined;
  /** A named condition's truth: a boolean, `Either` both, or `Unknown`. */
  condition(name: string): Val;
  /** A parameter's value without overrides: its default, `Unknown` without one. */
  parameter(name: string): Val;
}

function section(docs: readonly Document[], key: string): Section {
  for (const doc of docs) {
    const node = isMap(doc.contents) ? doc.contents.get(key, true) : undefined;
    const value = node === undefined ? undefined : valueOf(node);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  }
  return {};
}

const PSEUDO = new Set([
  'AWS::AccountId',
  'AWS::Region',
  'AWS::Partition',
  'AWS::URLSuffix',
  'AWS::StackName',
  'AWS::StackId',
  'AWS::NotificationARNs',
]);

function text(v: Val): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Ref) return refText(v.name);
  return undefined;
}

/** A string with a dynamic reference (`{{resolve:ssm:...}}`) is what the store holds at deploy time. */
function dynamic(text: string): Val {
  return /\{\{resolve:/.test(text)
    ? new Unknown(`${text.slice(text.indexOf('{{resolve:'), text.indexOf('{{resolve:') + 60)}… is read when the stack deploys`)
    : text;
}

/** The one intrinsic function an object is, `[name, argument]`; undefined for a plain map. */
function intrinsic(value: CfnValue): [string, CfnValue] | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const [name] = keys as [string];
  return name === 'Ref' || name === 'Condition' || name.startsWith('Fn::') ? [name, value[name] ?? null] : undefined;
}

/** Every combination of the alternatives of `values`, each through `f`; `Unknown` stops it. */
function over(values: readonly Val[], f: (vs: readonly Val[]) => Val): Val {
  let combos: Val[][] = [[]];
  for (const v of values) {
    combos = combos.flatMap((c) => optionsOf(v).map((o) => [...c, o]));
    if (combos.length > 64) return new Unknown('too many alternatives to follow');
  }
  return either(combos.map((c) => c.find((v) => v instanceof Unknown) ?? f(c)));
}

export function cfnResolver(template: CfnTemplate): CfnResolver {
  const parameters = section(template.docs, 'Parameters');
  const conditions = section(template.docs, 'Conditions');
  const mappings = section(template.docs, 'Mappings');
  const resources = new Set(template.resources.map((r) => r.logicalId));
  const busy = new Set<string>();

  const parameter = (name: string): Val => {
    const p = parameters[name];
    if (!p || typeof p !== 'object' || Array.isArray(p)) return new Unknown(`parameter ${name} is not declared`);
    const type = typeof p.Type === 'string' ? p.Type : 'String';
    // Its default is the name of a parameter in SSM: the value is whatever SSM holds at deploy time.
    if (type.startsWith('AWS::SSM::Parameter::Value<'))
      return new Unknown(`parameter ${name} is read from SSM Parameter Store when the stack deploys`);
    if (!('Default' in p)) {
      // Without a default, any allowed value may be given; without allowed values, anything.
      const allowed = Array.isArray(p.AllowedValues) ? (p.AllowedValues as Val[]) : undefined;
      return allowed && allowed.length > 0
        ? either(allowed)
        : new Unknown(`parameter ${name} has no default: its value is given at deploy time`);
    }
    const d = p.Default ?? null;
    if (/^(List<|CommaDelimitedList)/.test(type) && typeof d === 'string') return d.split(',').map((s) => s.trim());
    return d;
  };

  const condition = (name: string): Val => {
    if (busy.has(`condition ${name}`)) return new Unknown(`condition ${name} refers to itself`);
    if (!Object.hasOwn(conditions, name)) return new Unknown(`condition ${name} is not declared`);
    busy.add(`condition ${name}`);
    try {
      return resolve(conditions[name] ?? null) ?? new Unknown(`condition ${name}`);
    } finally {
      busy.delete(`condition ${name}`);
    }
  };

  const sub = (arg: CfnValue): Val => {
    const [pattern, vars] =
      typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) && typeof arg[0] === 'string' ? [arg[0], arg[1] ?? {}] : [undefined, {}];
    if (pattern === undefined || !vars || typeof vars !== 'object' || Array.isArray(vars))
      return new Unknown('Fn::Sub with arguments it cannot take');
    const names = [...pattern.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1] ?? '');
    const values = names.map((n): Val => {
      if (n.startsWith('!')) return `\${${n.slice(1)}}`;
      if (Object.hasOwn(vars, n)) return resolve((vars as Record<string, CfnValue>)[n] ?? null) ?? '';
      if (n.includes('.')) return new Ref(n);
      return resolve({ Ref: n }) ?? '';
    });
    return over(values, (vs) => {
      let i = 0;
      let failed = false;
      const done = (text: string): Val => dynamic(text);
      const out = pattern.replace(/\$\{([^}]*)\}/g, () => {
        const t = text(vs[i++] ?? null);
        if (t === undefined) failed = true;
        return t ?? '';
      });
      return failed ? new Unknown('Fn::Sub of a value that is not text') : done(out);
    });
  };

  const call = (name: string, arg: CfnValue): Val => {
    const list = Array.isArray(arg) ? arg : undefined;
    switch (name) {
      case 'Ref': {
        if (typeof arg !== 'string') return new Unknown('Ref to something that is not a name');
        if (arg === 'AWS::NoValue') return NO_VALUE;
        if (PSEUDO.has(arg) || resources.has(arg)) return new Ref(arg);
        return Object.hasOwn(parameters, arg) ? parameter(arg) : new Unknown(`Ref to ${arg}, which the template does not declare`);
      }
      case 'Fn::GetAtt': {
        const parts = Array.isArray(arg)
          ? arg.map((a) => (typeof a === 'string' ? a : undefined))
          : typeof arg === 'string'
            ? arg.split('.')
            : [];
        return parts.length >= 2 && parts.every((p) => p !== undefined)
          ? new Ref(parts.join('.'))
          : new Unknown('Fn::GetAtt with a computed name');
      }
      case 'Fn::ImportValue':
        return new Ref(`import:${JSON.stringify(arg)}`);
      case 'Fn::GetAZs':
        return new Ref('availability zones');
      case 'Fn::Sub':
        return sub(arg);
      case 'Fn::Join': {
        if (!list || typeof list[0] !== 'string') return new Unknown('Fn::Join with arguments it cannot take');
        const separator = list[0];
        return over([resolve(list[1] ?? null) ?? null], ([items]) => {
          if (!isList(items ?? null)) return new Unknown('Fn::Join of a value that is not a list');
          return over(items as readonly Val[], (parts) => {
            const texts = parts.map(text);
            return texts.every((t): t is string => t !== undefined)
              ? texts.join(separator)
              : new Unknown('Fn::Join of a value that is not text');
          });
        });
      }
      case 'Fn::Select':
        return over([resolve(list?.[0] ?? null) ?? null, resolve(list?.[1] ?? null) ?? null], ([i, items]) => {
          const index = typeof i === 'number' ? i : typeof i === 'string' && /^\d+$/.test(i) ? Number(i) : undefined;
          return index !== undefined && isList(items ?? null)
            ? ((items as readonly Val[])[index] ?? new Unknown('Fn::Select out of range'))
            : new Unknown('Fn::Select with arguments it cannot take');
        });
      case 'Fn::Split':
        return over([resolve(list?.[0] ?? null) ?? null, resolve(list?.[1] ?? null) ?? null], ([sep, s]) =>
          typeof sep === 'string' && typeof s === 'string' && !s.includes('\u0000')
            ? s.split(sep)
            : new Unknown('Fn::Split with arguments it cannot take'),
        );
      case 'Fn::If': {
        if (!list || typeof list[0] !== 'string') return new Unknown('Fn::If with arguments it cannot take');
        const [, whenTrue, whenFalse] = list;
        const c = optionsOf(condition(list[0])).map(truth);
        // A branch that is `AWS::NoValue` leaves the property out: null, as absent.
        const branch = (v: CfnValue | undefined): Val => resolve(v ?? null) ?? null;
        if (c.every((t) => t === true)) return branch(whenTrue);
        if (c.every((t) => t === false)) return branch(whenFalse);
        return either([branch(whenTrue), branch(whenFalse)]);
      }
      case 'Fn::FindInMap': {
        const [map, top, second] = (list ?? []).map((a) => resolve(a ?? null) ?? null);
        const table = typeof map === 'string' ? mappings[map] : undefined;
        if (!table || typeof table !== 'object' || Array.isArray(table))
          return new Unknown('Fn::FindInMap of a mapping the template does not declare');
        const tops = optionsOf(top ?? null).flatMap((t) => (typeof t === 'string' ? [t] : Object.keys(table)));
        return over([second ?? null], ([key]) =>
          either(
            tops.map((t) => {
              const row = (table as Record<string, CfnValue>)[t];
              const cell = row && typeof row === 'object' && !Array.isArray(row) && typeof key === 'string' ? row[key] : undefined;
              return cell === undefined ? new Unknown('Fn::FindInMap of a key the mapping does not have') : cell;
            }),
          ),
        );
      }
      case 'Fn::Base64':
        return resolve(arg) ?? null;
      case 'Fn::Length':
        return over([resolve(arg) ?? null], ([v]) =>
          isList(v ?? null) ? (v as readonly Val[]).length : new Unknown('Fn::Length of a value that is not a list'),
        );
      case 'Fn::ToJsonString':
        return over([resolve(arg) ?? null], ([v]) => JSON.stringify(v, (_, x: unknown) => (x instanceof Ref ? refText(x.name) : x)));
      case 'Fn::Equals':
        return over(
          (list ?? []).map((a) => resolve(a ?? null) ?? null),
          ([a, b]) =>
            a instanceof Ref || b instanceof Ref
              ? new Unknown('Fn::Equals of a value from outside the template')
              : JSON.stringify(a) === JSON.stringify(b),
        );
      case 'Fn::Not':
        return over([resolve(list?.[0] ?? null) ?? null], ([v]) =>
          truth(v ?? null) === undefined ? new Unknown('Fn::Not of a value that is not a boolean') : !truth(v ?? null),
        );
      case 'Fn::And':
      case 'Fn::Or':
        return over(
          (list ?? []).map((a) => resolve(a ?? null) ?? null),
          (vs) => {
            const ts = vs.map(truth);
            if (ts.some((t) => t === undefined)) return new Unknown(`${name} of a value that is not a boolean`);
            return name === 'Fn::And' ? ts.every(Boolean) : ts.some(Boolean);
          },
        );
      case 'Condition':
        return typeof arg === 'string' ? condition(arg) : new Unknown('Condition with a computed name');
      default:
        // Fn::Transform (a macro), Fn::Cidr and any function cloudmend does not know.
        return new Unknown(`${name} is not evaluated`);
    }
  };

  function resolve(value: CfnValue | undefined): Val | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string') return dynamic(value);
    if (value === null || typeof value !== 'object') return value;
    const fn = intrinsic(value);
    if (fn) {
      const v = call(fn[0], fn[1]);
      return v === NO_VALUE ? undefined : v;
    }
    if (Array.isArray(value))
      return value.flatMap((v) => {
        const r = resolve(v);
        return r === undefined ? [] : [r];
      });
    const out: Record<string, Val> = {};
    for (const [k, v] of Object.entries(value)) {
      if (Object.keys(value).length > 1 && (k === 'Ref' || k.startsWith('Fn::'))) return new Unknown(`a map mixing ${k} with other keys`);
      const r = resolve(v);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }

  return { resolve, condition, parameter };
}

/** True when the value is an intrinsic call named `name` anywhere inside `value` (`Fn::Transform` in a resource). */
export function callsIntrinsic(value: CfnValue | undefined, name: string): boolean {
  if (!value || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => callsIntrinsic(v, name));
  return Object.entries(value).some(([k, v]) => k === name || callsIntrinsic(v, name));
}
