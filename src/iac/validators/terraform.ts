/**
 * `terraform validate` on a module's files, in the validator jail (jail.ts), in a private copy
 * initialised once from a provider mirror (`init -plugin-dir`): nothing is ever downloaded. Before
 * terraform runs, every module call is read with HashiCorp's parser and any source that is not a
 * local path refuses the run (module-sources.ts). Detected, never assumed: no jail, no terraform
 * or no mirror make it skip with the reason.
 */
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { failsInJail, resolveExecutable, toolJail, type JailProbe, type ToolJail } from './jail.js';
import { describeCall, isLocalSource, moduleCalls } from './module-sources.js';
import { boundedLine, readsOutsideModule, withoutForeignQuotes } from './report.js';
import { skippingValidator, type Problem, type Validator, type ValidatorResult } from './result.js';
import type { ToolRun } from './run-tool.js';

export interface TerraformValidatorOptions {
  /** auto: validate when the jail, terraform and a provider mirror are all there; off: never. */
  readonly mode: 'auto' | 'off';
  readonly pluginDir?: string | undefined;
  readonly binary?: string | undefined;
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** @default - the jail this machine allows (jail.ts) */
  readonly jail?: JailProbe | undefined;
}

const TOOL = 'terraform-validate';
const MIRROR_SETTING = 'validators.terraform.pluginDir or CLOUDMEND_TERRAFORM_PLUGIN_DIR';
const WITHHELD = 'details withheld: the files read a file by a path that may lie outside the module';

interface Diagnostic {
  severity: string;
  summary: string;
  detail?: string;
  range?: { filename?: string };
  snippet?: { context?: string | null };
}

type CopyFile = { readonly path: string; readonly text: string };

/**
 * Errors in the copied files only, each said as the model may see it (report.ts). A problem is
 * known by what it says and the block it is in: line numbers move with every fix.
 */
function problemsOf(stdout: string, files: readonly CopyFile[]): Problem[] | undefined {
  let json: { diagnostics?: Diagnostic[] };
  try {
    json = JSON.parse(stdout) as { diagnostics?: Diagnostic[] };
  } catch {
    return undefined;
  }
  const names = new Set(files.map((f) => f.path));
  const withheld = readsOutsideModule(files);
  return (json.diagnostics ?? [])
    .filter((d) => d.severity === 'error')
    .map((d) => {
      const file = d.range?.filename;
      const summary = withoutForeignQuotes(d.summary, files);
      if (file !== undefined && !names.has(file)) {
        const outside = `${summary} outside the validated files`;
        return { key: outside, message: `${boundedLine(summary)} (outside the validated files)` };
      }
      const detail = !d.detail ? '' : withheld ? ` (${WITHHELD})` : `: ${d.detail.split('\n')[0]}`;
      const text = withoutForeignQuotes(`${d.summary}${detail}`, files);
      const key = `${text} in ${d.snippet?.context ?? 'the module'}`;
      return { key, message: boundedLine(file ? `${file}: ${text}` : text) };
    });
}

/** The files below their common directory (the root module at the top, local modules below), or why they cannot be. */
function layout(files: readonly CopyFile[]): CopyFile[] | string {
  const dirs = files.map((f) => f.path.split('/').slice(0, -1));
  const common: string[] = [];
  for (let i = 0; dirs.every((d) => d.length > i && d[i] === dirs[0]![i]); i++) common.push(dirs[0]![i]!);
  const laid = files.map((f) => ({ path: f.path.split('/').slice(common.length).join('/'), text: f.text }));
  const bad = laid.find((f) => f.path.split('/').some((part) => part === '' || part === '.' || part === '..'));
  return bad ? `the file path ${JSON.stringify(bad.path).slice(0, 200)} cannot be copied` : laid;
}

function firstErrorLine(run: ToolRun, files: readonly CopyFile[]): string {
  const line = (run.stderr || run.stdout).split('\n').find((l) => /error/i.test(l));
  return boundedLine(withoutForeignQuotes(line?.replace(/[│╷╵]/g, '') ?? `exit ${run.code}`, files));
}

/** Problems terraform reports when the copy was initialised for another module. */
const STALE_INIT = /Missing required provider|Inconsistent dependency lock file|Module not installed/;
const KEPT = new Set(['.terraform', '.terraform.lock.hcl']);

class TerraformValidator implements Validator {
  readonly tool = TOOL;
  #copy: string | undefined;
  #initialised = false;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly jail: ToolJail,
    private readonly binary: string,
    private readonly pluginDir: string,
  ) {}

  validate(files: readonly CopyFile[]): Promise<ValidatorResult> {
    // One copy: validations run one at a time.
    const next = this.#queue.then(() => this.#validate(files));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #run(args: readonly string[], copy: string, timeoutMs: number): Promise<ToolRun> {
    return this.jail.run([this.binary, ...args], { copy, tools: [this.binary, this.pluginDir], timeoutMs });
  }

  async #validate(all: readonly CopyFile[]): Promise<ValidatorResult> {
    const skip = (detail: string, refused?: string[]): ValidatorResult => ({
      tool: TOOL,
      status: 'skipped',
      problems: [],
      detail,
      refused,
    });
    const laid = layout(all.filter((f) => /\.tf(\.json)?$/.test(f.path)));
    if (typeof laid === 'string') return skip(`terraform was not run: ${laid}`);
    let calls;
    try {
      calls = await moduleCalls(laid);
    } catch {
      return skip('terraform was not run: the files do not parse, so their module sources cannot be checked');
    }
    const remote = calls.filter((c) => !isLocalSource(c.source)).map(describeCall);
    if (remote.length > 0) {
      const refused = `${remote.join(', ')} is not a local path, and the validator fetches nothing`;
      return skip(`terraform was not run: ${refused}`, remote);
    }

    const copy = (this.#copy ??= mkdtempSync(join(tmpdir(), 'cloudmend-tf-')));
    for (const entry of readdirSync(copy)) {
      if (!KEPT.has(entry)) rmSync(join(copy, entry), { recursive: true, force: true });
    }
    for (const f of laid) {
      mkdirSync(dirname(join(copy, f.path)), { recursive: true });
      writeFileSync(join(copy, f.path), f.text);
    }
    if (!this.#initialised) {
      // Module installation is for local paths only (checked above); without modules, none at all.
      const args = ['init', '-backend=false', '-input=false', '-no-color', `-plugin-dir=${this.pluginDir}`];
      const init = await this.#run([...args, ...(calls.length === 0 ? ['-get=false'] : [])], copy, 180_000);
      if (init.code !== 0) {
        const why = firstErrorLine(init, laid);
        const hint = /provider/i.test(why) ? `; the provider mirror (${MIRROR_SETTING}) must hold its providers` : '';
        return skip(`terraform init failed offline (${why})${hint}`);
      }
      this.#initialised = true;
    }
    const run = await this.#run(['validate', '-json', '-no-color'], copy, 120_000);
    const problems = problemsOf(run.stdout, laid);
    if (!problems) return skip(`terraform validate gave no JSON (${firstErrorLine(run, laid)})`);
    // A provider or module the copy was not initialised for: initialise again for this module once.
    if (problems.some((p) => STALE_INIT.test(p.message)) && this.#initialised) {
      this.#initialised = false;
      rmSync(join(copy, '.terraform.lock.hcl'), { force: true });
      return this.#validate(all);
    }
    const valid = problems.length === 0;
    const detail = valid ? 'terraform validate: valid' : `terraform validate: ${problems.length} error(s)`;
    return { tool: TOOL, status: valid ? 'passed' : 'failed', problems, detail };
  }
}

/**
 * A terraform validator per the options: the configured binary or `terraform` on PATH, plugin dir
 * from options or CLOUDMEND_TERRAFORM_PLUGIN_DIR, run in the jail.
 */
export async function terraformValidator(options: TerraformValidatorOptions): Promise<Validator> {
  if (options.mode === 'off') return skippingValidator(TOOL, 'terraform validation is off (validators.terraform.mode)');
  const env = options.env ?? process.env;
  const name = options.binary ?? env.CLOUDMEND_TERRAFORM ?? 'terraform';
  const binary = resolveExecutable(name, env);
  if (binary === undefined) {
    return skippingValidator(TOOL, `terraform not found (${name}); install terraform to validate Terraform fixes`);
  }
  const configured = options.pluginDir ?? env.CLOUDMEND_TERRAFORM_PLUGIN_DIR;
  // Never a download: init reads providers from a mirror, in a jail without network.
  if (configured === undefined) {
    const how = `set ${MIRROR_SETTING} (made with: terraform providers mirror <dir>)`;
    return skippingValidator(TOOL, `no provider mirror for an offline terraform init: ${how}`);
  }
  // The jail shows the mirror at its real path; terraform must be given that one.
  let pluginDir: string;
  try {
    pluginDir = realpathSync(configured);
  } catch {
    return skippingValidator(TOOL, `the provider mirror ${configured} does not exist (${MIRROR_SETTING})`);
  }
  const { jail, reason } = options.jail ?? (await toolJail(env));
  if (!jail) return skippingValidator(TOOL, reason);
  const failure = await failsInJail(jail, [binary, 'version'], [binary, pluginDir]);
  return failure === undefined ? new TerraformValidator(jail, binary, pluginDir) : skippingValidator(TOOL, failure);
}
