/**
 * The guardrail for a patch of a CDK app: the app's TypeScript is held to an allow-list, and what
 * the change does to the deployed templates is judged by every rule family, as for a CloudFormation
 * patch. The TypeScript is read here with the TypeScript compiler's parser, independently of the
 * code that located the constructs and wrote the fix (nothing is shared with `src/iac/cdk` or the
 * skills). Between the files before and after the patch, only these differences are allowed:
 *
 * - in the arguments of a located construct expression (`new X(scope, id, props)`, `super(scope,
 *   id, props)`, or a method call such as `fn.addFunctionUrl(options)`; the scope and id never
 *   change): props added or changed in the props object literal, a props object where there was
 *   none, or the props identifier wrapped as `{ ...props, k: v }`; each new value a literal, an
 *   object or array literal of allowed values, a member of aws-cdk-lib reached from an import
 *   (`s3.BlockPublicAccess.BLOCK_ALL`), or `new`/a call of such a member with allowed arguments
 *   (not one of those that run a command or a build at synthesis);
 * - new import specifiers and declarations from `aws-cdk-lib` and `aws-cdk-lib/<module>`, binding
 *   names the file did not use before;
 * - right after the statement declaring a located construct's variable, statements of exactly the
 *   form `(<variable>.node.defaultChild as <aws-cdk-lib type>).addPropertyOverride('<path>', <JSON>);`.
 *
 * It fails closed: the allowed changes are undone on the text after the patch, which must then be
 * the text before it, byte for byte (comments and whitespace included). Files other than the app's
 * existing `.ts` files are refused. Rules: `outside-target`, `unparsable`, `outside-contract` (a
 * change the allow-list does not have), `code-execution` (a function, a call or an import that
 * would run code at synthesis), and `hidden-text`, `secret-in-diff`, `too-large` on the
 * TypeScript's text as on any patch.
 */
import ts from 'typescript';
import { violation } from './facts.js';
import { hiddenText } from './hidden-text.js';
import { checkPatch } from './index.js';
import { badPath, changed, shownPath } from './paths.js';
import { secretsInDiff } from './secrets.js';
import { tooLarge } from './size.js';
import type { GuardrailInput, GuardrailLimits, GuardrailRule, GuardrailViolation, PatchContract, PatchedFile } from './types.js';

/** Where a located construct expression starts in the file before the patch: 1-based, as V8's stack frames say. */
export interface CdkConstructSite {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** One stack's synthesized CloudFormation template (JSON text) before and after the patch. */
export interface CdkTemplate {
  readonly stack: string;
  readonly before: string;
  readonly after: string;
}

export interface CdkGuardrailInput {
  /** The app's files the patch writes, before and after (`before` undefined = a new file). */
  readonly files: readonly PatchedFile[];
  /** The located construct expressions the patch may change. */
  readonly constructs: readonly CdkConstructSite[];
  /** The templates of the stacks the patch changes. */
  readonly templates: readonly CdkTemplate[];
  /** The located resources (logical ids) and controls: the templates are held to the CloudFormation contract. */
  readonly contract?: PatchContract | undefined;
  /** Size limits, for the TypeScript and for the templates each. */
  readonly limits?: Partial<GuardrailLimits> | undefined;
}

/** `aws-cdk-lib` and its submodules (`aws-cdk-lib/aws-s3`). */
const CDK_MODULE = /^aws-cdk-lib(\/[a-z0-9][\w-]*)*$/;
/**
 * The only calls a fix may write: aws-cdk-lib's value builders (`Duration.days(35)`), which return
 * a value and run nothing. Any other call or `new`, however it is named, could run code at
 * synthesis (`Code.fromCustomCommand`, `DockerImage.fromBuild`, a `Lazy`): an allow-list, so a name
 * not listed here is refused, not guessed about.
 */
const VALUE_CALLS: Readonly<Record<string, ReadonlySet<string>>> = {
  Duration: new Set(['millis', 'seconds', 'minutes', 'hours', 'days']),
  Size: new Set(['kibibytes', 'mebibytes', 'gibibytes', 'tebibytes', 'pebibytes', 'bytes']),
};

/** Members every function has, through which a chain of names reaches the Function constructor or calls something else. */
const FUNCTION_MEMBERS = /^(constructor|prototype|__proto__|call|apply|bind|caller|arguments)$/;
const OVERRIDE = 'addPropertyOverride';

/** Where the synthesized template of a stack is shown in messages. */
export const templatePath = (stack: string): string => `cdk.out/${stack}.template.json`;

interface Revert {
  readonly start: number;
  readonly end: number;
  /** The text before the patch that the range replaces. */
  readonly text: string;
}

interface Problem {
  readonly rule: GuardrailRule;
  readonly what: string;
}

function parse(path: string, text: string): { source: ts.SourceFile; error?: string | undefined } {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  // The parser's own syntax errors: the public API offers them only through a whole program.
  const [first] = (source as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (!first) return { source };
  const line = first.start === undefined ? '' : `line ${source.getLineAndCharacterOfPosition(first.start).line + 1}: `;
  return { source, error: `${line}${ts.flattenDiagnosticMessageText(first.messageText, ' ')}` };
}

function children(node: ts.Node): ts.Node[] {
  const out: ts.Node[] = [];
  ts.forEachChild(
    node,
    (c) => {
      out.push(c);
    },
    (list) => {
      out.push(...list);
    },
  );
  return out;
}

function everyNode(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (c) => everyNode(c, visit));
}

/** The offset of 1-based `line`:`column`, if the text has it. */
function offsetAt(text: string, line: number, column: number): number | undefined {
  const starts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)];
  const start = starts[line - 1];
  if (start === undefined || column < 1) return undefined;
  const offset = start + column - 1;
  return offset < (starts[line] ?? text.length + 1) ? offset : undefined;
}

type ConstructCall = ts.NewExpression | ts.CallExpression;

/** The construct expression at `offset`: a `new` or `super(…)` starting there, or a method call whose name or receiver starts there. */
function callAt(source: ts.SourceFile, offset: number): ConstructCall | undefined {
  let found: ConstructCall | undefined;
  let named: ConstructCall | undefined;
  everyNode(source, (n) => {
    if (named || n.getStart(source) > offset || n.end <= offset) return;
    if (ts.isNewExpression(n) && n.getStart(source) === offset) named ??= n;
    else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.SuperKeyword && n.getStart(source) === offset) named ??= n;
    else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.getStart(source) === offset)
      named ??= n;
    // V8 may point at a call's receiver: the innermost call starting there.
    else if (ts.isCallExpression(n) && n.getStart(source) === offset) found = n;
  });
  return named ?? found;
}

/** Where the props are among a construct expression's arguments: `new X(scope, id, props)`, `fn.addX(options)`. */
const propsIndex = (call: ConstructCall): number =>
  ts.isNewExpression(call) || call.expression.kind === ts.SyntaxKind.SuperKeyword ? 2 : 0;

function moduleOf(node: ts.ImportDeclaration): string | undefined {
  return ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : undefined;
}

/** The names an import declaration binds, with whether each binds a value. */
function boundNames(node: ts.ImportDeclaration): { name: string; value: boolean }[] {
  const clause = node.importClause;
  if (!clause) return [];
  const out = clause.name ? [{ name: clause.name.text, value: !clause.isTypeOnly }] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) out.push({ name: bindings.name.text, value: !clause.isTypeOnly });
  if (bindings && ts.isNamedImports(bindings))
    out.push(...bindings.elements.map((e) => ({ name: e.name.text, value: !clause.isTypeOnly && !e.isTypeOnly })));
  return out;
}

const DECLARATIONS = new Set([
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.Parameter,
  ts.SyntaxKind.BindingElement,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.ClassExpression,
  ts.SyntaxKind.EnumDeclaration,
  ts.SyntaxKind.ModuleDeclaration,
  ts.SyntaxKind.ImportSpecifier,
  ts.SyntaxKind.NamespaceImport,
  ts.SyntaxKind.ImportClause,
  ts.SyntaxKind.ImportEqualsDeclaration,
]);

/** The names the file binds to aws-cdk-lib values by import, and declares nowhere else (no shadowing). */
function cdkBindings(source: ts.SourceFile): Set<string> {
  const declared = new Map<string, number>();
  everyNode(source, (n) => {
    const name = (n as ts.Node & { name?: ts.Node }).name;
    if (DECLARATIONS.has(n.kind) && name && ts.isIdentifier(name)) declared.set(name.text, (declared.get(name.text) ?? 0) + 1);
  });
  const out = new Set<string>();
  for (const s of source.statements) {
    if (!ts.isImportDeclaration(s) || !CDK_MODULE.test(moduleOf(s) ?? '')) continue;
    for (const b of boundNames(s)) if (b.value && declared.get(b.name) === 1) out.add(b.name);
  }
  return out;
}

/** Judges one changed TypeScript file: the allowed changes are found, checked and undone, and the rest must be as it was. */
class FileJudge {
  readonly violations: GuardrailViolation[] = [];
  private readonly reverts: Revert[] = [];
  private readonly located = new Set<ts.Node>();
  private readonly cdk: Set<string>;
  private readonly used = new Set<string>();

  constructor(
    private readonly path: string,
    private readonly before: ts.SourceFile,
    private readonly after: ts.SourceFile,
    sites: readonly CdkConstructSite[],
  ) {
    this.cdk = cdkBindings(after);
    everyNode(before, (n) => {
      if (ts.isIdentifier(n) && !isMemberName(n)) this.used.add(n.text);
    });
    for (const site of sites) {
      const offset = offsetAt(before.text, site.line, site.column);
      const call = offset === undefined ? undefined : callAt(before, offset);
      if (call) this.located.add(call);
      else
        this.refuse(
          'outside-contract',
          `the located construct at line ${site.line}, column ${site.column} is not a \`new\`, \`super\` or method call in the file before the patch`,
        );
    }
  }

  judge(): void {
    this.walk(this.before, this.after);
    this.compare();
  }

  private refuse(rule: GuardrailRule, message: string, node?: ts.Node): void {
    const line = node ? this.after.getLineAndCharacterOfPosition(node.getStart(this.after)).line + 1 : undefined;
    this.violations.push(violation(rule, shownPath(this.path), message, line));
  }

  private text(node: ts.Node, source = this.after): string {
    return node.getText(source);
  }

  private shown(node: ts.Node): string {
    const text = this.text(node).replace(/\s+/g, ' ');
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  }

  /** Pairs the two trees, down to the places where allowed changes are. */
  private walk(b: ts.Node, a: ts.Node): void {
    if (b.kind !== a.kind) return;
    if (this.located.has(b)) return this.call(b as ConstructCall, a as ConstructCall);
    if (ts.isSourceFile(b) || ts.isBlock(b) || ts.isModuleBlock(b) || ts.isCaseClause(b) || ts.isDefaultClause(b))
      return this.statements(b.statements, (a as typeof b).statements, ts.isSourceFile(b));
    if (ts.isImportDeclaration(b)) return this.importChange(b, a as ts.ImportDeclaration);
    const [bs, as] = [children(b), children(a)];
    if (bs.length === as.length) bs.forEach((c, i) => this.walk(c, as[i]!));
  }

  /** The variable a statement declares with a located construct expression, if it does. */
  private declared(statement: ts.Statement): string | undefined {
    if (!ts.isVariableStatement(statement)) return undefined;
    const d = statement.declarationList.declarations.find((x) => x.initializer && this.located.has(x.initializer));
    return d && ts.isIdentifier(d.name) ? d.name.text : undefined;
  }

  private statements(bs: readonly ts.Statement[], as: readonly ts.Statement[], top: boolean): void {
    let i = 0;
    let anchor: string | undefined;
    for (const s of as) {
      const next = bs[i];
      if (next && this.corresponds(next, s, top)) {
        this.walk(next, s);
        anchor = this.declared(next);
        i++;
      } else if (top && ts.isImportDeclaration(s)) this.newImport(s);
      else if (isOverride(s)) this.override(s, anchor);
      else if (next) {
        this.walk(next, s);
        anchor = undefined;
        i++;
      }
    }
  }

  /** True when `a` is `b` after the patch rather than a statement the patch inserts. */
  private corresponds(b: ts.Statement, a: ts.Statement, top: boolean): boolean {
    if (this.text(b, this.before) === this.text(a)) return true;
    if (ts.isImportDeclaration(b) && ts.isImportDeclaration(a)) {
      if (moduleOf(b) !== moduleOf(a)) return !top;
      const names = new Set(boundNames(a).map((x) => x.name));
      return boundNames(b).every((x) => names.has(x.name));
    }
    return !((top && ts.isImportDeclaration(a)) || isOverride(a));
  }

  /** Undoes an inserted statement: its line, or itself and the whitespace before it. */
  private removeStatement(s: ts.Statement): void {
    const text = this.after.text;
    const [start, begin] = [s.getFullStart(), s.getStart(this.after)];
    const lead = text.slice(start, begin);
    if (!/^\s*$/.test(lead)) this.refuse('outside-contract', `a comment comes with the inserted statement \`${this.shown(s)}\``, s);
    const newline = /^\r?\n/.exec(text.slice(s.end));
    const end = !lead.includes('\n') && newline ? s.end + newline[0].length : s.end;
    this.reverts.push({ start, end, text: '' });
  }

  private newImport(s: ts.ImportDeclaration): void {
    this.removeStatement(s);
    const module = moduleOf(s) ?? this.text(s.moduleSpecifier);
    if (!CDK_MODULE.test(module) || !s.importClause)
      return this.refuse(
        'code-execution',
        `the patch imports ${JSON.stringify(module)}${s.importClause ? '' : ' for its side effects'}: a CDK fix imports only names from aws-cdk-lib, and loading another module runs its code at synthesis`,
        s,
      );
    this.newNames(
      boundNames(s).map((b) => b.name),
      s,
    );
  }

  /** A new import binding may not take a name the file used: that would change what the existing code refers to. */
  private newNames(names: readonly string[], node: ts.Node): void {
    for (const name of names)
      if (this.used.has(name))
        this.refuse(
          'outside-contract',
          `the patch imports ${name}, a name the file already uses, which would change what its code refers to`,
          node,
        );
  }

  private importChange(b: ts.ImportDeclaration, a: ts.ImportDeclaration): void {
    if (this.text(b, this.before) === this.text(a)) return;
    const [bc, ac] = [b.importClause, a.importClause];
    const [bn, an] = [bc?.namedBindings, ac?.namedBindings];
    if (!bc || !ac || !bn || !an || !ts.isNamedImports(bn) || !ts.isNamedImports(an)) return;
    if (!CDK_MODULE.test(moduleOf(a) ?? '') || moduleOf(a) !== moduleOf(b)) return;
    const old = new Set(bn.elements.map((e) => this.text(e, this.before)));
    const added = an.elements.filter((e) => !old.has(this.text(e)));
    // The old specifiers stay, in order, as written: undoing the named imports shows any other change.
    this.reverts.push({ start: an.getStart(this.after), end: an.end, text: this.text(bn, this.before) });
    if (an.elements.length - added.length !== bn.elements.length || an.elements.filter((e) => old.has(this.text(e))).length !== old.size)
      this.refuse('outside-contract', `the patch changes or removes names imported from ${moduleOf(a)}`, a);
    this.newNames(
      added.map((e) => e.name.text),
      a,
    );
  }

  private override(s: ts.ExpressionStatement, anchor: string | undefined): void {
    this.removeStatement(s);
    const why = this.overrideProblem(s, anchor);
    if (why)
      this.refuse(
        why.rule,
        `the statement \`${this.shown(s)}\` ${why.what}: a CDK fix adds only \`(<construct>.node.defaultChild as <Cfn type>).${OVERRIDE}('<path>', <JSON value>);\` right after declaring a located construct`,
        s,
      );
  }

  private overrideProblem(s: ts.ExpressionStatement, anchor: string | undefined): Problem | undefined {
    if (anchor === undefined) return { rule: 'outside-contract', what: 'is not right after the declaration of a located construct' };
    const call = s.expression as ts.CallExpression;
    const callee = call.expression as ts.PropertyAccessExpression;
    const cast = callee.expression;
    if (!ts.isParenthesizedExpression(cast) || !ts.isAsExpression(cast.expression))
      return { rule: 'outside-contract', what: 'has another form' };
    const { expression: target, type } = cast.expression;
    const onAnchor =
      ts.isPropertyAccessExpression(target) &&
      target.name.text === 'defaultChild' &&
      ts.isPropertyAccessExpression(target.expression) &&
      target.expression.name.text === 'node' &&
      ts.isIdentifier(target.expression.expression) &&
      target.expression.expression.text === anchor;
    if (!onAnchor || call.questionDotToken || callee.questionDotToken)
      return { rule: 'outside-contract', what: `does not override ${anchor}` };
    if (!ts.isTypeReferenceNode(type) || type.typeArguments || !this.cdk.has(rootOf(type.typeName)))
      return { rule: 'outside-contract', what: 'casts to a type that is not imported from aws-cdk-lib' };
    const [path, value, ...rest] = call.arguments;
    if (!path || !value || rest.length > 0 || !(ts.isStringLiteral(path) || ts.isNoSubstitutionTemplateLiteral(path)))
      return { rule: 'outside-contract', what: 'does not name the property with a string literal' };
    return json(value) ? undefined : { rule: 'outside-contract', what: 'sets a value that is not a JSON literal' };
  }

  /** A located construct expression: only its props may change. */
  private call(b: ConstructCall, a: ConstructCall): void {
    const p = propsIndex(b);
    const [bargs, aargs] = [b.arguments ?? [], a.arguments ?? []];
    bargs.forEach((arg, i) => {
      if (i !== p && aargs[i]) this.walk(arg, aargs[i]);
    });
    const [bp, ap] = [bargs[p], aargs[p]];
    if (bp && ap && bargs.length === aargs.length) return this.props(bp, ap);
    if (!bp && ap && aargs.length === p + 1 && bargs.length === p) {
      // Props where there were none: the object and the comma before it go.
      const start = p === 0 ? ap.getFullStart() : aargs[p - 1]!.end;
      if (!/^\s*,?\s*$/.test(this.after.text.slice(start, ap.getStart(this.after))))
        this.refuse('outside-contract', 'a comment comes with the new props', ap);
      this.reverts.push({ start, end: ap.end, text: '' });
      if (!ts.isObjectLiteralExpression(ap))
        return this.refuse('outside-contract', `the new props \`${this.shown(ap)}\` are not an object literal`, ap);
      for (const prop of ap.properties) this.value(prop);
    }
  }

  private props(b: ts.Expression, a: ts.Expression): void {
    const before = this.text(b, this.before);
    if (before === this.text(a)) return this.walk(b, a);
    if (ts.isObjectLiteralExpression(b) && ts.isObjectLiteralExpression(a)) return this.objectProps(b, a);
    this.reverts.push({ start: a.getStart(this.after), end: a.end, text: before });
    const [spread, ...rest] = ts.isObjectLiteralExpression(a) ? a.properties : [];
    const wraps =
      (ts.isIdentifier(b) || ts.isPropertyAccessExpression(b)) &&
      spread &&
      ts.isSpreadAssignment(spread) &&
      this.text(spread.expression) === before;
    if (!wraps)
      return this.refuse(
        'outside-contract',
        `the props \`${before.slice(0, 80)}\` become \`${this.shown(a)}\`: a CDK fix sets props in the props object, or wraps a props variable as { ...props, name: value }`,
        a,
      );
    this.unique(rest);
    for (const prop of rest) this.value(prop);
  }

  private unique(props: readonly ts.ObjectLiteralElementLike[]): void {
    const seen = new Set<string>();
    for (const p of props) {
      const key = propKey(p, this.after);
      if (seen.has(key)) this.refuse('outside-contract', `the props set ${key} twice`, p);
      seen.add(key);
    }
  }

  private objectProps(b: ts.ObjectLiteralExpression, a: ts.ObjectLiteralExpression): void {
    const old = new Map(b.properties.map((p) => [propKey(p, this.before), p]));
    this.unique(a.properties);
    if (b.properties.length === 0) {
      this.reverts.push({ start: a.getStart(this.after), end: a.end, text: this.text(b, this.before) });
      for (const prop of a.properties) this.value(prop);
      return;
    }
    const kept = new Set<string>();
    a.properties.forEach((prop, k) => {
      const key = propKey(prop, this.after);
      const was = old.get(key);
      if (was) kept.add(key);
      if (was && this.text(was, this.before) === this.text(prop)) return this.walk(was, prop);
      if (was) {
        this.reverts.push({ start: prop.getStart(this.after), end: prop.end, text: this.text(was, this.before) });
        return this.value(prop);
      }
      const [prev, next] = [a.properties[k - 1], a.properties[k + 1]];
      const own = prev ? this.ownLine(prop, prev) : undefined;
      if (own) {
        // A prop on a line of its own goes with that line (and its comma); the comma it needed after
        // the last prop before it, where that one had none, goes too. A comment after the previous
        // prop stays that prop's.
        this.reverts.push({ start: own.start, end: own.end, text: '' });
        const was = old.get(propKey(prev!, this.after));
        if (was && this.after.text[prev!.end] === ',' && this.before.text[was.end] !== ',')
          this.reverts.push({ start: prev!.end, end: prev!.end + 1, text: '' });
        return this.value(prop);
      }
      // Inline, a new prop goes with the comma before it, or, first in the object, with the one after
      // it; alone in an object that had others, it replaces them (their removal is refused below).
      const [start, end] = prev
        ? [prev.end, prop.end]
        : next
          ? [prop.getStart(this.after), next.getStart(this.after)]
          : [a.getStart(this.after) + 1, a.end - 1];
      if (!prev && next && !old.has(propKey(next, this.after)))
        this.refuse('outside-contract', 'the patch adds props before the existing ones', prop);
      const between = this.after.text.slice(start, end).replace(this.text(prop), '');
      if (!/^[\s,]*$/.test(between)) this.refuse('outside-contract', `a comment comes with the new prop \`${this.shown(prop)}\``, prop);
      const inner = this.before.text.slice(b.getStart(this.before) + 1, b.end - 1);
      this.reverts.push({ start, end, text: prev || next ? '' : inner });
      this.value(prop);
    });
    for (const key of old.keys()) if (!kept.has(key)) this.refuse('outside-contract', `the patch removes the prop ${key}`, a);
  }

  /**
   * The line a new prop has to itself, after `prev`'s line: from the line break before it through
   * the prop and its comma, when nothing but indentation precedes it there.
   */
  private ownLine(prop: ts.ObjectLiteralElementLike, prev: ts.ObjectLiteralElementLike): { start: number; end: number } | undefined {
    const text = this.after.text;
    const begin = prop.getStart(this.after);
    const lineStart = text.lastIndexOf('\n', begin - 1) + 1;
    if (lineStart <= prev.end || !/^[ \t]*$/.test(text.slice(lineStart, begin))) return undefined;
    const start = text[lineStart - 2] === '\r' ? lineStart - 2 : lineStart - 1;
    return { start, end: text[prop.end] === ',' ? prop.end + 1 : prop.end };
  }

  /** A new or changed prop: a plain name and an allowed value. */
  private value(prop: ts.ObjectLiteralElementLike): void {
    const why: Problem | undefined = !ts.isPropertyAssignment(prop)
      ? { rule: 'outside-contract', what: 'is not written as name: value' }
      : ts.isComputedPropertyName(prop.name) || propKey(prop, this.after) === '__proto__'
        ? { rule: 'outside-contract', what: 'has a computed name or sets the prototype' }
        : this.problem(prop.initializer);
    if (why)
      this.refuse(
        why.rule,
        `the prop \`${this.shown(prop)}\` ${why.what}: a CDK fix writes literals and aws-cdk-lib members in a located construct's props`,
        prop,
      );
  }

  /** Why a prop's value is not allowed, or undefined when it is. */
  private problem(e: ts.Expression): Problem | undefined {
    const bad = (what: string): Problem => ({ rule: 'outside-contract', what: `is set with ${what}` });
    const runs = (what: string): Problem => ({ rule: 'code-execution', what: `${what}, code that runs at synthesis` });
    if (ts.isParenthesizedExpression(e)) return this.problem(e.expression);
    if (literal(e)) return undefined;
    if (ts.isObjectLiteralExpression(e)) {
      for (const p of e.properties) {
        if (!ts.isPropertyAssignment(p))
          return ts.isMethodDeclaration(p) || ts.isAccessor(p) ? runs('has a method') : bad('a spread or shorthand');
        if (ts.isComputedPropertyName(p.name) || propKey(p, this.after) === '__proto__') return bad('a computed name or a prototype');
        const why = this.problem(p.initializer);
        if (why) return why;
      }
      return undefined;
    }
    if (ts.isArrayLiteralExpression(e)) {
      for (const x of e.elements) {
        const why = ts.isExpression(x) && !ts.isSpreadElement(x) && !ts.isOmittedExpression(x) ? this.problem(x) : bad('a spread or hole');
        if (why) return why;
      }
      return undefined;
    }
    if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e))
      return this.member(e) ? undefined : bad(`\`${this.shown(e)}\`, which is not a member of aws-cdk-lib`);
    if (ts.isNewExpression(e) || ts.isCallExpression(e)) {
      const callee = e.expression;
      const [builder, method] = this.text(callee).split('.').slice(-2);
      const value =
        ts.isCallExpression(e) && !e.questionDotToken && this.member(callee) && VALUE_CALLS[builder ?? '']?.has(method ?? '') === true;
      if (!value) return runs(`calls \`${this.shown(callee)}\`, which is not one of aws-cdk-lib's value builders (Duration, Size)`);
      for (const arg of e.arguments ?? []) {
        const why = literal(arg) ? undefined : bad('a value builder given something other than a literal');
        if (why) return why;
      }
      return undefined;
    }
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e) || ts.isClassExpression(e)) return runs('is a function');
    if (ts.isTaggedTemplateExpression(e)) return runs('calls a tagged template');
    if (ts.isTemplateExpression(e)) return bad('a template with substitutions');
    return bad(`the expression \`${this.shown(e)}\``);
  }

  /** `s3.BlockPublicAccess.BLOCK_ALL`: a chain of names from an aws-cdk-lib import. */
  private member(e: ts.Expression): boolean {
    if (ts.isIdentifier(e)) return this.cdk.has(e.text);
    return (
      ts.isPropertyAccessExpression(e) &&
      !e.questionDotToken &&
      ts.isIdentifier(e.name) &&
      !FUNCTION_MEMBERS.test(e.name.text) &&
      this.member(e.expression)
    );
  }

  /** Undoes the allowed changes on the text after the patch: what is left must be the text before it. */
  private compare(): void {
    const reverts = [...this.reverts].sort((x, y) => x.start - y.start);
    let text = '';
    let at = 0;
    for (const r of reverts) {
      if (r.start < at) return this.refuse('unparsable', 'the guardrail found overlapping changes and cannot judge the file');
      text += this.after.text.slice(at, r.start) + r.text;
      at = r.end;
    }
    text += this.after.text.slice(at);
    const old = this.before.text;
    if (text === old) return;
    let d = 0;
    while (d < text.length && d < old.length && text[d] === old[d]) d++;
    // The offset in the text after the patch: before a revert, shifted by what the reverts before it changed.
    let shift = 0;
    let offset: number | undefined;
    for (const r of reverts) {
      const start = r.start + shift;
      if (d < start) break;
      if (d < start + r.text.length) offset = r.start;
      if (offset !== undefined) break;
      shift += r.text.length - (r.end - r.start);
    }
    offset ??= d - shift;
    const { line } = this.after.getLineAndCharacterOfPosition(Math.min(offset, this.after.text.length));
    const was = this.before.getLineAndCharacterOfPosition(Math.min(d, old.length)).line + 1;
    const shown = (this.after.text.split('\n')[line] ?? '').trim();
    this.violations.push(
      violation(
        'outside-contract',
        shownPath(this.path),
        `the patch changes the code outside the located constructs' props (\`${shown.length > 80 ? `${shown.slice(0, 77)}...` : shown}\`, line ${was} before the patch): a CDK fix only sets props of the located constructs, imports from aws-cdk-lib and adds ${OVERRIDE} statements after a located construct's declaration, and changes nothing else, not even a comment or a space`,
        line + 1,
      ),
    );
  }
}

function isOverride(s: ts.Statement): s is ts.ExpressionStatement {
  return (
    ts.isExpressionStatement(s) &&
    ts.isCallExpression(s.expression) &&
    ts.isPropertyAccessExpression(s.expression.expression) &&
    s.expression.expression.name.text === OVERRIDE
  );
}

/** `x.name`, `A.name` in a type, `{ name: … }`: a name that is not a reference to a binding. */
function isMemberName(n: ts.Identifier): boolean {
  const p = n.parent;
  return (
    ((ts.isPropertyAccessExpression(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p)) &&
      p.name === n) ||
    (ts.isQualifiedName(p) && p.right === n)
  );
}

function rootOf(name: ts.EntityName): string {
  return ts.isIdentifier(name) ? name.text : rootOf(name.left);
}

/** How props are told apart: by name, or by their text for spreads and computed names. */
function propKey(p: ts.ObjectLiteralElementLike, source: ts.SourceFile): string {
  const name = p.name;
  if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)))
    return name.text;
  return p.getText(source);
}

/** A boolean, number, string or null literal. */
function literal(e: ts.Expression): boolean {
  switch (e.kind) {
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NullKeyword:
    case ts.SyntaxKind.NumericLiteral:
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
      return true;
  }
  return ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand);
}

/** A JSON value written as a literal. */
function json(e: ts.Expression): boolean {
  if (literal(e)) return true;
  if (ts.isArrayLiteralExpression(e)) return e.elements.every(json);
  return (
    ts.isObjectLiteralExpression(e) &&
    e.properties.every((p) => ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name) && json(p.initializer))
  );
}

/** The TypeScript side: each changed file an existing `.ts` file of the app, changed only as the allow-list says. */
function judgeTypeScript(input: CdkGuardrailInput): GuardrailViolation[] {
  const out: GuardrailViolation[] = [];
  for (const f of input.files.filter(changed)) {
    const shown = shownPath(f.path);
    const bad = badPath(f.path);
    if (bad !== undefined) {
      out.push(violation('outside-target', shown, `the path ${bad}: a patch writes only repository-relative files`));
      continue;
    }
    if (f.before === undefined || !f.path.endsWith('.ts') || f.path.endsWith('.d.ts')) {
      out.push(
        violation(
          'outside-target',
          shown,
          `${f.before === undefined ? 'created' : 'changed'}, but a CDK fix changes only the app's existing TypeScript (.ts) files`,
        ),
      );
      continue;
    }
    const [before, after] = [parse(f.path, f.before), parse(f.path, f.after)];
    if (before.error || after.error) {
      out.push(
        violation(
          'unparsable',
          shown,
          `does not parse ${after.error ? `after the patch: ${after.error}` : `before the patch: ${before.error}`}`,
        ),
      );
      continue;
    }
    const judge = new FileJudge(
      f.path,
      before.source,
      after.source,
      input.constructs.filter((c) => c.file === f.path),
    );
    try {
      judge.judge();
      out.push(...judge.violations);
    } catch (error) {
      // Fail closed: a file the guardrail could not finish judging does not pass.
      out.push(
        violation(
          'unparsable',
          shown,
          `the guardrail could not finish judging it (${error instanceof Error ? error.message : String(error)})`,
        ),
      );
    }
  }
  return out;
}

/**
 * Every violation of a CDK app's patch, empty when it may proceed: the TypeScript's allow-list, the
 * text rules on the TypeScript, and every rule family (with the contract, when given) on each
 * stack's synthesized template. Never throws on bad input.
 */
export async function checkCdkPatch(input: CdkGuardrailInput): Promise<GuardrailViolation[]> {
  const text: GuardrailInput = { kind: 'cloudformation', allowedFiles: [], files: input.files, limits: input.limits };
  const violations = [...judgeTypeScript(input), ...tooLarge(text), ...hiddenText(text), ...secretsInDiff(text)];
  if (input.templates.length === 0) return violations;
  const files = input.templates.map((t) => ({ path: templatePath(t.stack), before: t.before, after: t.after }));
  const templates = await checkPatch({
    kind: 'cloudformation',
    allowedFiles: files.map((f) => f.path),
    files,
    limits: input.limits,
    contract: input.contract,
  });
  return [...violations, ...templates];
}
