/**
 * Evaluating Terraform expressions on HashiCorp's syntax trees (`hashicorp.ts`), as far as a static
 * reader can: literals, templates, collections, operators, conditionals, `for` expressions,
 * indexing, the pure built-in functions (`functions.ts`), variables (their value from `tfvars` or
 * their default), locals and the declared arguments of the module's resources. What depends on the
 * world (a resource's computed attribute, a data source) is a named `Ref`; a conditional whose
 * condition cannot be evaluated is `Either` of its branches; everything else cloudmend cannot
 * evaluate is `Unknown`, never a guess.
 *
 * Template text is taken from HashiCorp's own reading of each template (escapes and `<<-` heredoc
 * indentation are its business); the interpolations in it are then evaluated here.
 */
import { expressionTree, metaText, readHclJson, type ExprNode } from './hashicorp.js';
import { callFunction } from './functions.js';
import { either, isDetermined, isList, isObject, optionsOf, Ref, refText, truth, Unknown, type Val } from '../values.js';

/** A template's text in pieces: literal text and the interpolated expressions between them. */
type Pieces = readonly (string | ExprNode)[];

/** An expression read by HashiCorp's parser, ready to evaluate. */
export interface Prepared {
  readonly text: string;
  readonly node: ExprNode;
  /** Each template node's pieces; absent for a template cloudmend cannot take apart (directives). */
  readonly templates: ReadonlyMap<ExprNode, Pieces>;
}

/** Where names resolve. */
export interface Scope {
  /** `var.name`: its value from tfvars or its default; `Unknown` when it has neither. */
  variable(name: string): Val;
  /** `local.name`. */
  local(name: string): Val;
  /** `aws_vpc.main` → what the module declares for that resource (its arguments), when it can tell. */
  declared(type: string, name: string): Val | undefined;
  /** Names bound by `for` expressions, `each`, `count` and dynamic block iterators. */
  readonly bound: ReadonlyMap<string, Val>;
  /** A stand-in for a resource attribute the provider makes up (`random_string.x.result`), to see what a name does with it. */
  readonly made?: ((reference: string) => Val | undefined) | undefined;
}

function walk(node: ExprNode, visit: (n: ExprNode) => void): void {
  visit(node);
  for (const child of node.children) walk(child, visit);
}

/**
 * The interpolations of a template as hcl2json writes them (`${source}`), in order: nested
 * templates and wrapped literals are written inline, directives (`%{if}`, `%{for}`) are not taken apart.
 */
function interpolations(node: ExprNode): ExprNode[] | undefined {
  const out: ExprNode[] = [];
  const part = (p: ExprNode): boolean => {
    if (p.type === 'literalValue') return true;
    if (p.type === 'template') return p.children.every(part);
    if (p.type === 'templateWrap') return p.children.length === 1 && part(p.children[0] as ExprNode);
    if (p.type === 'conditional' || p.type === 'templateJoin' || p.type === 'for') return false;
    out.push(p);
    return true;
  };
  return node.children.every(part) ? out : undefined;
}

/**
 * Splits hcl2json's text of a template into literal text and interpolations, matching each
 * `${...}` against the expected interpolation's source. Undefined when anything does not match
 * exactly (a directive, an unexpected interpolation): the template is then `Unknown`.
 */
function piecesOf(json: string, expected: readonly ExprNode[]): Pieces | undefined {
  const pieces: (string | ExprNode)[] = [];
  let text = '';
  let next = 0;
  let i = 0;
  while (i < json.length) {
    if (json.startsWith('$${', i) || json.startsWith('%%{', i)) {
      text += `${json.charAt(i)}{`;
      i += 3;
    } else if (json.startsWith('${', i)) {
      const node = expected[next++];
      const source = node?.meta.value;
      // hcl2json adds a `)` its range lacks after some expressions.
      const written = source === undefined ? undefined : [`\${${source}}`, `\${${source})}`].find((w) => json.startsWith(w, i));
      if (!node || written === undefined) return undefined;
      pieces.push(text, node);
      text = '';
      i += written.length;
    } else if (json.startsWith('%{', i)) return undefined;
    else text += json.charAt(i++);
  }
  pieces.push(text);
  return next === expected.length ? pieces : undefined;
}

/**
 * Reads expressions with HashiCorp's parser and takes their templates apart (one hcl2json call for
 * all of them). Throws `IacSyntaxError` for a text that is not an expression.
 */
export async function prepareAll(texts: readonly string[]): Promise<Map<string, Prepared>> {
  const unique = [...new Set(texts)];
  const nodes = await Promise.all(unique.map((t) => expressionTree(t)));
  const templates: { node: ExprNode; expected: ExprNode[] }[] = [];
  for (const root of nodes) {
    walk(root, (n) => {
      // Only templates written as such; those inside directives are raw text of the directive.
      if (n.type !== 'template' || !/^("|<<)/.test(n.meta.value ?? '')) return;
      const expected = interpolations(n);
      if (expected) templates.push({ node: n, expected });
    });
  }
  const decoded = new Map<ExprNode, Pieces>();
  if (templates.length > 0) {
    const json = await readHclJson('templates.tf', templates.map((t, i) => `t${i} = ${t.node.meta.value ?? '""'}\n`).join(''));
    templates.forEach((t, i) => {
      const written = json[`t${i}`];
      const pieces = typeof written === 'string' ? piecesOf(written, t.expected) : undefined;
      if (pieces) decoded.set(t.node, pieces);
    });
  }
  return new Map(unique.map((text, i) => [text, { text, node: nodes[i] as ExprNode, templates: decoded }]));
}

const MAX_DEPTH = 64;

class Evaluator {
  private depth = 0;

  constructor(
    private readonly prepared: Prepared,
    private readonly scope: Scope,
  ) {}

  run(node: ExprNode, bound: ReadonlyMap<string, Val> = this.scope.bound): Val {
    if (++this.depth > MAX_DEPTH) return new Unknown('an expression nested too deep');
    try {
      return this.node(node, bound);
    } finally {
      this.depth--;
    }
  }

  private node(node: ExprNode, bound: ReadonlyMap<string, Val>): Val {
    const kids = node.children;
    const at = (i: number): Val => (kids[i] ? this.run(kids[i], bound) : new Unknown('a missing operand'));
    switch (node.type) {
      case 'literalValue':
        return literal(node);
      case 'template':
        return this.template(node, bound);
      case 'templateWrap':
      case '':
        // `"${x}"` is x itself; `( x )` too (parentheses have no type of their own in the tree).
        return kids.length === 1 ? at(0) : new Unknown(`${node.meta.value ?? 'an expression'} is not evaluated`);
      case 'tuple':
        return kids.map((_, i) => at(i));
      case 'object':
        return this.object(node, bound);
      case 'scopeTraversal':
        return this.traversal(node, bound);
      case 'relativeTraversal':
        return applySteps(at(0), stepsOf(node));
      case 'index':
        return index(at(0), at(1));
      case 'splat':
        return splat(at(0), node);
      case 'conditional':
        return conditional(
          at(0),
          () => at(1),
          () => at(2),
        );
      case 'unaryOp':
        return lift([at(0)], ([v]) => unary(String(node.meta.operator), v ?? null));
      case 'binaryOp':
        return binary(String(node.meta.operator), at(0), () => at(1));
      case 'function': {
        const name = metaText(node, 'name');
        const args = kids.map((_, i) => at(i));
        if (node.meta.expandedFinalArgument === true) {
          const last = args.pop();
          if (!isList(last ?? null)) return new Unknown(`${name}(...) with an expanded argument that is not a list`);
          args.push(...(last as readonly Val[]));
        }
        return callFunction(name, args);
      }
      case 'for':
        return this.forExpression(node, bound);
      default:
        return new Unknown(`${node.meta.value ?? node.type} is not evaluated`);
    }
  }

  private template(node: ExprNode, bound: ReadonlyMap<string, Val>): Val {
    const pieces = this.prepared.templates.get(node);
    if (!pieces) return new Unknown('a template with directives (%{...})');
    let texts: string[] = [''];
    for (const piece of pieces) {
      const options = typeof piece === 'string' ? [piece] : optionsOf(this.run(piece, bound));
      const next: string[] = [];
      for (const option of options) {
        if (option instanceof Unknown) return option;
        const text =
          option instanceof Ref
            ? refText(option.name)
            : typeof option === 'string'
              ? option
              : typeof option === 'number' || typeof option === 'boolean'
                ? String(option)
                : undefined;
        if (text === undefined) return new Unknown('a template interpolating a value that is not text');
        for (const t of texts) next.push(`${t}${text}`);
      }
      if (next.length > 64) return new Unknown('a template over too many alternatives');
      texts = next;
    }
    return either(texts);
  }

  private object(node: ExprNode, bound: ReadonlyMap<string, Val>): Val {
    const out: Record<string, Val> = {};
    const kids = node.children;
    for (let i = 0; i + 1 < kids.length; i += 2) {
      const key = this.key(kids[i] as ExprNode, bound);
      if (typeof key !== 'string') return new Unknown('an object with a key cloudmend cannot evaluate');
      // Terraform refuses an object constructor that names a key twice.
      if (Object.hasOwn(out, key)) return new Unknown(`an object naming ${key} twice`);
      out[key] = this.run(kids[i + 1] as ExprNode, bound);
    }
    return out;
  }

  /** A key: a bare name (its text), or an expression in quotes or parentheses. */
  private key(node: ExprNode, bound: ReadonlyMap<string, Val>): Val {
    if (node.children.length === 1) return this.run(node.children[0] as ExprNode, bound);
    const range = (node as { range?: { start?: { byte?: number }; end?: { byte?: number } } }).range;
    const [start, end] = [range?.start?.byte, range?.end?.byte];
    if (start === undefined || end === undefined) return new Unknown('an object key');
    return Buffer.from(`${this.prepared.text}\n`, 'utf8').subarray(start, end).toString('utf8');
  }

  private traversal(node: ExprNode, bound: ReadonlyMap<string, Val>): Val {
    const steps = stepsOf(node);
    const [root, second, third] = steps;
    const full = metaText(node, 'fullAccessor') || (node.meta.value ?? '');
    if (!root) return new Unknown('an empty reference');
    if (bound.has(root.name)) return applySteps(bound.get(root.name) ?? null, steps.slice(1));
    if (root.name === 'var' && second) return applySteps(this.scope.variable(second.name), steps.slice(2));
    if (root.name === 'local' && second) return applySteps(this.scope.local(second.name), steps.slice(2));
    if (['each', 'count', 'self', 'path', 'terraform'].includes(root.name))
      return new Unknown(`${full} depends on where and how Terraform runs it`);
    if (root.name === 'data' || root.name === 'module' || root.name === 'ephemeral' || !second) return new Ref(full);
    // A resource's own argument, as the module declares it; its computed attributes come from AWS.
    const declared = third?.kind === 'name' ? this.scope.declared(root.name, second.name) : undefined;
    if (isObject(declared) && third && Object.hasOwn(declared, third.name)) {
      // What the module declares, when it is known; otherwise the attribute stays a named reference.
      const v = applySteps(declared[third.name] ?? null, steps.slice(3));
      return isDetermined(v) ? v : new Ref(full);
    }
    return this.scope.made?.(full) ?? new Ref(full);
  }

  private forExpression(node: ExprNode, bound: ReadonlyMap<string, Val>): Val {
    const meta = node.meta;
    const kids = node.children;
    const hasKey = typeof meta.keyExpression === 'string';
    const hasCondition = typeof meta.conditionalExpression === 'string';
    const [collection, keyExpr, valueExpr, condition] = [
      kids[0],
      hasKey ? kids[1] : undefined,
      kids[hasKey ? 2 : 1],
      hasCondition ? kids[hasKey ? 3 : 2] : undefined,
    ];
    if (!collection || !valueExpr || meta.groupedValue === true) return new Unknown('a for expression');
    const source = this.run(collection, bound);
    const entries: [Val, Val][] = isList(source)
      ? source.map((v, i) => [i, v])
      : isObject(source)
        ? Object.keys(source)
            .sort()
            .map((k) => [k, source[k] ?? null])
        : [];
    if (!isList(source) && !isObject(source)) return new Unknown('a for expression over a collection cloudmend cannot evaluate');
    const object = meta.openRangeValue === '{';
    const items: Val[] = [];
    const map: Record<string, Val> = {};
    for (const [k, v] of entries) {
      const scope = new Map(bound);
      if (typeof meta.keyVar === 'string' && meta.keyVar !== '') scope.set(meta.keyVar, k);
      scope.set(String(meta.valVar), v);
      if (condition) {
        const keep = truth(this.run(condition, scope));
        if (keep === undefined) return new Unknown('a for expression whose condition cloudmend cannot evaluate');
        if (!keep) continue;
      }
      const value = this.run(valueExpr, scope);
      if (!object) {
        items.push(value);
        continue;
      }
      const key = keyExpr ? this.run(keyExpr, scope) : undefined;
      if (typeof key !== 'string') return new Unknown('a for expression with keys cloudmend cannot evaluate');
      if (Object.hasOwn(map, key)) return new Unknown(`a for expression producing the key ${key} twice`);
      map[key] = value;
    }
    return object ? map : items;
  }
}

function literal(node: ExprNode): Val {
  const text = node.meta.value ?? '';
  switch (node.meta.type) {
    case 'number':
      return Number(text);
    case 'bool':
      return text === 'true';
    case 'dynamic':
      return null;
    default:
      // A bare string literal is only ever part of a template, which reads it with its escapes.
      return new Unknown('a string outside a template');
  }
}

interface Step {
  readonly kind: 'name' | 'index';
  readonly name: string;
}

function stepsOf(node: ExprNode): Step[] {
  const traversal = Array.isArray(node.meta.traversal) ? (node.meta.traversal as { type?: string; segment?: string }[]) : [];
  return traversal.map((t) => ({ kind: t.type === 'indexTraversal' ? 'index' : 'name', name: String(t.segment ?? '') }));
}

/** `[0]` → 0, `["k"]` → "k"; undefined for a key written some other way. */
function indexKey(segment: string): string | number | undefined {
  if (/^\d+$/.test(segment)) return Number(segment);
  if (/^"[^"\\$%]*"$/.test(segment)) return segment.slice(1, -1);
  return undefined;
}

function applySteps(value: Val, steps: readonly Step[]): Val {
  let v = value;
  for (const step of steps)
    v = step.kind === 'name' ? index(v, step.name, '.') : index(v, indexKey(step.name) ?? new Unknown(`the key ${step.name}`));
  return v;
}

/** `collection[key]` (or `.key`), over every alternative of both. */
function index(collection: Val, key: Val, join = ''): Val {
  return lift([collection, key], ([c, k]) => {
    if (c instanceof Ref) return new Ref(join === '.' && typeof k === 'string' ? `${c.name}.${k}` : `${c.name}[${JSON.stringify(k)}]`);
    if (isList(c ?? null) && typeof k === 'number') return (c as readonly Val[])[k] ?? new Unknown(`index ${k} is out of range`);
    if (isObject(c ?? null) && (typeof k === 'string' || typeof k === 'number')) {
      const map = c as Record<string, Val>;
      return Object.hasOwn(map, String(k)) ? (map[String(k)] ?? null) : new Unknown(`no ${String(k)} in the object`);
    }
    return new Unknown('indexing a value that is not a collection');
  });
}

/** `list[*].attr`: references stay references; lists of known objects are mapped. */
function splat(source: Val, node: ExprNode): Val {
  const each = node.children[1];
  const steps = each ? stepsOf(each) : [];
  if (source instanceof Ref) return new Ref(String(node.meta.value ?? source.name));
  if (isList(source)) return source.map((item) => applySteps(item, steps));
  return new Unknown('a splat over a value that is not a list');
}

function conditional(condition: Val, whenTrue: () => Val, whenFalse: () => Val): Val {
  const options = optionsOf(condition).map(truth);
  if (options.every((o) => o === true)) return whenTrue();
  if (options.every((o) => o === false)) return whenFalse();
  // cloudmend cannot tell which branch Terraform takes: either may.
  return either([whenTrue(), whenFalse()]);
}

function unary(operator: string, v: Val): Val {
  if (operator === 'logicalNot') {
    const t = truth(v);
    return t === undefined ? new Unknown('! of a value that is not a boolean') : !t;
  }
  return typeof v === 'number' ? -v : new Unknown('- of a value that is not a number');
}

const COMPARE: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  lessThan: (a, b) => a < b,
  lessThanOrEqual: (a, b) => a <= b,
  greaterThan: (a, b) => a > b,
  greaterThanOrEqual: (a, b) => a >= b,
};
const ARITHMETIC: Readonly<Record<string, (a: number, b: number) => number>> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
  divide: (a, b) => a / b,
  modulo: (a, b) => a % b,
};

function binary(operator: string, left: Val, right: () => Val): Val {
  // `false && x` and `true || x` do not depend on x.
  if (operator === 'logicalAnd' && optionsOf(left).every((o) => truth(o) === false)) return false;
  if (operator === 'logicalOr' && optionsOf(left).every((o) => truth(o) === true)) return true;
  return lift([left, right()], ([a, b]) => {
    const [x, y] = [a ?? null, b ?? null];
    if (x instanceof Ref || y instanceof Ref) return new Unknown(`${operator} of a value from outside the code`);
    if (operator === 'equal' || operator === 'notEqual') {
      const same = JSON.stringify(x) === JSON.stringify(y);
      return operator === 'equal' ? same : !same;
    }
    if (operator === 'logicalAnd' || operator === 'logicalOr') {
      const [p, q] = [truth(x), truth(y)];
      if (p === undefined || q === undefined) return new Unknown(`${operator} of values that are not booleans`);
      return operator === 'logicalAnd' ? p && q : p || q;
    }
    const [m, n] = [typeof x === 'number' ? x : Number.NaN, typeof y === 'number' ? y : Number.NaN];
    if (Number.isNaN(m) || Number.isNaN(n)) return new Unknown(`${operator} of values that are not numbers`);
    const compare = COMPARE[operator];
    if (compare) return compare(m, n);
    const arithmetic = ARITHMETIC[operator];
    if (!arithmetic || (operator === 'divide' && n === 0) || (operator === 'modulo' && n === 0))
      return new Unknown(`${operator} that Terraform would refuse`);
    return arithmetic(m, n);
  });
}

/** `f` over every combination of the alternatives of `values`; an `Unknown` among them is the result. */
function lift(values: readonly Val[], f: (vs: readonly (Val | undefined)[]) => Val): Val {
  let combos: Val[][] = [[]];
  for (const v of values) {
    combos = combos.flatMap((c) => optionsOf(v).map((o) => [...c, o]));
    if (combos.length > 64) return new Unknown('too many alternatives to follow');
  }
  return either(combos.map((combo) => combo.find((v) => v instanceof Unknown) ?? f(combo)));
}

/** The value of a prepared expression in a scope. Never throws: what it cannot evaluate is `Unknown`. */
export function evaluate(prepared: Prepared, scope: Scope): Val {
  return new Evaluator(prepared, scope).run(prepared.node);
}
