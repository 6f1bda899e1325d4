/** cfn-lint on a CloudFormation template, detected on PATH (or CLOUDMEND_CFN_LINT). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { runTool } from './run-tool.js';
import { skippingValidator, type Validator, type ValidatorResult } from './result.js';

const TOOL = 'cfn-lint';

interface Match {
  Level?: string;
  Message?: string;
  Rule?: { Id?: string };
  Location?: { Path?: (string | number)[] };
}

async function lint(binary: string, env: NodeJS.ProcessEnv, files: readonly { path: string; text: string }[]): Promise<ValidatorResult> {
  const dir = mkdtempSync(join(tmpdir(), 'cloudmend-cfn-'));
  try {
    const paths = files.map((f) => {
      const p = join(dir, basename(f.path));
      writeFileSync(p, f.text);
      return p;
    });
    const run = await runTool(binary, ['--format', 'json', '--', ...paths], { env, timeoutMs: 120_000 });
    let matches: Match[];
    try {
      matches = JSON.parse(run.stdout || '[]') as Match[];
    } catch {
      return { tool: TOOL, status: 'skipped', problems: [], detail: `cfn-lint gave no JSON (${run.stderr.trim().split('\n')[0] ?? ''})` };
    }
    // Errors and warnings count; informational notes do not. A problem is known by its rule and
    // template path: messages can list resource names, which a fix that adds one changes.
    const problems = matches
      .filter((m) => m.Level === 'Error' || m.Level === 'Warning')
      .map((m) => {
        const message = (m.Message ?? '').replace(/\s+/g, ' ');
        const path = m.Location?.Path?.join('/');
        return { key: `${m.Rule?.Id ?? '?'} ${path ?? message.replace(/\b(line|column) \d+/g, '$1 N')}`, message: `${m.Rule?.Id ?? '?'} ${message}` };
      });
    return { tool: TOOL, status: problems.length === 0 ? 'passed' : 'failed', problems, detail: problems.length === 0 ? 'cfn-lint: clean' : `cfn-lint: ${problems.length} problem(s)` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function cfnLintValidator(options: { mode: 'auto' | 'off'; env?: NodeJS.ProcessEnv | undefined }): Promise<Validator> {
  if (options.mode === 'off') return skippingValidator(TOOL, 'cfn-lint is off (validators.cfnLint.mode)');
  const env = options.env ?? process.env;
  const binary = env.CLOUDMEND_CFN_LINT ?? 'cfn-lint';
  const version = await runTool(binary, ['--version'], { env, timeoutMs: 30_000 });
  if (version.missing || version.code !== 0) return skippingValidator(TOOL, `cfn-lint not found (${binary}); pip install cfn-lint to lint CloudFormation fixes`);
  return { tool: TOOL, validate: (files) => lint(binary, env, files) };
}
