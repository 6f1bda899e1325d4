/**
 * A CloudFormation template (YAML or JSON) read with the `yaml` Document API: every resource with
 * its source range, and values with intrinsic functions in their long form (`!Ref X` → `{Ref: X}`)
 * whichever form the file uses. The document is never re-serialized: edits splice text.
 */
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair, type ScalarTag, type YAMLMap } from 'yaml';
import { IacSyntaxError } from '../errors.js';
import { contentEnd } from '../text.js';

export type CfnFormat = 'yaml' | 'json';

export interface CfnResource {
  /** The logical id; `Id#2` for a repeat in a later document of a multi-document file. */
  readonly logicalId: string;
  readonly type: string;
  readonly pair: Pair<Node, Node>;
  /** The resource's map (`Type`, `Properties`, ...). */
  readonly node: YAMLMap<Node, Node>;
  /** From the logical id to the end of the resource's value. */
  readonly span: { readonly start: number; readonly end: number };
}

export interface CfnTemplate {
  readonly path: string;
  readonly text: string;
  readonly format: CfnFormat;
  /** Usually one; YAML files may hold several `---` separated documents. */
  readonly docs: readonly Document[];
  readonly resources: readonly CfnResource[];
  /** Whether the file writes intrinsics in short form (`!Ref`); new text follows suit. */
  readonly shortForm: boolean;
  /** Spaces per nesting level in the file. */
  readonly indentStep: number;
}

export type CfnValue = string | number | boolean | null | CfnValue[] | { [key: string]: CfnValue };

const SHORT_TAGS: Readonly<Record<string, string>> = { '!Ref': 'Ref', '!Condition': 'Condition' };

function intrinsicName(tag: string): string {
  return SHORT_TAGS[tag] ?? `Fn::${tag.slice(1)}`;
}

/** A node's value with intrinsics in long form. */
export function valueOf(node: unknown): CfnValue {
  if (isPair(node)) return valueOf(node.value);
  let value: CfnValue;
  if (isMap(node)) {
    const out: Record<string, CfnValue> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (key === '__proto__') continue;
      out[key] = valueOf(pair.value);
    }
    value = out;
  } else if (isSeq(node)) value = node.items.map(valueOf);
  else if (isScalar(node)) {
    const v = node.value;
    value =
      typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : typeof v === 'bigint' ? Number(v) : null;
  } else value = null;
  const tag = (node as { tag?: string } | null)?.tag;
  if (tag?.startsWith('!') && !tag.startsWith('!!')) {
    const name = intrinsicName(tag);
    // `!GetAtt Resource.Attribute` is the short form of `Fn::GetAtt: [Resource, Attribute]`.
    if (name === 'Fn::GetAtt' && typeof value === 'string') {
      const dot = value.indexOf('.');
      value = dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
    }
    return { [name]: value };
  }
  return value;
}

/** Spaces per level: a resource key's column minus the `Resources` key's column. */
function detectIndentStep(doc: Document, text: string): number {
  const column = (offset: number): number => offset - text.lastIndexOf('\n', offset - 1) - 1;
  const root = doc.contents;
  const resourcesPair = isMap(root)
    ? (root.items as Pair<Node, Node>[]).find((p) => isScalar(p.key) && p.key.value === 'Resources')
    : undefined;
  const outer = resourcesPair?.key?.range?.[0];
  const resources = resourcesPair?.value;
  const inner = isMap(resources) ? (resources.items[0]?.key as Node | undefined)?.range?.[0] : undefined;
  if (outer === undefined || inner === undefined) return 2;
  const step = column(inner) - column(outer);
  return step > 0 && step <= 8 ? step : 2;
}

function resourcesOf(doc: Document, text: string, seen: Map<string, number>): CfnResource[] {
  const resources = doc.get('Resources', true);
  if (!isMap(resources)) return [];
  const list: CfnResource[] = [];
  for (const pair of resources.items as Pair<Node, Node>[]) {
    const node = pair.value;
    const keyRange = pair.key?.range;
    if (!isMap(node) || !keyRange || !node.range || !isScalar(pair.key)) continue;
    const id = String(pair.key.value);
    const count = (seen.get(id) ?? 0) + 1;
    seen.set(id, count);
    const type = node.get('Type');
    list.push({
      logicalId: count === 1 ? id : `${id}#${count}`,
      type: typeof type === 'string' ? type : '',
      pair,
      node: node as YAMLMap<Node, Node>,
      span: { start: keyRange[0], end: contentEnd(text, node.range[1]) },
    });
  }
  return list;
}

/**
 * Plain scalars as CloudFormation reads them: YAML 1.1 (as SnakeYAML and PyYAML, which cfn-lint
 * uses), where `yes`/`no`/`on`/`off` in any of their three spellings are booleans and `0755`,
 * `1_000` and `1:30` are integers. The `yaml` package's own 1.1 schema also takes `y`/`n` for
 * booleans and dates for timestamps, which those parsers do not: hence these tags on the core schema.
 */
const YAML_11_TAGS: readonly ScalarTag[] = [
  {
    identify: (v) => typeof v === 'boolean',
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
    resolve: (s: string) => /^(?:yes|true|on)$/i.test(s),
  },
  {
    identify: (v) => typeof v === 'number' && Number.isInteger(v),
    default: true,
    tag: 'tag:yaml.org,2002:int',
    test: /^[-+]?(?:0b[01_]+|0[0-7_]+|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+|(?:0|[1-9][0-9_]*))$/,
    resolve: (s: string) => {
      const sign = s.startsWith('-') ? -1 : 1;
      const digits = s.replace(/^[-+]/, '').replace(/_/g, '');
      if (digits.includes(':')) return sign * digits.split(':').reduce((n, part) => n * 60 + Number(part), 0);
      if (/^0b/.test(digits)) return sign * parseInt(digits.slice(2), 2);
      if (/^0x/.test(digits)) return sign * parseInt(digits.slice(2), 16);
      if (/^0[0-7]+$/.test(digits)) return sign * parseInt(digits.slice(1), 8);
      return sign * Number(digits);
    },
  },
];

/** Parses a template; throws `IacSyntaxError` for invalid YAML/JSON or a file without `Resources`. */
export function parseTemplate(path: string, text: string): CfnTemplate {
  const docs = parseAllDocuments(text, { uniqueKeys: true, customTags: (tags) => [...YAML_11_TAGS, ...tags] });
  if (!Array.isArray(docs)) throw new IacSyntaxError(path, text, 0, 'empty file');
  for (const doc of docs) {
    const [error] = doc.errors;
    if (error)
      throw new IacSyntaxError(
        path,
        text,
        error.pos[0],
        (error.message.split('\n')[0] ?? 'invalid YAML').replace(/ at line \d+, column \d+:?$/, ''),
      );
  }
  const seen = new Map<string, number>();
  const resources = docs.flatMap((doc) => resourcesOf(doc, text, seen));
  if (!docs.some((doc) => isMap(doc.get('Resources', true))))
    throw new IacSyntaxError(path, text, 0, 'not a CloudFormation template: no Resources map');
  const [first] = docs;
  return {
    path,
    text,
    format: /^\s*\{/.test(text) ? 'json' : 'yaml',
    docs,
    resources,
    shortForm: /(^|[\s:[,-])!(Ref|GetAtt|Sub)\b/m.test(text),
    indentStep: first ? detectIndentStep(first, text) : 2,
  };
}

/** The node at `path` under a resource (`['Properties', 'BucketEncryption']`), if present. */
export function nodeAt(resource: CfnResource, path: readonly (string | number)[]): Node | undefined {
  let node: unknown = resource.node;
  for (const key of path) {
    if (isMap(node)) node = node.get(key, true);
    else if (isSeq(node) && typeof key === 'number') node = node.items[key];
    else return undefined;
  }
  return (node ?? undefined) as Node | undefined;
}

/** The value at `path` under a resource, intrinsics in long form. */
export function propertyAt(resource: CfnResource, path: readonly (string | number)[]): CfnValue | undefined {
  const node = nodeAt(resource, path);
  return node === undefined ? undefined : valueOf(node);
}

/** True when `value` is `{Ref: logicalId}` or `{Fn::GetAtt: [logicalId, ...]}`. */
export function refersToResource(value: CfnValue | undefined, logicalId: string): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  if (value.Ref === logicalId) return true;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[0] === logicalId) return true;
  const sub = value['Fn::Sub'];
  return typeof sub === 'string' && new RegExp(`\\$\\{${logicalId}(\\.[A-Za-z]+)?\\}`).test(sub);
}
