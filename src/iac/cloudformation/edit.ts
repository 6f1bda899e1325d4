/**
 * Edits on CloudFormation templates as text splices at the ranges the `yaml` Document API reports:
 * comments, key order, quoting and short-form tags outside the edited value stay byte for byte.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { CloudmendError } from '../../errors.js';
import type { TextEdit } from '../edits.js';
import { contentEnd, indentAt } from '../text.js';
import { renderJson, renderYaml } from './render.js';
import { nodeAt, type CfnResource, type CfnTemplate, type CfnValue } from './template.js';

/** The template's layout cannot be edited safely (a non-empty flow map, an alias...): fix by hand. */
export class UnsupportedEditError extends CloudmendError {
  override name = 'UnsupportedEditError';
}

type Path = readonly (string | number)[];

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl;
}

function column(text: string, offset: number): number {
  return offset - text.lastIndexOf('\n', offset - 1) - 1;
}

function nest(path: Path, value: CfnValue): CfnValue {
  return path.reduceRight<CfnValue>((inner, key) => ({ [String(key)]: inner }), value);
}

/** `key: value` (YAML) as text placed after `key`, with nested lines at `indent`. */
function yamlAfterKey(t: CfnTemplate, value: CfnValue, indent: string): string {
  const r = renderYaml(value, t);
  if ('inline' in r) return `: ${r.inline}`;
  const step = ' '.repeat(t.indentStep);
  return `:\n${r.block.map((l) => `${indent}${step}${l}`).join('\n')}`;
}

/** Adds `key: value` as the last pair of a block map. */
function addPair(t: CfnTemplate, map: YAMLMap<Node, Node>, key: string, value: CfnValue): TextEdit {
  const pairs = map.items;
  const last = pairs[pairs.length - 1];
  const firstKey = pairs[0]?.key;
  const mapRange = map.range;
  if (!last || !firstKey?.range || !mapRange) throw new UnsupportedEditError(`cannot add ${key} to an empty map in ${t.path}`);
  if (map.flow && t.format !== 'json')
    throw new UnsupportedEditError(`cannot add ${key} to a flow-style map in ${t.path}; use block style`);
  const lastEnd = contentEnd(t.text, (last.value ?? last.key)?.range?.[1] ?? mapRange[1]);
  if (t.format === 'json') {
    const indent = indentAt(t.text, firstKey.range[0]);
    return { file: t.path, start: lastEnd, end: lastEnd, text: `,\n${indent}${JSON.stringify(key)}: ${renderJson(value, t, indent)}` };
  }
  const indent = ' '.repeat(column(t.text, firstKey.range[0]));
  const at = lineEnd(t.text, lastEnd);
  return { file: t.path, start: at, end: at, text: `\n${indent}${renderKey(key)}${yamlAfterKey(t, value, indent)}` };
}

function renderKey(key: string): string {
  const r = renderYaml(key, { format: 'yaml', shortForm: false, indentStep: 2 });
  return 'inline' in r ? r.inline : key;
}

/** Replaces the value of an existing pair. */
function replaceValue(t: CfnTemplate, pair: Pair<Node, Node>, value: CfnValue): TextEdit {
  const keyRange = pair.key?.range;
  if (!keyRange) throw new UnsupportedEditError(`cannot edit a value without a source range in ${t.path}`);
  const colon = t.text.indexOf(':', keyRange[1]);
  // `Properties:` with nothing after it: the value is empty, its end is the colon.
  const range = pair.value?.range;
  const [valueStart, valueEnd] = range && range[1] > colon ? [range[0], contentEnd(t.text, range[1])] : [colon + 1, colon + 1];
  if (t.format === 'json') {
    const indent = indentAt(t.text, keyRange[0]);
    return { file: t.path, start: valueStart, end: valueEnd, text: renderJson(value, t, indent) };
  }
  const indent = ' '.repeat(column(t.text, keyRange[0]));
  // From the colon: rewrite `: value` whole, whether the old value was inline, a block or empty.
  return { file: t.path, start: colon, end: valueEnd, text: yamlAfterKey(t, value, indent) };
}

/**
 * Sets the value at `path` under a resource (`['Properties', 'PubliclyAccessible']`), replacing it
 * when present and adding the missing keys otherwise.
 */
export function setProperty(t: CfnTemplate, resource: CfnResource, path: Path, value: CfnValue): TextEdit {
  let map: YAMLMap<Node, Node> = resource.node;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    if (typeof key !== 'string') throw new UnsupportedEditError('setProperty walks maps only; use replaceSeqItem for list items');
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (!pair) return addPair(t, map, key, nest(path.slice(i + 1), value));
    if (i === path.length - 1) return replaceValue(t, pair, value);
    const next = pair.value;
    if (isMap(next) && !(next.flow && next.items.length === 0)) map = next as YAMLMap<Node, Node>;
    else return replaceValue(t, pair, nest(path.slice(i + 1), value));
  }
  throw new UnsupportedEditError('empty property path');
}

/**
 * Replaces item `index` of the list at `path` with `items` (one or more): narrowing one rule into
 * several keeps every other item, and its comments, untouched.
 */
export function replaceSeqItem(t: CfnTemplate, resource: CfnResource, path: Path, index: number, items: readonly CfnValue[]): TextEdit {
  let node: unknown = resource.node;
  for (const key of path) node = isMap(node) ? node.get(key, true) : isSeq(node) && typeof key === 'number' ? node.items[key] : undefined;
  if (!isSeq(node)) throw new UnsupportedEditError(`${path.join('.')} is not a list in ${t.path}`);
  const item = node.items[index] as Node | undefined;
  const itemRange = item?.range;
  if (!itemRange) throw new UnsupportedEditError(`no item ${index} at ${path.join('.')} in ${t.path}`);
  const range = [itemRange[0], contentEnd(t.text, itemRange[1])] as const;
  if (t.format === 'json') {
    const indent = indentAt(t.text, range[0]);
    return { file: t.path, start: range[0], end: range[1], text: items.map((v) => renderJson(v, t, indent)).join(`,\n${indent}`) };
  }
  if (node.flow) throw new UnsupportedEditError(`cannot edit a flow-style list in ${t.path}; use block style`);
  const indent = ' '.repeat(column(t.text, range[0]) - 2);
  const text = items
    .map((v) => {
      const r = renderYaml([v], t);
      return 'inline' in r ? r.inline : r.block.map((l) => `${indent}${l}`).join('\n');
    })
    .join('\n')
    .replace(/^[ \t]*- /, '');
  return { file: t.path, start: range[0], end: range[1], text };
}

/** Adds a new resource right after `after`, at the same indentation. */
export function insertResource(t: CfnTemplate, after: CfnResource, logicalId: string, value: CfnValue): TextEdit {
  const indent = indentAt(t.text, after.span.start);
  if (t.format === 'json') {
    return {
      file: t.path,
      start: after.span.end,
      end: after.span.end,
      text: `,\n${indent}${JSON.stringify(logicalId)}: ${renderJson(value, t, indent)}`,
    };
  }
  const at = lineEnd(t.text, after.span.end);
  return { file: t.path, start: at, end: at, text: `\n${indent}${logicalId}${yamlAfterKey(t, value, indent)}` };
}

/** Appends `items` (one or more, in one edit) to the block list at `path`, creating the list when missing. */
export function appendSeqItem(t: CfnTemplate, resource: CfnResource, path: Path, ...items: readonly CfnValue[]): TextEdit {
  let node: unknown = resource.node;
  for (const key of path) node = isMap(node) ? node.get(key, true) : isSeq(node) && typeof key === 'number' ? node.items[key] : undefined;
  if (node === undefined || node === null) return setProperty(t, resource, path, [...items]);
  if (!isSeq(node)) throw new UnsupportedEditError(`${path.join('.')} is not a list in ${t.path}`);
  const last = node.items[node.items.length - 1] as Node | undefined;
  const lastRange = last?.range;
  if (!lastRange) return setProperty(t, resource, path, [...items]);
  const end = contentEnd(t.text, lastRange[1]);
  if (t.format === 'json') {
    const indent = indentAt(t.text, lastRange[0]);
    return { file: t.path, start: end, end, text: items.map((item) => `,\n${indent}${renderJson(item, t, indent)}`).join('') };
  }
  if (node.flow) throw new UnsupportedEditError(`cannot edit a flow-style list in ${t.path}; use block style`);
  const dash = ' '.repeat(column(t.text, lastRange[0]) - 2);
  const text = items.map((item) => {
    const r = renderYaml([item], t);
    return 'inline' in r ? `${dash}${r.inline}` : r.block.map((l) => `${dash}${l}`).join('\n');
  });
  const at = lineEnd(t.text, end);
  return { file: t.path, start: at, end: at, text: `\n${text.join('\n')}` };
}

/**
 * `setProperty` through list items: `path` may hold indexes (`['Properties', 'Replicas', 1,
 * 'PointInTimeRecoverySpecification', 'PointInTimeRecoveryEnabled']`). The map of the last indexed
 * item is edited like a resource's, so the other items, and their comments, stay untouched.
 */
export function setPropertyAt(t: CfnTemplate, resource: CfnResource, path: Path, value: CfnValue): TextEdit {
  const last = path.findLastIndex((k) => typeof k === 'number');
  if (last < 0) return setProperty(t, resource, path, value);
  const item = nodeAt(resource, path.slice(0, last + 1));
  if (!isMap(item)) throw new UnsupportedEditError(`item ${path.slice(0, last + 1).join('.')} is not a map in ${t.path}`);
  return setProperty(t, { ...resource, node: item as YAMLMap<Node, Node> }, path.slice(last + 1), value);
}

/** Replaces a scalar where it stands, keeping its quoting; undefined when `node` is not a scalar. */
export function replaceScalar(t: CfnTemplate, node: Node | undefined, value: string): TextEdit | undefined {
  const range = node?.range;
  if (!isScalar(node) || !range) return undefined;
  const end = contentEnd(t.text, range[1]);
  const quote = t.text[range[0]];
  if (t.format === 'json') return { file: t.path, start: range[0], end, text: JSON.stringify(value) };
  const r = renderYaml(value, t);
  const text = quote === "'" || quote === '"' ? `${quote}${value}${quote}` : 'inline' in r ? r.inline : value;
  return { file: t.path, start: range[0], end, text };
}
