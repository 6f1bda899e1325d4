/**
 * cfn-lint on a CloudFormation template, in the validator jail (jail.ts). cfn-lint is found on
 * PATH (or CLOUDMEND_CFN_LINT) and run by its own Python interpreter, whose installation the jail
 * shows read-only; a pyenv shim is followed to the script it stands for.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import type { SourceFile } from '../source.js';
import { failsInJail, jailEnvironment, resolveExecutable, toolJail, type JailProbe, type ToolJail } from './jail.js';
import { boundedLine } from './report.js';
import { skippingValidator, type Validator, type ValidatorResult } from './result.js';

const TOOL = 'cfn-lint';

interface Match {
  Level?: string;
  Message?: string;
  Filename?: string;
  Rule?: { Id?: string };
  Location?: { Path?: (string | number)[] };
}

type Interpreted = { readonly script: string; readonly interpreter: string };

/** A Python console script and what the jail must show for it to run. */
interface PythonTool {
  readonly command: readonly string[];
  readonly tools: readonly string[];
}

const shebang = (path: string): string => readFileSync(path, 'utf8').slice(0, 512).split('\n')[0] ?? '';

/** The interpreter a script starts with, following a pyenv shim once; a string says why there is none. */
function interpreterOf(script: string, env: NodeJS.ProcessEnv, followShim = true): Interpreted | string {
  const line = shebang(script);
  const direct = /^#!\s*(\/\S*python[\d.]*)\s*$/.exec(line)?.[1];
  if (direct) return { script, interpreter: direct };
  const viaEnv = /^#!\s*\/usr\/bin\/env\s+(python[\d.]*)\s*$/.exec(line)?.[1];
  const found = viaEnv === undefined ? undefined : resolveExecutable(viaEnv, env);
  if (found) return { script, interpreter: found };
  const pyenv = /exec "([^"]+\/libexec\/pyenv)" exec/.exec(readFileSync(script, 'utf8').slice(0, 4096))?.[1];
  if (pyenv && followShim) {
    const real = execFileSync(pyenv, ['which', basename(script)], { env, encoding: 'utf8', timeout: 10_000 }).trim();
    return interpreterOf(real, env, false);
  }
  const instead = 'set CLOUDMEND_CFN_LINT to the cfn-lint script of a Python environment';
  return `${script} is not a Python script cloudmend can run in the validator jail; ${instead}`;
}

/** The script, its interpreter, and the interpreter's prefixes and module path. */
function pythonTool(name: string, env: NodeJS.ProcessEnv): PythonTool | string {
  const script = resolveExecutable(name, env);
  if (script === undefined) return `cfn-lint not found (${name}); pip install cfn-lint to lint CloudFormation fixes`;
  let found;
  try {
    found = interpreterOf(script, env);
  } catch (error) {
    return `cannot find the Python that runs ${script}: ${(error as Error).message.split('\n')[0]}`;
  }
  if (typeof found === 'string') return found;
  const ask = 'import json, sys; print(json.dumps([sys.prefix, sys.base_prefix, *sys.path]))';
  let paths: string[];
  try {
    // The jail's own variables, so the module path asked about is the one the jail will have.
    const env = jailEnvironment('/nonexistent', '/dev/null');
    const answer = execFileSync(found.interpreter, ['-c', ask], { env, encoding: 'utf8', timeout: 20_000 });
    paths = JSON.parse(answer) as string[];
  } catch (error) {
    return `cannot ask ${found.interpreter} where it is installed: ${(error as Error).message.split('\n')[0]}`;
  }
  const tools = [found.script, found.interpreter, ...paths.filter((p) => isAbsolute(p) && existsSync(p))];
  return { command: [found.interpreter, found.script], tools };
}

async function lint(jail: ToolJail, tool: PythonTool, files: readonly SourceFile[]): Promise<ValidatorResult> {
  const skip = (detail: string): ValidatorResult => ({ tool: TOOL, status: 'skipped', problems: [], detail });
  if (files.length === 0) return skip('no template to lint');
  const copy = mkdtempSync(join(tmpdir(), 'cloudmend-cfn-'));
  try {
    // Below the working directory, so that no template can be taken for a `.cfnlintrc`.
    mkdirSync(join(copy, 'templates'));
    const names = files.map((f) => {
      const name = `templates/${basename(f.path)}`;
      writeFileSync(join(copy, name), f.text);
      return name;
    });
    const run = await jail.run([...tool.command, '--format', 'json', '--', ...names], {
      copy,
      tools: tool.tools,
      timeoutMs: 120_000,
    });
    let matches: Match[];
    try {
      matches = JSON.parse(run.stdout || '[]') as Match[];
    } catch {
      return skip(`cfn-lint gave no JSON (${boundedLine(run.stderr.trim().split('\n').slice(-1)[0] ?? '')})`);
    }
    // Errors and warnings count; informational notes do not. A problem is known by its rule and
    // template path: messages can list resource names, which a fix that adds one changes.
    const problems = matches
      .filter((m) => m.Level === 'Error' || m.Level === 'Warning')
      .map((m) => {
        const rule = m.Rule?.Id ?? '?';
        if (m.Filename !== undefined && !names.includes(m.Filename)) {
          return { key: `${rule} outside the template`, message: `${rule} (outside the linted template)` };
        }
        const message = (m.Message ?? '').replace(/\s+/g, ' ');
        const where = m.Location?.Path?.join('/') ?? message.replace(/\b(line|column) \d+/g, '$1 N');
        return { key: `${rule} ${where}`, message: boundedLine(`${rule} ${message}`) };
      });
    const clean = problems.length === 0;
    const detail = clean ? 'cfn-lint: clean' : `cfn-lint: ${problems.length} problem(s)`;
    return { tool: TOOL, status: clean ? 'passed' : 'failed', problems, detail };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

export interface CfnLintValidatorOptions {
  readonly mode: 'auto' | 'off';
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** @default - the jail this machine allows (jail.ts) */
  readonly jail?: JailProbe | undefined;
}

/** A cfn-lint validator per the options: CLOUDMEND_CFN_LINT or `cfn-lint` on PATH, run in the jail. */
export async function cfnLintValidator(options: CfnLintValidatorOptions): Promise<Validator> {
  if (options.mode === 'off') return skippingValidator(TOOL, 'cfn-lint is off (validators.cfnLint.mode)');
  const env = options.env ?? process.env;
  const tool = pythonTool(env.CLOUDMEND_CFN_LINT ?? 'cfn-lint', env);
  if (typeof tool === 'string') return skippingValidator(TOOL, tool);
  const { jail, reason } = options.jail ?? (await toolJail(env));
  if (!jail) return skippingValidator(TOOL, reason);
  const failure = await failsInJail(jail, [...tool.command, '--version'], tool.tools);
  if (failure !== undefined) return skippingValidator(TOOL, failure);
  return { tool: TOOL, validate: (files) => lint(jail, tool, files) };
}
