/**
 * The TypeScript expression that created a construct: the `new X(scope, 'Id', {…})` (or the
 * `super(scope, id, {…})` of a class extending X, or a known factory method such as
 * `fn.addFunctionUrl({…})`) at the position a synthesized stack trace names, read with the
 * TypeScript compiler's parser, and the props object a fix edits.
 */
import ts from 'typescript';
import { fqnOf, importsOf, type FileImports } from './imports.js';

export interface ConstructSite {
  readonly file: string;
  readonly source: ts.SourceFile;
  readonly imports: FileImports;
  /** The `new` expression or `super` call. */
  readonly call: ts.NewExpression | ts.CallExpression;
  /** The class as written (`s3.Bucket`). */
  readonly className: string;
  /** Its jsii name when the imports tell (`aws-cdk-lib.aws_s3.Bucket`). */
  readonly fqn?: string | undefined;
  /** The construct id when it is a string literal. */
  readonly id?: string | undefined;
  /** The props argument: an object literal, absent, or another expression (a variable, a call). */
  readonly props: ts.ObjectLiteralExpression | 'absent' | ts.Expression;
  /** Which argument the props are: 2 for `new X(scope, id, props)`, 0 for a factory method's options. */
  readonly propsIndex: number;
}

/**
 * aws-cdk-lib methods that create a construct from their options, by name: the class and id they
 * give it. Only these: the construct tree (its path and class) must confirm the call made the construct.
 */
const FACTORIES: Readonly<Record<string, { readonly fqn: string; readonly id: string }>> = {
  addFunctionUrl: { fqn: 'aws-cdk-lib.aws_lambda.FunctionUrl', id: 'FunctionUrl' },
};

/** `receiver.addFunctionUrl(…)` whose method name starts at `offset` (where V8's frame points for a method call). */
function factoryCallAt(node: ts.Node, source: ts.SourceFile, offset: number): ts.CallExpression | undefined {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return undefined;
  const name = node.expression.name;
  return Object.hasOwn(FACTORIES, name.text) && name.getStart(source) === offset ? node : undefined;
}

export function parseTypeScript(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
}

/** The class a `super(…)` call constructs: the `extends` clause of the class around it. */
function superClass(call: ts.CallExpression): ts.Expression | undefined {
  let node: ts.Node | undefined = call.parent;
  while (node && !ts.isClassLike(node)) node = node.parent;
  const clause = node?.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
  return clause?.types[0]?.expression;
}

/** The offset of 1-based `line`:`column` (where V8's stack frames point), if the text has it. */
export function offsetOf(text: string, line: number, column: number): number | undefined {
  const starts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)];
  const start = starts[line - 1];
  if (start === undefined || column < 1) return undefined;
  const offset = start + column - 1;
  return offset <= (starts[line] ?? text.length + 1) - 1 ? offset : undefined;
}

/** The construct-creating expression starting at `offset` (a `new`, a `super` call, or a factory method's name). */
export function siteAt(file: string, text: string, offset: number): ConstructSite | string {
  const source = parseTypeScript(file, text);
  const { line, character } = source.getLineAndCharacterOfPosition(offset);
  const column = character + 1;
  let found: ts.NewExpression | ts.CallExpression | undefined;
  let factory: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found || node.getStart(source) > offset || node.end < offset) return;
    const starts = node.getStart(source) === offset;
    if (starts && ts.isNewExpression(node)) found = node;
    else if (starts && ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) found = node;
    else if ((factory = factoryCallAt(node, source, offset))) found = factory;
    else ts.forEachChild(node, visit);
  };
  visit(source);
  if (!found)
    return `${file}:${line + 1}:${column} is not a \`new\` expression, a \`super\` call or a known factory method (${Object.keys(FACTORIES).join(', ')})`;
  const imports = importsOf(source);
  if (factory && ts.isPropertyAccessExpression(factory.expression)) {
    const made = FACTORIES[factory.expression.name.text]!;
    const options = factory.arguments[0];
    return {
      file,
      source,
      imports,
      call: factory,
      className: factory.expression.getText(source),
      ...made,
      props: options ?? 'absent',
      propsIndex: 0,
    };
  }
  const classExpression = ts.isNewExpression(found) ? found.expression : superClass(found);
  if (!classExpression) return `${file}:${line + 1}:${column} calls super() outside a class that extends another`;
  const args = found.arguments ?? [];
  const id = args[1];
  const props = args[2];
  return {
    file,
    source,
    imports,
    call: found,
    className: classExpression.getText(source),
    fqn: fqnOf(classExpression, imports),
    id: id && (ts.isStringLiteral(id) || ts.isNoSubstitutionTemplateLiteral(id)) ? id.text : undefined,
    props: props ?? 'absent',
    propsIndex: 2,
  };
}

/** `enforceSSL` or `'enforceSSL'` as a property name. */
export function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name) ? name.text : undefined;
}

/** The props an object literal sets by name, with their value expressions (shorthand: the identifier). */
export function propsOf(object: ts.ObjectLiteralExpression): Map<string, ts.Expression> {
  const props = new Map<string, ts.Expression>();
  for (const p of object.properties) {
    const name = p.name === undefined ? undefined : propertyName(p.name);
    if (name === undefined) continue;
    if (ts.isPropertyAssignment(p)) props.set(name, p.initializer);
    else if (ts.isShorthandPropertyAssignment(p)) props.set(name, p.name);
  }
  return props;
}
