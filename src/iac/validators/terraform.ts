/**
 * `terraform validate` on a module's files, in a private workspace initialised once (offline from a
 * plugin directory or mirror when configured). Detected, never assumed: no terraform, no provider,
 * or registry modules that need the network make it skip with the reason.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { runTool } from './run-tool.js';
import { skippingValidator, type Problem, type Validator, type ValidatorResult } from './result.js';

export interface TerraformValidatorOptions {
  /**
   * auto: validate when terraform is installed and a provider mirror makes `init` work offline;
   * online: also let `terraform init` download providers; off: never.
   */
  readonly mode: 'auto' | 'online' | 'off';
  readonly pluginDir?: string | undefined;
  readonly binary?: string | undefined;
  readonly env?: NodeJS.ProcessEnv | undefined;
}

const TOOL = 'terraform-validate';
const REMOTE_MODULE = /^\s*source\s*=\s*"(?!\.{1,2}\/)[^"]+"/m;

interface Diagnostic {
  severity: string;
  summary: string;
  detail?: string;
  snippet?: { context?: string | null; code?: string };
}

// A problem is known by what it says and the block it is in: line numbers move with every fix.
function problemsOf(stdout: string): Problem[] | undefined {
  try {
    const json = JSON.parse(stdout) as { diagnostics?: Diagnostic[] };
    return (json.diagnostics ?? [])
      .filter((d) => d.severity === 'error')
      .map((d) => {
        const message = `${d.summary}${d.detail ? `: ${d.detail.split('\n')[0]}` : ''}`;
        return { key: `${message} in ${d.snippet?.context ?? 'the module'}`, message };
      });
  } catch {
    return undefined;
  }
}

class TerraformValidator implements Validator {
  readonly tool = TOOL;
  #dir: string | undefined;
  #initialised = false;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly binary: string,
    private readonly options: TerraformValidatorOptions,
  ) {}

  validate(files: readonly { path: string; text: string }[]): Promise<ValidatorResult> {
    // One workspace: validations run one at a time.
    const next = this.#queue.then(() => this.#validate(files));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #validate(files: readonly { path: string; text: string }[]): Promise<ValidatorResult> {
    const skip = (detail: string): ValidatorResult => ({ tool: TOOL, status: 'skipped', problems: [], detail });
    if (files.some((f) => /^\s*module\s+"/m.test(f.text) && REMOTE_MODULE.test(f.text))) return skip('the module uses registry or remote modules, which terraform init cannot fetch offline');
    const dir = (this.#dir ??= mkdtempSync(join(tmpdir(), 'cloudmend-tf-')));
    for (const entry of readdirSync(dir)) if (entry.endsWith('.tf')) rmSync(join(dir, entry));
    for (const f of files) writeFileSync(join(dir, basename(f.path)), f.text);
    const env = { ...(this.options.env ?? process.env), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
    if (!this.#initialised) {
      const args = ['init', '-backend=false', '-input=false', '-no-color', ...(this.options.pluginDir ? [`-plugin-dir=${this.options.pluginDir}`] : [])];
      const init = await runTool(this.binary, args, { cwd: dir, env, timeoutMs: 180_000 });
      if (init.code !== 0) {
        const why = (init.stderr || init.stdout).split('\n').find((l) => /Error|error/.test(l))?.replace(/[│╷╵]/g, '').trim() ?? 'unknown error';
        return skip(`terraform init failed (${why}); set validators.terraform.pluginDir or CLOUDMEND_TERRAFORM_PLUGIN_DIR to a provider mirror to validate offline`);
      }
      this.#initialised = true;
    }
    const run = await runTool(this.binary, ['validate', '-json', '-no-color'], { cwd: dir, env, timeoutMs: 120_000 });
    const problems = problemsOf(run.stdout);
    if (!problems) return skip(`terraform validate gave no JSON (${run.stderr.trim().split('\n')[0] ?? ''})`);
    // A provider the workspace was not initialised for: initialise again for this module once.
    if (problems.some((p) => /Missing required provider|Inconsistent dependency lock file|Module not installed/.test(p.message)) && this.#initialised) {
      this.#initialised = false;
      rmSync(join(dir, '.terraform.lock.hcl'), { force: true });
      return this.#validate(files);
    }
    return { tool: TOOL, status: problems.length === 0 ? 'passed' : 'failed', problems, detail: problems.length === 0 ? 'terraform validate: valid' : `terraform validate: ${problems.length} error(s)` };
  }
}

/**
 * A terraform validator per the options: the configured binary or `terraform` on PATH, plugin dir
 * from options or CLOUDMEND_TERRAFORM_PLUGIN_DIR.
 */
export async function terraformValidator(options: TerraformValidatorOptions): Promise<Validator> {
  if (options.mode === 'off') return skippingValidator(TOOL, 'terraform validation is off (validators.terraform.mode)');
  const env = options.env ?? process.env;
  const binary = options.binary ?? env.CLOUDMEND_TERRAFORM ?? 'terraform';
  const version = await runTool(binary, ['version'], { env: { ...env, CHECKPOINT_DISABLE: '1' }, timeoutMs: 20_000 });
  if (version.missing || version.code !== 0) return skippingValidator(TOOL, `terraform not found (${binary}); install terraform to validate Terraform fixes`);
  const pluginDir = options.pluginDir ?? env.CLOUDMEND_TERRAFORM_PLUGIN_DIR;
  // Never a surprise download: without a mirror, init would fetch providers from the registry.
  if (pluginDir === undefined && options.mode !== 'online') {
    return skippingValidator(TOOL, 'no provider mirror for an offline terraform init: set validators.terraform.pluginDir or CLOUDMEND_TERRAFORM_PLUGIN_DIR (terraform providers mirror <dir>), or mode: online');
  }
  return new TerraformValidator(binary, { ...options, pluginDir });
}
