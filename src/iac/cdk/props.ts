/**
 * Setting props of a construct in its TypeScript source as a reviewer would: one property added to
 * the props object (in its layout: one per line with the same indentation and trailing comma, or
 * inline), a literal value replaced, a props object written where there was none. Values are
 * literals or aws-cdk-lib members (`s3.BlockPublicAccess.BLOCK_ALL`, written the way the file
 * imports aws-cdk-lib, with an import added where it has none). A prop whose value comes from
 * elsewhere (a variable, a parameter, a call) is never overwritten: that is said instead.
 */
import ts from 'typescript';
import type { TextEdit } from '../edits.js';
import { propsOf, type ConstructSite } from './construct.js';
import { fqnOf, referenceTo } from './imports.js';

/** An aws-cdk-lib member by its jsii name: `{ $ref: 'aws-cdk-lib.aws_s3.BlockPublicAccess.BLOCK_ALL' }`. */
export interface CdkRef {
  readonly $ref: string;
}

export type CdkValue = boolean | number | string | CdkRef | readonly CdkValue[] | { readonly [key: string]: CdkValue };

export interface CdkProp {
  readonly name: string;
  readonly value: CdkValue;
}

export type PropEdits = { readonly edits: readonly TextEdit[]; readonly reason?: undefined } | { readonly reason: string };

const isRef = (value: CdkValue): value is CdkRef => typeof value === 'object' && value !== null && '$ref' in value;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Writes values in `site`'s file; the imports it needs are collected in `imports`. */
class Renderer {
  readonly imports = new Map<string, TextEdit>();
  private readonly quote: string;

  constructor(private readonly site: ConstructSite) {
    const first = site.imports.declarations[0]?.moduleSpecifier.getText(site.source);
    this.quote = first?.startsWith('"') ? '"' : "'";
  }

  render(value: CdkValue): string | undefined {
    if (typeof value === 'string') {
      const body = JSON.stringify(value).slice(1, -1);
      return this.quote === '"' ? `"${body}"` : `'${body.replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
    }
    if (typeof value === 'boolean' || typeof value === 'number') return String(value);
    if (isRef(value)) {
      const ref = referenceTo(value.$ref, this.site.source, this.site.imports);
      if (!ref) return undefined;
      if (ref.edit) this.imports.set(`${ref.edit.start}`, mergeImport(this.imports.get(`${ref.edit.start}`), ref.edit));
      return ref.text;
    }
    if (Array.isArray(value)) {
      const items = (value as readonly CdkValue[]).map((v) => this.render(v));
      return items.some((i) => i === undefined) ? undefined : `[${items.join(', ')}]`;
    }
    const entries = Object.entries(value as Record<string, CdkValue>).map(([k, v]) => {
      const text = this.render(v);
      return text === undefined ? undefined : `${IDENTIFIER.test(k) ? k : this.render(k)}: ${text}`;
    });
    if (entries.some((e) => e === undefined)) return undefined;
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
}

/** A plain value (a CloudFormation property's) written as the file writes literals: in its quotes. */
export function renderLiteral(site: ConstructSite, value: unknown): string {
  const plain = (v: unknown): v is CdkValue =>
    ['string', 'number', 'boolean'].includes(typeof v) ||
    (Array.isArray(v) && v.every(plain)) ||
    (typeof v === 'object' && v !== null && !Array.isArray(v) && !('$ref' in v) && Object.values(v).every(plain));
  return (plain(value) ? new Renderer(site).render(value) : undefined) ?? JSON.stringify(value);
}

/** Two names added to the same import become one edit (`, A, B`); a new import line holds both. */
function mergeImport(existing: TextEdit | undefined, edit: TextEdit): TextEdit {
  if (!existing || existing.text.includes(edit.text.trim().replace(/^, /, ''))) return existing ?? edit;
  if (edit.text.startsWith(', ')) return { ...existing, text: existing.text + edit.text };
  const name = /\{ (\w+) \}/.exec(edit.text)?.[1];
  return { ...existing, text: existing.text.replace(/ \}/, `, ${name} }`) };
}

/** A value cloudmend may replace: a literal, an aws-cdk-lib member or value, or an object or array of those. */
function replaceable(expression: ts.Expression, site: ConstructSite): boolean {
  if (ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression)) return replaceable(expression.expression, site);
  switch (expression.kind) {
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NullKeyword:
    case ts.SyntaxKind.NumericLiteral:
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
      return true;
  }
  if (ts.isIdentifier(expression) && expression.text === 'undefined') return true;
  if (ts.isPropertyAccessExpression(expression)) return fqnOf(expression, site.imports)?.startsWith('aws-cdk-lib') === true;
  // `new s3.BlockPublicAccess({ blockPublicAcls: false, … })`: an aws-cdk-lib value built from literals.
  if (ts.isNewExpression(expression))
    return (
      fqnOf(expression.expression, site.imports)?.startsWith('aws-cdk-lib') === true &&
      (expression.arguments ?? []).every((a) => replaceable(a, site))
    );
  if (ts.isArrayLiteralExpression(expression)) return expression.elements.every((e) => replaceable(e, site));
  if (ts.isObjectLiteralExpression(expression))
    return expression.properties.every((p) => ts.isPropertyAssignment(p) && replaceable(p.initializer, site));
  return false;
}

const lineIndent = (text: string, offset: number): string => /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', offset - 1) + 1))![0];

/** Edits setting `props` on the construct at `site`. */
export function setProps(site: ConstructSite, props: readonly CdkProp[]): PropEdits {
  const renderer = new Renderer(site);
  const file = site.file;
  const rendered: { name: string; text: string }[] = [];
  for (const prop of props) {
    const value = renderer.render(prop.value);
    if (value === undefined)
      return { reason: `cloudmend cannot write ${prop.name} in ${file}: the name it needs to import is taken there` };
    rendered.push({ name: prop.name, text: value });
  }
  const key = (name: string): string => (IDENTIFIER.test(name) ? name : `'${name}'`);
  const list = (items: readonly { name: string; text: string }[]): string => items.map((p) => `${key(p.name)}: ${p.text}`).join(', ');
  const edits: TextEdit[] = [];
  const { props: current, call } = site;
  if (current === 'absent') {
    const args = call.arguments ?? ts.factory.createNodeArray();
    const before = args[site.propsIndex - 1];
    if (args.length !== site.propsIndex || (site.propsIndex > 0 && !before))
      return { reason: `the construct at ${file} is not created as new X(scope, id) or new X(scope, id, props)` };
    // After the argument before the props, or right after the `(` of a factory method called without options.
    const at = before?.end ?? args.pos;
    edits.push({ file, start: at, end: at, text: `${before ? ', ' : ''}{ ${list(rendered)} }` });
  } else if (!ts.isObjectLiteralExpression(current)) {
    if (!ts.isIdentifier(current) && !ts.isPropertyAccessExpression(current))
      return {
        reason: `the construct's props in ${file} are the expression \`${current.getText(site.source).slice(0, 80)}\`; set them where it is built`,
      };
    // The props the code passes, then the settings: an object spread keeps every other prop as it was.
    edits.push({
      file,
      start: current.getStart(site.source),
      end: current.end,
      text: `{ ...${current.getText(site.source)}, ${list(rendered)} }`,
    });
  } else {
    const existing = propsOf(current);
    const added: { name: string; text: string }[] = [];
    for (const prop of rendered) {
      const value = existing.get(prop.name);
      if (value === undefined) {
        added.push(prop);
        continue;
      }
      if (value.getText(site.source) === prop.text) continue;
      if (ts.isIdentifier(value) && ts.isShorthandPropertyAssignment(value.parent))
        return {
          reason: `${prop.name} is set from the variable ${value.text} in ${file}; set it to ${prop.text} where that value comes from`,
        };
      if (!replaceable(value, site))
        return {
          reason: `${prop.name} is set by \`${value.getText(site.source).slice(0, 80)}\` in ${file}, a value cloudmend does not change; set it to ${prop.text} where that value comes from`,
        };
      edits.push({ file, start: value.getStart(site.source), end: value.end, text: prop.text });
    }
    if (added.length > 0)
      edits.push(
        insertion(
          site,
          current,
          added.map((p) => `${key(p.name)}: ${p.text}`),
        ),
      );
  }
  return { edits: [...edits, ...renderer.imports.values()] };
}

/** New properties at the end of an object literal, in its layout. */
function insertion(site: ConstructSite, object: ts.ObjectLiteralExpression, entries: readonly string[]): TextEdit {
  const text = site.source.text;
  const file = site.file;
  const last = object.properties[object.properties.length - 1];
  if (!last) return { file, start: object.getStart(site.source), end: object.end, text: `{ ${entries.join(', ')} }` };
  const multiline = text.slice(object.getStart(site.source), last.getStart(site.source)).includes('\n');
  // New props go after the comments that follow the last one: they stay with their property.
  const after = (offset: number): number => ts.getTrailingCommentRanges(text, offset)?.at(-1)?.end ?? offset;
  const indent = lineIndent(text, last.getStart(site.source));
  const added = multiline ? entries.map((e) => `\n${indent}${e}`) : entries.map((e) => ` ${e}`);
  if (object.properties.hasTrailingComma) {
    const at = after(text.indexOf(',', last.end) + 1);
    return { file, start: at, end: at, text: added.map((e) => `${e},`).join('') };
  }
  const at = after(last.end);
  return { file, start: last.end, end: at, text: `,${text.slice(last.end, at)}${added.join(',')}` };
}
