/** Walking evaluated resources: every setting by path, and holders for facts. */
import { isList, isObject, type Val } from '../iac/values.js';
import type { Holder } from './facts.js';
import type { Props, Resource, Setting } from './side.js';

export interface Entry {
  /** `['ingress', '0', 'cidr_blocks']`. */
  readonly path: readonly string[];
  /** The key the value is under (the last named step); empty for a list item. */
  readonly name: string;
  readonly value: Val;
}

/** Every value under `props`, nested ones included, each with its path. */
export function entries(props: Props | Val): Entry[] {
  const out: Entry[] = [];
  const visit = (v: Val, path: string[], name: string): void => {
    if (path.length > 0) out.push({ path, name, value: v });
    if (isList(v)) v.forEach((item, i) => visit(item, [...path, String(i)], name));
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) visit(x, [...path, k], k);
  };
  visit(props, [], '');
  return out;
}

/** `ingress[0].cidr_blocks`: a path as messages show it. */
export function shownPath(path: readonly string[]): string {
  return path.reduce((s, p) => (/^\d+$/.test(p) ? `${s}[${p}]` : s === '' ? p : `${s}.${p}`), '');
}

/** `lifecycle.prevent_destroy`: a path as messages show it, list indexes left out. */
export function namePath(path: readonly string[]): string {
  return path.filter((p) => !/^\d+$/.test(p)).join('.');
}

export function holderOf(r: Resource | Setting): Holder {
  return { key: r.key, id: 'id' in r ? r.id : r.key.replace(/^.*\/\//, ''), file: r.file, line: r.line };
}

/** The directory part of a Terraform key (`infra//aws_s3_bucket.b` → `infra//`), empty at the top. */
export function dirOf(key: string): string {
  const i = key.lastIndexOf('//');
  return i < 0 ? '' : key.slice(0, i + 2);
}

/** Resources of a side by key. */
export function byKey<T extends { readonly key: string }>(list: readonly T[]): Map<string, T> {
  return new Map(list.map((r) => [r.key, r]));
}
