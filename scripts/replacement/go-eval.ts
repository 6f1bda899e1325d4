/**
 * Follows Go expressions to the literal they stand for: through local and package variables,
 * constants of any package, calls of functions without side conditions (their `return`), function
 * references and immediately called function literals. What cannot be followed is `undefined`.
 */
import { closing, splitTopLevel, tokensOf } from './go-source.js';
import type { GoFile, GoPackage, Span } from './go-source.js';

/** A composite literal `Type{...}`: `type` is its type as written ('' when elided), `body` inside the braces. */
export interface Composite {
  readonly type: string;
  readonly body: Span;
  /** The function body the literal sits in, for its local variables. */
  readonly scope: Span | undefined;
}

const MODULE = 'github.com/hashicorp/terraform-provider-aws/';
const MAX_DEPTH = 30;

export class GoEvaluator {
  private readonly byImport = new Map<string, GoPackage | undefined>();

  constructor(private readonly packages: ReadonlyMap<string, GoPackage>) {}

  /** The package an import path names, when it is part of the provider and was read. */
  packageOf(importPath: string): GoPackage | undefined {
    if (!this.byImport.has(importPath)) {
      const rel = importPath.startsWith(MODULE) ? importPath.slice(MODULE.length) : undefined;
      const found = rel === undefined ? undefined : [...this.packages.values()].find((p) => p.dir === rel || p.dir.endsWith(`/${rel}`));
      this.byImport.set(importPath, found);
    }
    return this.byImport.get(importPath);
  }

  /** What `name` or `qualifier.name` refers to from `file`: a value expression or a function body. */
  resolve(file: GoFile, qualifier: string | undefined, name: string): { value?: Span; func?: Span } {
    const pkg = qualifier === undefined ? file.pkg : this.packageOf(file.imports.get(qualifier) ?? '');
    if (!pkg) return {};
    const value = pkg.values.get(name);
    if (value) return { value };
    const func = pkg.funcs.get(name);
    return func ? { func } : {};
  }

  /** The composite literal an expression evaluates to. */
  composite(expr: Span, scope: Span | undefined, depth = 0): Composite | undefined {
    if (depth > MAX_DEPTH || expr.to <= expr.from) return undefined;
    const { tokens } = expr.file;
    let from = expr.from;
    while (tokens[from]?.text === '&' || tokens[from]?.text === '*') from++;
    const last = expr.to - 1;
    const end = tokens[last]!;
    if (end.text === '}') {
      const open = openingOf(expr.file, from, last);
      const body = { file: expr.file, from: open + 1, to: last };
      if (tokens[from]!.text === 'func') return this.returned(body, depth + 1, scope);
      return {
        type: tokensOf({ file: expr.file, from, to: open })
          .map((t) => t.text)
          .join(''),
        body,
        scope,
      };
    }
    if (end.text === ')') {
      const open = openingOf(expr.file, from, last);
      if (tokens[from]!.text === 'func') {
        // func() T { ... }()
        const bodyOpen = openingOf(expr.file, from, open - 1);
        return this.returned({ file: expr.file, from: bodyOpen + 1, to: open - 1 }, depth + 1, scope);
      }
      // f[T](...) calls f
      const calleeEnd = tokens[open - 1]?.text === ']' ? openingOf(expr.file, from, open - 1) : open;
      const callee = tokensOf({ file: expr.file, from, to: calleeEnd })
        .map((t) => t.text)
        .join('');
      // var x = sync.OnceValue(func() T { ... }): the function is the value
      const args = { file: expr.file, from: open + 1, to: last };
      if (callee === 'sync.OnceValue') return this.composite(args, scope, depth + 1);
      return this.named({ file: expr.file, from, to: calleeEnd }, scope, depth);
    }
    return this.named({ file: expr.file, from, to: expr.to }, scope, depth);
  }

  /** A name (`x`, `pkg.X`) followed to a literal: a variable's value or a function's result. */
  private named(span: Span, scope: Span | undefined, depth: number): Composite | undefined {
    const parts = tokensOf(span).map((t) => t.text);
    if (parts.length === 1) {
      const local = scope && localAssignment(scope, parts[0]!);
      if (local) return this.composite(local, scope, depth + 1);
    }
    const ref =
      parts.length === 1
        ? this.resolve(span.file, undefined, parts[0]!)
        : parts.length === 3 && parts[1] === '.'
          ? this.resolve(span.file, parts[0], parts[2]!)
          : {};
    if (ref.value) return this.composite(ref.value, undefined, depth + 1);
    if (ref.func) return this.returned(ref.func, depth + 1);
    return undefined;
  }

  /**
   * The literal a function body returns (its last `return` at the top of the body). A function
   * literal's locals are looked up in the function around it too (`scope`), which contains it.
   */
  returned(body: Span, depth = 0, scope: Span = body): Composite | undefined {
    const expr = returnExpression(body);
    const value = expr && this.composite(expr, scope, depth + 1);
    if (value) return value;
    // A helper that builds its one literal in steps (a cache, a local map filled later): that literal.
    const literals = outermostLiterals(body);
    return literals.length === 1 ? literals[0] : undefined;
  }

  /** The string an expression evaluates to: literals and constants joined with `+`. */
  string(expr: Span, scope?: Span, depth = 0): string | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const parts = splitTopLevel(expr, '+').map((part) => {
      const t = tokensOf(part);
      if (t.length === 1 && t[0]!.kind === 'string') return t[0]!.text;
      if (t.length === 1 && t[0]!.kind === 'ident') {
        const local = scope && localAssignment(scope, t[0]!.text);
        if (local) return this.string(local, scope, depth + 1);
        const { value } = this.resolve(part.file, undefined, t[0]!.text);
        return value ? this.string(value, undefined, depth + 1) : undefined;
      }
      if (t.length === 3 && t[1]!.text === '.') {
        const { value } = this.resolve(part.file, t[0]!.text, t[2]!.text);
        return value ? this.string(value, undefined, depth + 1) : undefined;
      }
      return undefined;
    });
    return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
  }
}

/** `Key: value` fields of a struct literal. */
export function fields(body: Span): Map<string, Span> {
  const out = new Map<string, Span>();
  for (const [key, value] of entries(body)) {
    const k = tokensOf(key);
    if (k.length === 1 && k[0]!.kind === 'ident') out.set(k[0]!.text, value);
  }
  return out;
}

/** `key: value` elements of a map literal. */
export function entries(body: Span): Array<[Span, Span]> {
  return splitTopLevel(body).flatMap((element): Array<[Span, Span]> => {
    const colon = findTopLevel(element, ':');
    if (colon < 0) return [];
    const { file } = element;
    return [
      [
        { file, from: element.from, to: colon },
        { file, from: colon + 1, to: element.to },
      ],
    ];
  });
}

/** Index of the first token `text` outside brackets, or -1. */
export function findTopLevel(span: Span, text: string): number {
  const { tokens } = span.file;
  for (let i = span.from; i < span.to; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[' || t.text === '{')) i = closing(tokens, i);
    else if (t.kind === 'punct' && t.text === text) return i;
  }
  return -1;
}

function openingOf(file: GoFile, from: number, close: number): number {
  for (let i = from; i <= close; i++) {
    const t = file.tokens[i]!.text;
    if ((t === '(' || t === '[' || t === '{') && closing(file.tokens, i) === close) return i;
  }
  return from;
}

/** The expression after the last `return` directly in `body`. */
export function returnExpression(body: Span): Span | undefined {
  const { tokens } = body.file;
  let found: Span | undefined;
  for (let i = body.from; i < body.to; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[' || t.text === '{')) i = closing(tokens, i);
    else if (t.text === 'return') {
      const end = statementEnd(body, i + 1);
      const first = splitTopLevel({ file: body.file, from: i + 1, to: end })[0];
      if (first) found = first;
      i = end - 1;
    }
  }
  return found;
}

/** Where the statement starting at `from` ends: the next line break outside brackets. */
export function statementEnd(body: Span, from: number): number {
  const { tokens } = body.file;
  for (let i = from; i < body.to; i++) {
    if (i > from && tokens[i]!.nl) return i;
    const t = tokens[i]!;
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[' || t.text === '{')) i = closing(tokens, i);
    if (t.text === ';') return i;
  }
  return body.to;
}

/** The value of `name := expr` (or `var name = expr`) in a function body. */
function localAssignment(scope: Span, name: string): Span | undefined {
  const { tokens } = scope.file;
  for (let i = scope.from; i < scope.to - 2; i++) {
    if (tokens[i]!.text !== name || tokens[i]!.kind !== 'ident') continue;
    const op = tokens[i + 1]!.text;
    const declared = op === ':=' || (op === '=' && tokens[i - 1]?.text === 'var');
    if (declared) return { file: scope.file, from: i + 2, to: statementEnd(scope, i + 2) };
  }
  return undefined;
}

/** `pkg.Schema{...}` and `pkg.Resource{...}` literals of a body that sit in no other such literal. */
function outermostLiterals(body: Span): Composite[] {
  const { tokens } = body.file;
  const found: Composite[] = [];
  for (let i = body.from + 3; i < body.to; i++) {
    const name = tokens[i - 1]!.text;
    if (tokens[i]!.text !== '{' || tokens[i - 2]!.text !== '.' || (name !== 'Schema' && name !== 'Resource')) continue;
    const end = closing(tokens, i);
    const literal = { file: body.file, from: i + 1, to: end };
    found.push({ type: `${tokens[i - 3]!.text}.${name}`, body: literal, scope: body });
    i = end;
  }
  return found;
}
