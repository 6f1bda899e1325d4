/**
 * Just enough of Go to read the AWS provider's schema code: tokens, top-level declarations
 * (functions, methods, constants and variables) per package, and expressions as token ranges.
 *
 * It reads either a checkout of the provider (`*.go`) or a symbol index of it where each
 * declaration is its own `*.goindex` file with the package clause and imports on top. It is no
 * compiler: expressions are followed only as far as schema literals need (see terraform-aws.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface Token {
  readonly kind: 'ident' | 'string' | 'number' | 'punct';
  /** The source text; for a string, its value. */
  readonly text: string;
  /** True when a line break comes before the token. */
  readonly nl: boolean;
}

export interface GoFile {
  readonly path: string;
  readonly pkg: GoPackage;
  /** Import alias (or last path element) → import path. */
  readonly imports: ReadonlyMap<string, string>;
  readonly tokens: readonly Token[];
}

/** Tokens `from` (inclusive) to `to` (exclusive) of one file: an expression or a body. */
export interface Span {
  readonly file: GoFile;
  readonly from: number;
  readonly to: number;
}

export interface GoPackage {
  /** Directory relative to its source root, with forward slashes. */
  readonly dir: string;
  readonly funcs: Map<string, Span>;
  /** `Type.Method` → body. */
  readonly methods: Map<string, Span>;
  /** Constants and variables: name → value expression. */
  readonly values: Map<string, Span>;
  /** Struct type → the types it embeds. */
  readonly embeds: Map<string, string[]>;
}

const PUNCT3 = ['...', '<<=', '>>=', '&^='];
const PUNCT2 = [':=', '==', '!=', '<=', '>=', '&&', '||', '<-', '++', '--', '+=', '-=', '*=', '/=', '<<', '>>', '&^'];

/** Go source → tokens, comments dropped. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let nl = false;
  const push = (kind: Token['kind'], text: string): void => {
    tokens.push({ kind, text, nl });
    nl = false;
  };
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\n') {
      nl = true;
      i++;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (source.startsWith('//', i)) {
      i = source.indexOf('\n', i);
      if (i < 0) break;
      continue;
    }
    if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      if (source.slice(i, end).includes('\n')) nl = true;
      i = end < 0 ? source.length : end + 2;
      continue;
    }
    const word = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(source.slice(i, i + 200));
    if (word) {
      push('ident', word[0]);
      i += word[0].length;
      continue;
    }
    const num = /^\.?\d[\w.]*/.exec(source.slice(i, i + 100));
    if (num) {
      push('number', num[0]);
      i += num[0].length;
      continue;
    }
    if (c === '`') {
      const end = source.indexOf('`', i + 1);
      push('string', source.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += source[j] === '\\' ? 2 : 1;
      push(c === '"' ? 'string' : 'number', unescape(source.slice(i + 1, j)));
      i = j + 1;
      continue;
    }
    const p = PUNCT3.find((q) => source.startsWith(q, i)) ?? PUNCT2.find((q) => source.startsWith(q, i)) ?? c;
    push('punct', p);
    i += p.length;
  }
  return tokens;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, (_, ch: string) => ({ n: '\n', t: '\t' })[ch] ?? ch);
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Index of the token closing the bracket at `open`. */
export function closing(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'punct') continue;
    if (OPEN[t.text] !== undefined) depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return tokens.length - 1;
}

/** Splits `from..to` at commas outside brackets. */
export function splitTopLevel(span: Span, separator = ','): Span[] {
  const parts: Span[] = [];
  const { tokens } = span.file;
  let start = span.from;
  for (let i = span.from; i < span.to; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && OPEN[t.text] !== undefined) i = closing(tokens, i);
    else if (t.kind === 'punct' && t.text === separator) {
      if (i > start) parts.push({ file: span.file, from: start, to: i });
      start = i + 1;
    }
  }
  if (span.to > start) parts.push({ file: span.file, from: start, to: span.to });
  return parts;
}

/** The tokens of a span. */
export function tokensOf(span: Span): readonly Token[] {
  return span.file.tokens.slice(span.from, span.to);
}

/** Reads every `.go` and `.goindex` file under the roots (tests and generators' templates aside). */
export function readPackages(roots: readonly string[]): Map<string, GoPackage> {
  const packages = new Map<string, GoPackage>();
  for (const root of roots) {
    for (const path of walk(root)) {
      const dir = relative(root, path).split(sep).slice(0, -1).join('/');
      let pkg = packages.get(dir);
      if (!pkg) {
        pkg = { dir, funcs: new Map(), methods: new Map(), values: new Map(), embeds: new Map() };
        packages.set(dir, pkg);
      }
      declare(pkg, path, tokenize(readFileSync(path, 'utf8')));
    }
  }
  return packages;
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['testdata', 'test-fixtures', 'generate', 'acctest'].includes(entry.name)) yield* walk(path);
    } else if (/\.(go|goindex)$/.test(entry.name) && !/_test\.go$/.test(entry.name) && !/^(func|method)\.(Test|testAcc)/.test(entry.name)) {
      yield path;
    }
  }
}

/** Records the top-level declarations of one file in its package. */
function declare(pkg: GoPackage, path: string, tokens: Token[]): void {
  const imports = new Map<string, string>();
  const file: GoFile = { path, pkg, imports, tokens };
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t.text === 'package') i += 2;
    else if (t.text === 'import') i = readImports(tokens, i + 1, imports);
    else if (t.text === 'func') i = readFunc(file, i + 1);
    else if (t.text === 'type') i = readType(file, i + 1);
    else if ((t.text === 'const' || t.text === 'var') && tokens[i + 1]?.text === '(') {
      const end = closing(tokens, i + 1);
      readValues(file, i + 2, end);
      i = end + 1;
    } else if (t.text === 'const' || t.text === 'var') i = readValues(file, i + 1, tokens.length, true);
    else if (t.kind === 'ident')
      i = readValues(file, i, tokens.length, true); // a .goindex variable
    else i++;
  }
}

function readImports(tokens: readonly Token[], i: number, imports: Map<string, string>): number {
  const one = (j: number): number => {
    const alias = tokens[j]!.kind === 'string' ? undefined : tokens[j]!.text;
    const path = tokens[alias === undefined ? j : j + 1]!.text;
    imports.set(
      alias ??
        path
          .split('/')
          .pop()!
          .replace(/^v\d+$/, ''),
      path,
    );
    return alias === undefined ? j + 1 : j + 2;
  };
  if (tokens[i]?.text !== '(') return one(i);
  const end = closing(tokens, i);
  for (let j = i + 1; j < end; ) j = one(j);
  return end + 1;
}

function readFunc(file: GoFile, i: number): number {
  const { tokens } = file;
  let receiver: string | undefined;
  if (tokens[i]?.text === '(') {
    const end = closing(tokens, i);
    receiver = tokensOf({ file, from: i + 1, to: end })
      .filter((t) => t.kind === 'ident')
      .pop()?.text;
    i = end + 1;
  }
  const name = tokens[i]!.text;
  let j = i + 1;
  if (tokens[j]?.text === '[') j = closing(tokens, j) + 1; // type parameters
  j = closing(tokens, j) + 1; // parameters
  while (j < tokens.length && tokens[j]!.text !== '{') {
    j = tokens[j]!.text === '(' || tokens[j]!.text === '[' ? closing(tokens, j) + 1 : j + 1;
    if (['interface', 'struct'].includes(tokens[j - 1]!.text) && tokens[j]?.text === '{') j = closing(tokens, j) + 1;
  }
  if (j >= tokens.length) return j;
  const end = closing(tokens, j);
  const body: Span = { file, from: j + 1, to: end };
  if (receiver === undefined) file.pkg.funcs.set(name, body);
  else file.pkg.methods.set(`${receiver}.${name}`, body);
  return end + 1;
}

/** A type declaration: for a struct, the types it embeds (fields that are a type name alone on a line). */
function readType(file: GoFile, i: number): number {
  const { tokens } = file;
  if (tokens[i]?.text === '(') return closing(tokens, i) + 1;
  if (tokens[i + 1]?.text === 'struct' && tokens[i + 2]?.text === '{') {
    const end = closing(tokens, i + 2);
    const embeds: string[] = [];
    for (let j = i + 3; j < end; j++) {
      const next = tokens[j + 1]!;
      if (tokens[j]!.kind === 'ident' && tokens[j]!.nl && (next.nl || j + 1 === end)) embeds.push(tokens[j]!.text);
      if (tokens[j]!.text === '{' || tokens[j]!.text === '(' || tokens[j]!.text === '[') j = closing(tokens, j);
    }
    file.pkg.embeds.set(tokens[i]!.text, embeds);
    return end + 1;
  }
  for (let j = i; j < tokens.length; j++) {
    if (tokens[j]!.text === '{' || tokens[j]!.text === '(' || tokens[j]!.text === '[') j = closing(tokens, j);
    if (tokens[j + 1]?.nl) return j + 1;
  }
  return tokens.length;
}

/** `name[, name] [Type] = expr` entries from `i` to `end`; with `single`, only the first. */
function readValues(file: GoFile, i: number, end: number, single = false): number {
  const { tokens } = file;
  while (i < end) {
    const names: string[] = [];
    while (tokens[i]?.kind === 'ident') {
      names.push(tokens[i]!.text);
      if (tokens[i + 1]?.text !== ',') break;
      i += 2;
    }
    let j = i + 1;
    while (j < end && tokens[j]!.text !== '=' && !tokens[j]!.nl) {
      j = OPEN[tokens[j]!.text] ? closing(tokens, j) + 1 : j + 1;
    }
    if (tokens[j]?.text !== '=') {
      if (single) return Math.max(j, i + 1);
      i = j;
      continue;
    }
    const from = j + 1;
    let k = from;
    while (k < end && !(k > from && tokens[k]!.nl)) k = OPEN[tokens[k]!.text] ? closing(tokens, k) + 1 : k + 1;
    const values = splitTopLevel({ file, from, to: k });
    names.forEach((name, n) => {
      const value = values[n];
      if (value && name !== '_') file.pkg.values.set(name, value);
    });
    i = k;
    if (single) return i;
  }
  return end + 1;
}
