/**
 * `cloudmend serve`: the local runtime behind HTTP, so the real Slack flow can be tried through a
 * tunnel and scripted here.
 *
 * - `POST /events`: one EventBridge event (`Content-Type: application/json`, `Authorization:
 *   Bearer <token>`). Answers 202 at once and runs it in the background; `?wait=1` answers 200
 *   with the results when the run ends (approvals included).
 * - `POST /slack/interactions`: Slack's interactivity requests, through the same handler as the
 *   Lambda Function URL (signature, approvers, the ledger's compare-and-set). Slack's servers
 *   authenticate by the signature; they have no bearer token.
 * - `GET /healthz`.
 * - The web console, when given (src/console/): its page at `GET /` (a static shell, no data) and
 *   its JSON API under `/api/`, which needs the bearer token like `/events`.
 *
 * Every request is checked in this order (request-guard.ts), each step before anything of the
 * next is read: its Host names this server (421), no other site's web page made it (403), the
 * route exists (404/405), then for `/events` and `/api/` the token (401), for `/events` the content type (415), and only
 * then the body. So a caller without the token learns nothing but the status. Bodies are capped
 * (an EventBridge event is at most 256 KB) and never echoed back.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleSlackInteraction, type HttpResponse, type InteractionDeps } from '../approvals/interactions.js';
import { ASSET_PATHS, CONSOLE_HEADERS } from '../console/assets.js';
import type { WebConsole } from '../console/index.js';
import { printable } from '../printable.js';
import {
  bearerCheck,
  crossSiteRefusal,
  hostMatcher,
  hostRefusal,
  isJsonContentType,
  type Refusal,
  unauthorized,
  type ServeAccess,
} from './request-guard.js';
import type { RunOutput } from './runtime.js';
import { plural } from '../plural.js';

/** EventBridge's own limit on an event's size. */
const MAX_EVENT_BYTES = 256 * 1024;
/** Slack interaction payloads are far smaller; this only bounds what a stranger can make us read. */
const MAX_INTERACTION_BYTES = 1024 * 1024;

export interface LocalServerOptions {
  /** Runs one event through the remediate workflow. */
  readonly runEvent: (event: unknown) => Promise<RunOutput>;
  /** Absent: Slack is not configured, and `/slack/interactions` says so with 503. */
  readonly interactions?: Omit<InteractionDeps, 'now'> | undefined;
  /** The bearer token of `POST /events` and the console's API, and the Host names beyond the server's own. */
  readonly access: ServeAccess;
  /** Absent: no console; `/` and `/api/` answer 404. */
  readonly console?: WebConsole | undefined;
  /** One line per request and per finished run; never a body, a token or a signature. */
  readonly log: (line: string) => void;
  readonly now?: () => Date;
}

class TooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return reject(new TooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.destroy();
        reject(new TooLarge());
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const json = (statusCode: number, body: unknown, headers: Readonly<Record<string, string>> = {}): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: `${JSON.stringify(body)}\n`,
});
const refused = (refusal: Refusal): HttpResponse => json(refusal.statusCode, { error: refusal.error }, refusal.headers);
const NOT_JSON = 'POST /events takes one EventBridge event as Content-Type: application/json';

function send(res: ServerResponse, response: HttpResponse): void {
  res.writeHead(response.statusCode, response.headers).end(response.body);
}

function summaryOf(out: RunOutput): string {
  if (out.interrupted) return `interrupted: ${out.interrupted}`;
  if (out.error) return `rejected: ${out.error.Error}: ${out.error.Cause}`;
  const counts = new Map<string, number>();
  for (const r of out.results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return `${plural(out.results.length, 'finding')}${[...counts].map(([status, n]) => `, ${status} ${n}`).join('')}`;
}

/**
 * The HTTP server of `cloudmend serve`, not yet listening. Its own Host names (loopback and the
 * bound address, on the bound port) are known once it listens; until then it answers to none.
 */
export function createLocalServer(options: LocalServerOptions): Server {
  const now = options.now ?? (() => new Date());
  const log = (line: string): void => options.log(printable(line));
  const authorized = bearerCheck(options.access.token);
  // Set once the server listens: its own Host names depend on the port it was given.
  let isOwnHost: (host: string) => boolean = () => false;

  async function events(req: IncomingMessage, url: URL): Promise<HttpResponse> {
    if (!authorized(req.headers.authorization)) return refused(unauthorized('POST /events'));
    if (!isJsonContentType(req.headers['content-type'])) return json(415, { error: NOT_JSON });
    let event: unknown;
    try {
      event = JSON.parse(await readBody(req, MAX_EVENT_BYTES));
    } catch (error) {
      if (error instanceof TooLarge) return json(413, { error: `an event may be at most ${MAX_EVENT_BYTES} bytes (EventBridge's limit)` });
      return json(400, { error: 'the body is not JSON: POST one EventBridge event' });
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event))
      return json(400, { error: 'POST one EventBridge event (a JSON object), not an array or a value' });
    const run = options.runEvent(event).then(
      (out) => (log(`event ${out.eventId ?? '(no id)'}: ${summaryOf(out)}`), out),
      (error: unknown) => {
        log(`event run failed: ${error instanceof Error ? error.message : String(error)}`);
        throw error;
      },
    );
    if (url.searchParams.get('wait') !== '1') {
      run.catch(() => undefined);
      return json(202, { accepted: true });
    }
    try {
      const out = await run;
      return json(out.error ? 422 : 200, out);
    } catch (error) {
      return json(500, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  async function consoleApi(req: IncomingMessage, url: URL, api: WebConsole['api']): Promise<HttpResponse> {
    if (!authorized(req.headers.authorization)) return refused(unauthorized('the console API'));
    const answer = await api({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams });
    return json(answer.status, answer.body, CONSOLE_HEADERS);
  }

  async function interactions(req: IncomingMessage): Promise<HttpResponse> {
    let body: string;
    try {
      body = await readBody(req, MAX_INTERACTION_BYTES);
    } catch {
      return { statusCode: 413, headers: { 'content-type': 'text/plain' }, body: 'too large' };
    }
    if (!options.interactions)
      return json(503, { error: 'Slack is not configured: set SLACK_SIGNING_SECRET (and SLACK_BOT_TOKEN) before cloudmend serve' });
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
    return handleSlackInteraction(
      { headers, body },
      { ...options.interactions, now, report: (level, message) => log(`slack ${level}: ${message}`) },
    );
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    const handle = async (): Promise<HttpResponse> => {
      const refusal = hostRefusal(req, isOwnHost) ?? crossSiteRefusal(req);
      if (refusal) {
        if (refusal.logDetail) log(`${route}: ${refusal.logDetail}`);
        return refused(refusal);
      }
      if (route === 'POST /events') return events(req, url);
      if (route === 'POST /slack/interactions') return interactions(req);
      if (route === 'GET /healthz') return json(200, { ok: true });
      const { console: web } = options;
      if (web && url.pathname.startsWith('/api/')) return consoleApi(req, url, web.api);
      const asset = web && req.method === 'GET' ? web.asset(url.pathname) : undefined;
      if (asset) return asset;
      const known = ['/events', '/slack/interactions', '/healthz', ...(web ? ASSET_PATHS : [])].includes(url.pathname);
      return json(known ? 405 : 404, {
        error: known
          ? `${req.method} is not allowed on ${url.pathname}`
          : `no route ${url.pathname}: POST /events, POST /slack/interactions, GET /healthz${web ? ', GET / (the console)' : ''}`,
      });
    };
    handle().then(
      (response) => {
        log(`${route} ${response.statusCode}`);
        send(res, response);
      },
      (error: unknown) => {
        log(`${route} 500: ${error instanceof Error ? error.message : String(error)}`);
        send(res, json(500, { error: 'internal error; see the cloudmend serve log' }));
      },
    );
  });
  server.on('listening', () => {
    isOwnHost = hostMatcher(server.address() as AddressInfo, options.access.allowedHosts);
  });
  return server;
}
