/** How the real tools read a case's files: HashiCorp's parser for Terraform, YAML 1.1 or JSON for CloudFormation. */
import { parse as hcl2json } from '@cdktf/hcl2json';
import { parseAllDocuments } from 'yaml';

/** Files HashiCorp's HCL parser reads in a module (templates and other files are not HCL). */
export function isHcl(path: string): boolean {
  return /\.(tf|tfvars|hcl)$/.test(path);
}

const parsed = new Map<string, Promise<unknown>>();

/**
 * What HashiCorp's parser makes of a Terraform file; rejects with its diagnostics when it does not parse.
 * Memoized: most cases carry the same unchanged files.
 */
export function readTerraform(path: string, text: string): Promise<unknown> {
  const key = `${path}\u0000${text}`;
  const known = parsed.get(key);
  if (known) return known;
  const reading = hcl2json(path, text);
  parsed.set(key, reading);
  return reading;
}

/** The `yaml` package's errors on a YAML template (aliases, tags and all); empty when it parses. */
export function yamlErrors(text: string): string[] {
  return parseAllDocuments(text).flatMap((doc) => doc.errors.map((e) => e.message.split('\n')[0] ?? e.message));
}

/** Errors parsing a CloudFormation template the way the case's checks do: JSON.parse for `.json`, else YAML. */
export function templateErrors(path: string, text: string): string[] {
  if (!path.endsWith('.json')) return yamlErrors(text);
  try {
    JSON.parse(text);
    return [];
  } catch (error) {
    return [String(error)];
  }
}

/**
 * A template as CloudFormation reads it: JSON, or YAML 1.1, where NEL, U+2028, U+2029 and a lone carriage
 * return end a line (also inside comments) and yes/no/on/off are booleans.
 */
export function readTemplate(path: string, text: string): unknown {
  if (path.endsWith('.json')) return JSON.parse(text);
  const lines = text.replace(/\r\n/g, '\n').replace(/[\r\u0085\u2028\u2029]/g, '\n');
  const [first] = parseAllDocuments(lines, { version: '1.1' });
  return first?.toJS();
}

/** The value at `at` under `root`, or undefined. */
export function valueAt(root: unknown, at: readonly string[]): unknown {
  return at.reduce<unknown>(
    (node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
    root,
  );
}
