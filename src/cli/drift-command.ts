/** `cloudmend drift`: how a live resource (an AWS Config configuration item) differs from its IaC declaration. */
import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { driftOf, renderReport } from '../drift/index.js';
import type { IacKind, SourceFile } from '../iac/source.js';
import type { Io } from './io.js';

export interface DriftOptions {
  readonly template: string;
  readonly live: string;
  readonly resource?: string | undefined;
  readonly json?: boolean | undefined;
}

const TEMPLATE = /\.(ya?ml|json|template)$/i;

function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') ? path : rel.split('\\').join('/');
}

function stat(path: string, what: string): Stats {
  try {
    return statSync(path);
  } catch {
    throw new UsageError(`${what} not found: ${path}`);
  }
}

/**
 * The IaC files `--template` names: a `.tf` file brings its whole module (the `.tf` files of its
 * directory, where sibling resources and locals live), a directory is a module, anything else a
 * CloudFormation template.
 */
function readTemplate(template: string, cwd: string): { kind: IacKind; files: SourceFile[]; prefer?: string[] } {
  const path = resolve(cwd, template);
  const info = stat(path, 'template file');
  const tfFiles = (dir: string): SourceFile[] =>
    readdirSync(dir)
      .filter((name) => name.endsWith('.tf'))
      .sort()
      .map((name) => ({ path: shown(cwd, join(dir, name)), text: readFileSync(join(dir, name), 'utf8') }));
  if (info.isDirectory()) {
    const files = tfFiles(path);
    if (files.length === 0)
      throw new UsageError(
        `${template} is a directory without .tf files; pass a Terraform module directory, a .tf file or a CloudFormation template`,
      );
    return { kind: 'terraform', files };
  }
  if (path.endsWith('.tf')) return { kind: 'terraform', files: tfFiles(dirname(path)), prefer: [shown(cwd, path)] };
  if (TEMPLATE.test(path)) return { kind: 'cloudformation', files: [{ path: shown(cwd, path), text: readFileSync(path, 'utf8') }] };
  throw new UsageError(
    `cannot tell the IaC kind of ${basename(path)} (${extname(path) || 'no extension'}): pass a .tf file, a Terraform module directory, or a CloudFormation template (.yaml, .yml, .json, .template)`,
  );
}

function readLive(live: string, cwd: string): unknown {
  const path = resolve(cwd, live);
  stat(path, 'live configuration item file');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (cause) {
    throw new UsageError(`${live} is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Runs drift; returns 0 without drift, 1 with drift. User mistakes throw and exit 2. */
export function runDrift(options: DriftOptions, io: Io): number {
  const template = readTemplate(options.template, io.cwd);
  const item = readLive(options.live, io.cwd);
  const report = driftOf({ kind: template.kind, files: template.files, address: options.resource, preferFiles: template.prefer }, item);
  io.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
  return report.drifted ? 1 : 0;
}

export function registerDrift(program: Command, io: Io, setExitCode: (code: number) => void): void {
  program
    .command('drift')
    .description(
      'compare a resource declared in Terraform or CloudFormation with its AWS Config configuration item; classify each difference',
    )
    .requiredOption(
      '-t, --template <file>',
      'a .tf file (its directory is read as the module), a Terraform module directory, or a CloudFormation template',
    )
    .requiredOption('-l, --live <file>', 'a configuration item as JSON, or a "Config Configuration Item Change" event holding one')
    .option(
      '-r, --resource <address>',
      "Terraform address or CloudFormation logical id (default: the only resource of the item's type, or the one named like it)",
    )
    .option('--json', 'print machine-readable JSON')
    .addHelpText(
      'after',
      '\nExit status: 0 when there is no drift, 1 when there is drift, 2 for a usage error (missing file, unsupported type, resource not found or ambiguous).',
    )
    .action((options: DriftOptions) => setExitCode(runDrift(options, io)));
}
