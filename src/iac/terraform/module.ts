/**
 * A Terraform module as cloudmend reads it: the `.tf` files of one directory, every block with its
 * position, and the static values of variables (defaults) and locals for resolving names.
 */
import { attribute, blocks, parseHclStructure, type HclBlock, type HclBody } from './hcl-structure.js';
import { readHclValue, staticValue, type HclValue, type Resolver } from './hcl-expr.js';

export interface TfFile {
  /** Path relative to the repository root, with forward slashes. */
  readonly path: string;
  readonly text: string;
  readonly body: HclBody;
}

export interface TfResource {
  readonly file: TfFile;
  /** `resource`, `data` or `module`. */
  readonly mode: 'resource' | 'data' | 'module';
  /** Provider resource type (`aws_s3_bucket`); for modules, their `source`. */
  readonly type: string;
  readonly name: string;
  /** `aws_s3_bucket.logs`, `data.aws_iam_policy_document.p`, `module.s3`. */
  readonly address: string;
  readonly block: HclBlock;
}

export interface TfModule {
  readonly files: readonly TfFile[];
  readonly resources: readonly TfResource[];
  readonly resolve: Resolver;
}

export function parseTfFile(path: string, text: string): TfFile {
  return { path, text, body: parseHclStructure(text, path) };
}

function resourcesOf(file: TfFile): TfResource[] {
  return file.body.items.flatMap((item): TfResource[] => {
    if (item.kind !== 'block') return [];
    const [first, second] = item.labels;
    if ((item.type === 'resource' || item.type === 'data') && first !== undefined && second !== undefined) {
      const address = `${item.type === 'data' ? 'data.' : ''}${first}.${second}`;
      return [{ file, mode: item.type, type: first, name: second, address, block: item }];
    }
    if (item.type === 'module' && first !== undefined) {
      const source = attribute(item.body, 'source');
      const value = source ? staticValue(readHclValue(source.expr)) : undefined;
      return [{ file, mode: 'module', type: typeof value === 'string' ? value : '', name: first, address: `module.${first}`, block: item }];
    }
    return [];
  });
}

/** `var.x` → the variable's default; `local.x` → the local's expression. */
function resolverOf(files: readonly TfFile[]): Resolver {
  const values = new Map<string, HclValue>();
  for (const file of files) {
    for (const block of blocks(file.body, 'variable')) {
      const name = block.labels[0];
      const def = attribute(block.body, 'default');
      if (name !== undefined && def) values.set(`var.${name}`, readHclValue(def.expr));
    }
    for (const block of blocks(file.body, 'locals')) {
      for (const item of block.body.items) if (item.kind === 'attribute') values.set(`local.${item.name}`, readHclValue(item.expr));
    }
  }
  return (path) => values.get(path);
}

export function tfModule(files: readonly TfFile[]): TfModule {
  return { files, resources: files.flatMap(resourcesOf), resolve: resolverOf(files) };
}

/** The static value of a block's attribute, with variables and locals resolved. */
export function attrValue(module: TfModule, body: HclBody, name: string): ReturnType<typeof staticValue> {
  const attr = attribute(body, name);
  return attr ? staticValue(readHclValue(attr.expr), module.resolve) : undefined;
}

/** The raw expression of a block's attribute, parsed. */
export function attrExpr(body: HclBody, name: string): HclValue | undefined {
  const attr = attribute(body, name);
  return attr ? readHclValue(attr.expr) : undefined;
}

/** True when `value` refers to resource `address` (`aws_s3_bucket.logs.id`, `.bucket`, `.arn`, `[0].id`...). */
export function refersTo(value: HclValue | undefined, address: string): boolean {
  if (!value) return false;
  if (value.type === 'reference')
    return value.path === address || value.path.startsWith(`${address}.`) || value.path.startsWith(`${address}[`);
  if (value.type === 'template') return value.parts.some((p) => typeof p !== 'string' && refersTo(p, address));
  return false;
}
