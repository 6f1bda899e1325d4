/**
 * HashiCorp's own reading of HCL, through `@cdktf/hcl2json`: HashiCorp's Go parser
 * (`hclsyntax`) compiled to WebAssembly. What it reads is what Terraform reads, so every safety
 * decision on Terraform starts here; cloudmend's own structural reader (`hcl-structure.ts`) is only
 * trusted where it has been shown to agree with this one (`agreement.ts`).
 *
 * Two readings are offered: a whole file as HCL's JSON form (blocks as nested objects and arrays,
 * literal values as JSON, every other expression as a `${...}` template holding its source), and
 * one expression as a syntax tree, each node with its exact source text.
 */
import type * as Hcl2json from '@cdktf/hcl2json';
import { IacSyntaxError } from '../errors.js';

/** A file in HCL's JSON form, as `hcl2json` writes it. */
export type HclJson = { [key: string]: unknown };

/** A text field of a node's `meta` (`name`, `fullAccessor`...), empty when absent or not text. */
export function metaText(node: ExprNode, key: string): string {
  const v = node.meta[key];
  return typeof v === 'string' ? v : '';
}

/** One node of an expression's syntax tree, as `getExpressionAst` writes it. */
export interface ExprNode {
  /** `literalValue`, `template`, `templateWrap`, `scopeTraversal`, `function`, `tuple`, `object`... */
  readonly type: string;
  readonly children: readonly ExprNode[];
  /** `value` is the node's exact source text; the other fields depend on the type. */
  readonly meta: { readonly value?: string; readonly [key: string]: unknown };
}

type Bridge = typeof Hcl2json;

let bridge: Promise<Bridge> | undefined;

/** Loaded on first use: it compiles a 6 MB WebAssembly parser that tasks never reading Terraform should not pay for. */
function hcl2json(): Promise<Bridge> {
  bridge ??= import('@cdktf/hcl2json');
  return bridge;
}

/** `a.tf:3,7-9: Invalid expression; ...` → the error at its position in the file. */
function syntaxError(path: string, text: string, error: unknown): IacSyntaxError {
  const message = String(error instanceof Error ? error.message : error);
  const m = /:(\d+),(\d+)-\d+: (.*)$/s.exec(message.replace(/^parse config: \[|\]$/g, ''));
  const line = Number(m?.[1] ?? 1);
  const offset =
    text
      .split('\n')
      .slice(0, line - 1)
      .join('\n').length + Number(m?.[2] ?? 1);
  return new IacSyntaxError(path, text, Math.min(offset, text.length), (m?.[3] ?? message).split(';')[0] ?? message);
}

/** The file as HashiCorp's parser reads it; throws `IacSyntaxError` with Terraform's message when it does not parse. */
export async function readHclJson(path: string, text: string): Promise<HclJson> {
  const { parse } = await hcl2json();
  try {
    return (await parse(path, text)) as HclJson;
  } catch (error) {
    throw syntaxError(path, text, error);
  }
}

/** Nodes of a type the bridge does not name (object keys, parentheses) come without `meta`: given an empty one. */
function complete(node: ExprNode): ExprNode {
  const raw = node as unknown as { meta?: ExprNode['meta']; children?: ExprNode[] };
  raw.meta ??= {};
  raw.children ??= [];
  for (const child of raw.children) complete(child);
  return node;
}

/** Trees of recently read expressions: the two sides of a patch share most of their text. */
const TREES = new Map<string, Promise<ExprNode>>();
const MAX_TREES = 20_000;

/**
 * An expression's syntax tree as HashiCorp's parser reads it; throws `IacSyntaxError` when the
 * text is not one expression.
 */
export function expressionTree(text: string): Promise<ExprNode> {
  const cached = TREES.get(text);
  if (cached) return cached;
  // The parser wants a heredoc's closing marker ended by a newline.
  const tree = hcl2json().then(async ({ getExpressionAst }) => {
    try {
      const node = (await getExpressionAst('expression.tf', `${text}\n`)) as ExprNode | null;
      if (!node) throw new Error('empty expression');
      return complete(node);
    } catch (error) {
      throw syntaxError('expression', text, error);
    }
  });
  if (TREES.size >= MAX_TREES) TREES.clear();
  TREES.set(text, tree);
  // A failure is not remembered: the next caller gets its own error.
  tree.catch(() => TREES.delete(text));
  return tree;
}
