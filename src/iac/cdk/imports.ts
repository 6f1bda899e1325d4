/**
 * What the names of a TypeScript file mean in aws-cdk-lib's terms, from its import declarations
 * alone: `s3.Bucket` under `import * as s3 from 'aws-cdk-lib/aws-s3'` is the jsii class
 * `aws-cdk-lib.aws_s3.Bucket`, as the construct tree names it. And the other way: how this file
 * writes `aws-cdk-lib.aws_s3.BlockPublicAccess`, with the import to add when it cannot yet.
 */
import ts from 'typescript';
import type { TextEdit } from '../edits.js';

const LIB = 'aws-cdk-lib';

/** `aws-cdk-lib/aws-s3` → `aws-cdk-lib.aws_s3`; `aws-cdk-lib` → itself; `constructs` → itself; others: none. */
export function moduleFqn(specifier: string): string | undefined {
  if (specifier === LIB || specifier === `${LIB}/core`) return LIB;
  if (specifier === 'constructs') return 'constructs';
  const sub = /^aws-cdk-lib\/([a-z0-9-]+)$/.exec(specifier)?.[1];
  return sub === undefined ? undefined : `${LIB}.${sub.replace(/-/g, '_')}`;
}

/** `aws-cdk-lib.aws_s3` → `aws-cdk-lib/aws-s3`. */
function specifierOf(module: string): string {
  return module === LIB || module === 'constructs' ? module : `${LIB}/${module.slice(LIB.length + 1).replace(/_/g, '-')}`;
}

/** A fqn split into the module that exports it and the exported name with its members (`BlockPublicAccess.BLOCK_ALL`). */
function splitFqn(fqn: string): { module: string; path: string[] } {
  const parts = fqn.split('.');
  if (parts[0] !== LIB) return { module: parts[0]!, path: parts.slice(1) };
  const sub = parts[1] !== undefined && /^[a-z]/.test(parts[1]) ? 2 : 1;
  return { module: parts.slice(0, sub).join('.'), path: parts.slice(sub) };
}

export interface FileImports {
  /** Local name → what it is (`aws-cdk-lib.aws_s3` for a namespace, `aws-cdk-lib.aws_s3.Bucket` for a class). */
  readonly bindings: ReadonlyMap<string, string>;
  readonly declarations: readonly ts.ImportDeclaration[];
}

export function importsOf(file: ts.SourceFile): FileImports {
  const bindings = new Map<string, string>();
  const declarations: ts.ImportDeclaration[] = [];
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    declarations.push(statement);
    const module = moduleFqn(statement.moduleSpecifier.text);
    const clause = statement.importClause;
    if (module === undefined || !clause || clause.isTypeOnly) continue;
    const named = clause.namedBindings;
    if (named && ts.isNamespaceImport(named)) bindings.set(named.name.text, module);
    if (named && ts.isNamedImports(named))
      for (const element of named.elements) {
        if (element.isTypeOnly) continue;
        bindings.set(element.name.text, `${module}.${(element.propertyName ?? element.name).text}`);
      }
  }
  return { bindings, declarations };
}

/** The jsii name an expression such as `s3.Bucket` or `cdk.aws_s3.Bucket` denotes, if the imports say. */
export function fqnOf(expression: ts.Expression, imports: FileImports): string | undefined {
  const names: string[] = [];
  let current: ts.Expression = expression;
  while (ts.isPropertyAccessExpression(current)) {
    names.unshift(current.name.text);
    current = current.expression;
  }
  if (!ts.isIdentifier(current)) return undefined;
  const bound = imports.bindings.get(current.text);
  return bound === undefined ? undefined : [bound, ...names].join('.');
}

/** Every identifier the file declares or uses: a name an added import must not shadow. */
function namesIn(file: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return names;
}

export interface Reference {
  readonly text: string;
  /** The import to add so that `text` resolves, if the file has none yet. */
  readonly edit?: TextEdit | undefined;
}

/**
 * How `file` writes the aws-cdk-lib member `fqn`: through a namespace or name it imports already,
 * else through a name added to its import of that module, else a new import after the last one.
 * Undefined when the name to import is already taken in the file.
 */
export function referenceTo(fqn: string, file: ts.SourceFile, imports: FileImports): Reference | undefined {
  const { module, path } = splitFqn(fqn);
  // The longest binding that is a prefix of the name: a class imported by name, else a namespace.
  let best: { name: string; rest: string[] } | undefined;
  for (const [name, bound] of imports.bindings) {
    const parts = bound.split('.');
    const full = fqn.split('.');
    if (parts.length <= full.length && parts.every((p, i) => p === full[i]) && (!best || full.length - parts.length < best.rest.length))
      best = { name, rest: full.slice(parts.length) };
  }
  if (best) return { text: [best.name, ...best.rest].join('.') };
  const [exported, ...members] = path;
  if (exported === undefined || namesIn(file).has(exported)) return undefined;
  const text = [exported, ...members].join('.');
  const specifier = specifierOf(module);
  const existing = imports.declarations.find(
    (d) =>
      (d.moduleSpecifier as ts.StringLiteral).text === specifier &&
      d.importClause?.namedBindings !== undefined &&
      ts.isNamedImports(d.importClause.namedBindings) &&
      !d.importClause.isTypeOnly,
  );
  const named = existing?.importClause?.namedBindings as ts.NamedImports | undefined;
  const last = named?.elements[named.elements.length - 1];
  if (last) return { text, edit: { file: file.fileName, start: last.end, end: last.end, text: `, ${exported}` } };
  const quote = imports.declarations[0]?.moduleSpecifier.getText(file).startsWith('"') ? '"' : "'";
  const line = `import { ${exported} } from ${quote}${specifier}${quote};`;
  const after = imports.declarations[imports.declarations.length - 1];
  return after
    ? { text, edit: { file: file.fileName, start: after.end, end: after.end, text: `\n${line}` } }
    : { text, edit: { file: file.fileName, start: 0, end: 0, text: `${line}\n` } };
}
