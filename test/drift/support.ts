/** Fixtures for drift tests: configuration items, Terraform modules and CloudFormation templates per type. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { driftOf, type DriftReport } from '../../src/drift/index.js';
import type { IacKind, SourceFile } from '../../src/iac/source.js';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

export const TYPES = [
  's3-bucket',
  'security-group',
  'iam-role',
  'iam-policy',
  'lambda-function',
  'rds-instance',
  'kms-key',
  'dynamodb-table',
] as const;
export type TypeName = (typeof TYPES)[number];

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- configuration items are JSON fixtures, mutated in place as Config would change them */
export type Item = Record<string, any>;

/** The fixture file of a type's configuration item (an event or a bare item). */
export function itemFile(type: TypeName): string {
  const name = readdirSync(join(FIXTURES, 'items')).find((f) => f === `${type}.json` || f === `${type}-event.json`);
  if (!name) throw new Error(`no item fixture for ${type}`);
  return join(FIXTURES, 'items', name);
}

/** A fresh copy of a type's fixture, and its configuration item inside (for mutation). */
export function liveOf(type: TypeName, mutate: (ci: Item) => void = () => undefined): Item {
  const raw = JSON.parse(readFileSync(itemFile(type), 'utf8')) as Item;
  mutate((raw.detail?.configurationItem ?? raw) as Item);
  return raw;
}

/** Reads a supplementary value that may be JSON text, and writes it back in the same form. */
export function updateSupplementary(ci: Item, key: string, update: (value: any) => any): void {
  const current = ci.supplementaryConfiguration[key];
  const text = typeof current === 'string';
  const next = update(text ? JSON.parse(current) : current);
  ci.supplementaryConfiguration[key] = text ? JSON.stringify(next) : next;
}

/** URL-encodes a policy document as IAM (and so Config) does. */
export function encodePolicy(doc: unknown): string {
  return encodeURIComponent(JSON.stringify(doc)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function decodePolicy(text: string): any {
  return JSON.parse(decodeURIComponent(text));
}
/* eslint-enable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment */

export function terraformFiles(type: TypeName, edit: (text: string) => string = (t) => t): SourceFile[] {
  const dir = join(FIXTURES, 'terraform', type);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .map((f) => ({ path: `${type}/${f}`, text: edit(readFileSync(join(dir, f), 'utf8')) }));
}

export function cloudformationFiles(type: TypeName, edit: (text: string) => string = (t) => t): SourceFile[] {
  const name = readdirSync(join(FIXTURES, 'cloudformation')).find((f) => f.startsWith(`${type}.`));
  if (!name) throw new Error(`no template fixture for ${type}`);
  return [{ path: name, text: edit(readFileSync(join(FIXTURES, 'cloudformation', name), 'utf8')) }];
}

export function filesOf(kind: IacKind, type: TypeName, edit?: (text: string) => string): SourceFile[] {
  return kind === 'terraform' ? terraformFiles(type, edit) : cloudformationFiles(type, edit);
}

/** Drift of a type's fixture declaration against `live`. */
export function driftFor(
  kind: IacKind,
  type: TypeName,
  live: unknown,
  options: { edit?: (text: string) => string; address?: string } = {},
): DriftReport {
  return driftOf({ kind, files: filesOf(kind, type, options.edit), address: options.address }, live);
}

/** The fields a classification test checks. */
export function summary(report: DriftReport): { path: string; class: string; category?: string; weakens: boolean }[] {
  return report.differences.map((d) => ({
    path: d.path,
    class: d.class,
    ...(d.category ? { category: d.category } : {}),
    weakens: d.weakens,
  }));
}
