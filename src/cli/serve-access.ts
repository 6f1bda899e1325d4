/**
 * Where `cloudmend serve` takes its bearer token and its allowed Host names from, and what it says
 * about them at start. Precedence: the option, then the environment, then the default (a fresh
 * token; no extra names). Neither is read from the config file: the token is a secret, and a
 * tunnel's name belongs to one session, not to the deployed configuration.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { parseHostName, type ServeAccess } from '../local/request-guard.js';

export const SERVE_ENV = { token: 'CLOUDMEND_SERVE_TOKEN', allowedHosts: 'CLOUDMEND_SERVE_ALLOWED_HOSTS' } as const;

export interface ServeAccessOptions {
  /** A file holding the token (kept out of `ps` and shell history, unlike a `--token` value). */
  readonly tokenFile?: string | undefined;
  readonly allowedHost?: readonly string[] | undefined;
}

type TokenSource = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'env' | 'generated' };

export interface ResolvedAccess {
  readonly access: ServeAccess;
  /** Where the token came from; `generated` tokens are printed once at start. */
  readonly tokenSource: TokenSource;
}

/** RFC 6750's b64token, long enough to be a secret (`openssl rand -hex 16` is the shortest that passes). */
const TOKEN = /^[A-Za-z0-9._~+/-]{32,}=*$/;
const TOKEN_HINT = 'at least 32 characters of letters, digits and - . _ ~ + / (make one with: openssl rand -hex 32)';

function readTokenFile(cwd: string, file: string): string {
  try {
    return readFileSync(resolve(cwd, file), 'utf8').trim();
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new UsageError(`--token-file ${file} cannot be read (${code})`, { cause });
  }
}

interface SourcedToken {
  readonly token: string;
  readonly tokenSource: TokenSource;
}

/** `token` when it looks like a secret; the message names where it came from, never the token. */
function checked(given: SourcedToken, name: string): SourcedToken {
  if (!TOKEN.test(given.token)) throw new UsageError(`${name} must be ${TOKEN_HINT}`);
  return given;
}

function tokenFrom(options: ServeAccessOptions, env: NodeJS.ProcessEnv, cwd: string): SourcedToken {
  const file = options.tokenFile;
  if (file !== undefined) {
    const token = readTokenFile(cwd, file);
    return checked({ token, tokenSource: { kind: 'file', path: file } }, `the token in ${file}`);
  }
  const fromEnv = env[SERVE_ENV.token];
  if (fromEnv !== undefined) return checked({ token: fromEnv, tokenSource: { kind: 'env' } }, SERVE_ENV.token);
  return { token: randomBytes(32).toString('base64url'), tokenSource: { kind: 'generated' } };
}

function allowedHostsFrom(options: ServeAccessOptions, env: NodeJS.ProcessEnv): string[] {
  const [source, values] =
    options.allowedHost !== undefined && options.allowedHost.length > 0
      ? ['--allowed-host', options.allowedHost.flatMap((v) => v.split(','))]
      : [SERVE_ENV.allowedHosts, (env[SERVE_ENV.allowedHosts] ?? '').split(/[\s,]+/)];
  const hosts = values.map((v) => v.trim()).filter((v) => v !== '');
  const wrong = hosts.filter((host) => parseHostName(host) === undefined).map((w) => JSON.stringify(w));
  if (wrong.length > 0) {
    const verb = wrong.length === 1 ? 'is not a host name' : 'are not host names';
    throw new UsageError(`${source}: ${wrong.join(', ')} ${verb}: give name or name:port, such as abc.ngrok.app`);
  }
  return hosts;
}

/** The token and allowed hosts of `cloudmend serve`; a token that is given must look like a secret. */
export function resolveServeAccess(options: ServeAccessOptions, env: NodeJS.ProcessEnv, cwd: string): ResolvedAccess {
  const { token, tokenSource } = tokenFrom(options, env, cwd);
  return { access: { token, allowedHosts: allowedHostsFrom(options, env) }, tokenSource };
}

const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * What `serve` prints at start about the token: a ready-to-copy curl line for `url`. A generated
 * token is printed here once (in an `export` line), and nowhere else ever.
 */
export function accessHelp(resolved: ResolvedAccess, url: string): string {
  return `${eventsHelp(resolved, url)}${consoleHelp(url)}`;
}

/**
 * How to open the web console with the token: in the URL's fragment, which the page keeps for its tab
 * and browsers never send to a server (so it stays out of any log). The shell fills the token in.
 */
const consoleHelp = (url: string): string =>
  `the web console at ${url}/ asks for the token, or open the address this prints:\n  echo "${url}/#token=$${SERVE_ENV.token}"\n`;

function eventsHelp(resolved: ResolvedAccess, url: string): string {
  const headers = `-H "Authorization: Bearer $${SERVE_ENV.token}" -H 'Content-Type: application/json'`;
  const curl = `  curl -sS ${headers} --data-binary @event.json ${url}/events\n`;
  const { tokenSource } = resolved;
  if (tokenSource.kind === 'env') return `POST /events needs Authorization: Bearer $${SERVE_ENV.token}, e.g.\n${curl}`;
  if (tokenSource.kind === 'file') {
    const exported = `  export ${SERVE_ENV.token}="$(cat ${shellQuote(tokenSource.path)})"\n`;
    return `POST /events needs Authorization: Bearer <the token in ${tokenSource.path}>, e.g.\n${exported}${curl}`;
  }
  const intro = `POST /events needs this run's bearer token, shown only here (set ${SERVE_ENV.token} to choose one)`;
  return `${intro}, e.g.\n  export ${SERVE_ENV.token}=${resolved.access.token}\n${curl}`;
}
