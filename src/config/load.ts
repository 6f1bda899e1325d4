/**
 * Finding and reading the config file. Every problem is reported at once, each with its path in
 * the file and its line, so one edit fixes them all.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { ConfigError } from '../errors.js';
import { formatPath } from '../validation.js';
import { unknownKeyHint } from './key-hints.js';
import { ConfigSchema, type Config } from './schema.js';

export const DEFAULT_CONFIG_FILE = 'cloudmend.config.yaml';

export interface LoadedConfig {
  readonly config: Config;
  /** The file it came from; undefined when no file exists and defaults apply. */
  readonly file: string | undefined;
  /** Relative paths in the config (repository locations, ledger) resolve against this directory. */
  readonly baseDir: string;
}

/** Where the config comes from: explicit path → CLOUDMEND_CONFIG → ./cloudmend.config.yaml → none. */
export function resolveConfigPath(explicit: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  if (explicit) return resolve(cwd, explicit);
  if (env.CLOUDMEND_CONFIG) return resolve(cwd, env.CLOUDMEND_CONFIG);
  const local = resolve(cwd, DEFAULT_CONFIG_FILE);
  return existsSync(local) ? local : undefined;
}

/** Parses and validates config text; `file` only names it in messages. */
export function parseConfig(text: string, file: string): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(`${file} is not valid YAML:\n${doc.errors.map((e) => `  - ${e.message.split('\n')[0]}`).join('\n')}`);
  }
  const parsed = ConfigSchema.safeParse(doc.toJS() ?? {});
  if (parsed.success) return parsed.data;
  // A missing key has no node: point at the nearest enclosing one instead.
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    for (let n = path.length; n > 0; n--) {
      const node: unknown = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const lines = parsed.error.issues.map((issue) => {
    const line = lineOf(issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path);
    const message = issue.code === 'unrecognized_keys' ? unknownKeyHint(ConfigSchema, issue.path, issue.keys) : issue.message;
    return `  - ${formatPath(issue.path)}${line === undefined ? '' : ` (line ${line})`}: ${message}`;
  });
  throw new ConfigError(`${file} has ${lines.length === 1 ? 'a problem' : `${lines.length} problems`}:\n${lines.join('\n')}`);
}

/** Loads the config the precedence rules pick, or the defaults when there is no file. */
export function loadConfig(options: { path?: string | undefined; env?: NodeJS.ProcessEnv; cwd?: string } = {}): LoadedConfig {
  const cwd = options.cwd ?? process.cwd();
  const file = resolveConfigPath(options.path, options.env ?? process.env, cwd);
  if (!file) return { config: ConfigSchema.parse({ version: 1 }), file: undefined, baseDir: cwd };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? 'unknown error'})`;
    throw new ConfigError(`config file ${file} ${why}; pass --config <file> or set CLOUDMEND_CONFIG`, { cause });
  }
  return { config: parseConfig(text, file), file, baseDir: dirname(file) };
}
