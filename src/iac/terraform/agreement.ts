/**
 * cloudmend reads Terraform twice: with its own structural reader, which knows where every block
 * and attribute is (edits are splices at those positions), and with HashiCorp's parser, which is
 * what Terraform runs. A file is only read when the two agree exactly: the same blocks with the
 * same labels in the same order, the same attributes, and each attribute's text, read on its own
 * by HashiCorp's parser, meaning what HashiCorp reads at that place in the file. Anything else (a
 * heredoc one reader ends where the other does not, a character one takes for space) is refused:
 * a patch is never judged on a reading Terraform does not share.
 */
import { isDeepStrictEqual } from 'node:util';
import { CloudmendError } from '../../errors.js';
import { IacSyntaxError } from '../errors.js';
import { readHclJson, type HclJson } from './hashicorp.js';
import { parseHclStructure, type HclAttribute, type HclBody } from './hcl-structure.js';
import type { TfFile } from './module.js';

/** A Terraform file whose structure both readers agree on, with HashiCorp's JSON form of it. */
export interface VerifiedTfFile extends TfFile {
  readonly json: HclJson;
}

/** cloudmend's structural reading of a file differs from HashiCorp's: the file is not judged. */
export class ParserDisagreement extends CloudmendError {
  override name = 'ParserDisagreement';
  override readonly userFacing = true;
  readonly file: string;

  constructor(file: string, text: string, offset: number, detail: string) {
    const line = text.slice(0, offset).split('\n').length;
    super(
      `${file}:${line}: cloudmend's reading differs from Terraform's (HashiCorp's parser): ${detail}; the file is refused rather than judged on a reading Terraform does not share`,
    );
    this.file = file;
  }
}

/** Every attribute of a body, nested blocks included, in source order. */
function attributesOf(body: HclBody): HclAttribute[] {
  return body.items.flatMap((item) => (item.kind === 'attribute' ? [item] : attributesOf(item.body)));
}

type Shape = { [key: string]: unknown };

/**
 * The body in HCL's JSON form as hcl2json builds it (blocks nested by their labels, each body in
 * an array), attributes holding what `valueOf` gives; the first conflict found, if any.
 */
function shapeOf(body: HclBody, valueOf: (a: HclAttribute) => unknown, conflicts: number[]): Shape {
  const out: Shape = {};
  for (const item of body.items) {
    if (item.kind === 'attribute') {
      if (Object.hasOwn(out, item.name)) conflicts.push(item.span.start);
      out[item.name] = valueOf(item);
      continue;
    }
    let node: Shape = out;
    let key = item.type;
    for (const label of item.labels) {
      const next = Object.hasOwn(node, key) ? node[key] : (node[key] = {});
      if (next === null || typeof next !== 'object' || Array.isArray(next)) {
        conflicts.push(item.span.start);
        break;
      }
      node = next as Shape;
      key = label;
    }
    const list = Object.hasOwn(node, key) ? node[key] : (node[key] = []);
    if (Array.isArray(list)) list.push(shapeOf(item.body, valueOf, conflicts));
    else conflicts.push(item.span.start);
  }
  return out;
}

/** Where two JSON values first differ, as a path (`resource.aws_s3_bucket.b[0].acl`), or undefined. */
function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path} (${a.length} against ${b.length})`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d !== undefined) return d;
    }
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const d = firstDifference((a as Shape)[key], (b as Shape)[key], path === '' ? key : `${path}.${key}`);
      if (d !== undefined) return d;
    }
  }
  return path === '' ? 'the file' : path;
}

/** The offset of the first line whose words name the differing path, for the message's line number. */
function offsetOf(text: string, path: string): number {
  const words = path.split(/[.[\]\s(]+/).filter((w) => /^[A-Za-z_][\w-]*$/.test(w));
  const last = words[words.length - 1];
  return last === undefined ? 0 : Math.max(0, text.indexOf(last));
}

/**
 * Reads a Terraform file with both readers and returns it only when they agree; throws
 * `IacSyntaxError` when HashiCorp's parser refuses the file, `ParserDisagreement` otherwise.
 */
export function readTerraformFile(path: string, text: string): Promise<VerifiedTfFile> {
  // Both sides of a patch hold the same unchanged files: each is read once.
  const key = `${path}\u0000${text}`;
  const cached = READ.get(key);
  if (cached) return cached;
  const reading = verify(path, text);
  if (READ.size >= MAX_READ) READ.clear();
  READ.set(key, reading);
  return reading;
}

/** Recently read files (their readings never change: they are a function of path and text). */
const READ = new Map<string, Promise<VerifiedTfFile>>();
const MAX_READ = 2_000;

async function verify(path: string, text: string): Promise<VerifiedTfFile> {
  const json = await readHclJson(path, text);
  let body: HclBody;
  try {
    body = parseHclStructure(text, path);
  } catch (error) {
    if (!(error instanceof IacSyntaxError)) throw error;
    throw new ParserDisagreement(path, text, 0, `Terraform parses the file, cloudmend's reader does not (${error.message})`);
  }
  await checkAgreement(path, text, body, json);
  return { path, text, body, json };
}

/**
 * Throws `ParserDisagreement` unless `body` (cloudmend's structural reading of `text`) is what
 * HashiCorp's parser reads (`json`): the same blocks, labels and attributes, each attribute's text
 * meaning on its own what it means in the file.
 */
export async function checkAgreement(path: string, text: string, body: HclBody, json: HclJson): Promise<void> {
  const attributes = attributesOf(body);
  // Each attribute's text on a line of its own: read alone, it must mean what it means in the file.
  const alone = attributes.map((a, i) => `a${i} = ${a.expr}\n`).join('');
  let values: HclJson;
  try {
    values = await readHclJson(path, alone);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ParserDisagreement(path, text, 0, `an attribute's text is not one expression on its own (${detail})`);
  }
  if (Object.keys(values).length !== attributes.length)
    throw new ParserDisagreement(path, text, 0, 'the attributes cloudmend delimits are not those Terraform reads');
  const index = new Map(attributes.map((a, i) => [a, `a${i}`]));
  const conflicts: number[] = [];
  const shape = shapeOf(body, (a) => values[index.get(a) ?? ''], conflicts);
  if (conflicts.length > 0) throw new ParserDisagreement(path, text, conflicts[0] ?? 0, 'a name is used twice in one body');
  const difference = firstDifference(shape, json, '');
  if (difference !== undefined) throw new ParserDisagreement(path, text, offsetOf(text, difference), `they read ${difference} differently`);
}
