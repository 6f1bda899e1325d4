/**
 * A small fake of the GitHub REST API, served in process over `node:http` so Octokit runs
 * unmodified against it: one repository (`acme/infra`) with the Git Data endpoints, pull requests,
 * labels, token and GitHub App installation authentication, and injectable failures. Answers are
 * shaped as GitHub documents them (`github-fake-json.ts`), and every exchange is kept so tests can
 * check it against GitHub's REST description (`github-openapi.ts`).
 */
import { randomBytes, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  blobJson,
  commitJson,
  installationTokenJson,
  issueCommentJson,
  labelJson,
  pullJson,
  refJson,
  repositoryJson,
  treeJson,
  type FakePull,
} from './github-fake-json.js';
import { ObjectStore, type FileSpec, type PathEntry } from './github-fake-store.js';

export type { FakePull } from './github-fake-json.js';

export const OWNER = 'acme';
export const REPO = 'infra';
export const TOKEN = 'ghp_test-token-0123456789';
/** The configured repositories, as cloudmend's config would give them. */
export const REPOSITORIES = { infra: { owner: OWNER, repo: REPO, defaultBranch: 'main' } };
const IDS = REPOSITORIES.infra;

export interface FakeResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export interface RecordedRequest {
  readonly method: string;
  /** Decoded path without the query. */
  readonly path: string;
  /** The path as sent, percent-escapes kept. */
  readonly rawPath: string;
  readonly query: URLSearchParams;
  /** The body as sent; empty when there was none. */
  readonly text: string;
  /** The body parsed; empty when there was none. */
  readonly body: Record<string, unknown>;
  readonly contentType: string | undefined;
  readonly authorization: string | undefined;
}

/** One request and what the fake answered (`hang`: nothing). */
export interface Exchange {
  readonly request: RecordedRequest;
  readonly response: FakeResponse | 'hang';
}

interface Failure {
  readonly method: string;
  readonly path: RegExp;
  times: number;
  /** `hang`: never answer; `lost`: carry the request out, then never answer (an answer lost in transit). */
  readonly response: FakeResponse | 'hang' | 'lost';
}

type Handler = (request: RecordedRequest, params: string[]) => FakeResponse;

export class FakeGitHub {
  readonly store = new ObjectStore();
  readonly refs = new Map<string, string>();
  readonly pulls: FakePull[] = [];
  /** Comments on pull requests, in the order written. */
  readonly comments: { readonly number: number; readonly body: string }[] = [];
  /** The repository's labels, in the order they were created. */
  readonly labels = new Set<string>();
  readonly requests: RecordedRequest[] = [];
  readonly exchanges: Exchange[] = [];
  readonly tokens = new Set([TOKEN]);
  /** When set, installation tokens are minted for JWTs this key verifies. */
  app: { readonly id: string; readonly installationId: number /** PEM. */; readonly publicKey: string } | undefined;
  /** Makes recursive tree listings come back truncated, as GitHub does for very large trees. */
  truncateRecursive = false;
  url = '';
  private readonly failures: Failure[] = [];
  private readonly server: Server;
  private readonly routes: [string, RegExp, Handler][];

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
    const repo = `/repos/${OWNER}/${REPO}`;
    this.routes = [
      ['POST', /^\/app\/installations\/(\d+)\/access_tokens$/, (r, [id]) => this.mintToken(r, Number(id))],
      ['GET', new RegExp(`^${repo}$`), () => ok(repositoryJson(IDS, true))],
      ['GET', new RegExp(`^${repo}/git/ref/(.+)$`), (_r, [ref]) => this.getRef(`refs/${ref}`)],
      ['POST', new RegExp(`^${repo}/git/refs$`), (r) => this.createRef(String(r.body.ref), String(r.body.sha))],
      [
        'PATCH',
        new RegExp(`^${repo}/git/refs/(.+)$`),
        (r, [ref]) => this.updateRef(`refs/${ref}`, String(r.body.sha), r.body.force === true),
      ],
      ['DELETE', new RegExp(`^${repo}/git/refs/(.+)$`), (_r, [ref]) => this.deleteRef(`refs/${ref}`)],
      ['GET', new RegExp(`^${repo}/git/commits/(\\w+)$`), (_r, [sha = '']) => this.getCommit(sha)],
      ['POST', new RegExp(`^${repo}/git/commits$`), (r) => this.createCommit(r.body)],
      ['GET', new RegExp(`^${repo}/git/trees/(\\w+)$`), (r, [sha = '']) => this.getTree(sha, r.query.has('recursive'))],
      ['POST', new RegExp(`^${repo}/git/trees$`), (r) => this.createTree(r.body)],
      ['POST', new RegExp(`^${repo}/git/blobs$`), (r) => this.createBlob(r.body)],
      ['GET', new RegExp(`^${repo}/git/blobs/(\\w+)$`), (_r, [sha = '']) => this.getBlob(sha)],
      [
        'GET',
        new RegExp(`^${repo}/pulls$`),
        (r) =>
          ok(
            // Newest first, as GitHub sorts by default.
            [...this.pulls]
              .reverse()
              .filter((p) => [p.state, 'all'].includes(r.query.get('state') ?? 'open') && `${OWNER}:${p.head}` === r.query.get('head'))
              .map((p) => this.pullJson(p)),
          ),
      ],
      ['POST', new RegExp(`^${repo}/pulls$`), (r) => this.createPull(r.body)],
      ['PATCH', new RegExp(`^${repo}/pulls/(\\d+)$`), (r, [n]) => this.updatePull(Number(n), r.body)],
      ['POST', new RegExp(`^${repo}/issues/(\\d+)/labels$`), (r, [n]) => this.addLabels(Number(n), r.body.labels as string[])],
      ['POST', new RegExp(`^${repo}/issues/(\\d+)/comments$`), (r, [n]) => this.addComment(Number(n), String(r.body.body))],
    ];
  }

  static async start(): Promise<FakeGitHub> {
    const fake = new FakeGitHub();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** Answers the next `times` requests matching `method` and `path` with `response`; `hang` never answers, `lost` acts but never answers. */
  fail(method: string, path: RegExp, times: number, response: FakeResponse | 'hang' | 'lost'): void {
    this.failures.push({ method, path, times, response });
  }

  /** Drops the failures not used up yet: GitHub is back. */
  heal(): void {
    this.failures.length = 0;
  }

  /** Commits `files` on top of the branch (or as its first commit) and moves the branch. */
  commit(branch: string, files: Readonly<Record<string, FileSpec>>, message = 'test commit'): string {
    const parent = this.refs.get(`refs/heads/${branch}`);
    const base = parent === undefined ? undefined : this.store.get(parent, 'commit')?.tree;
    const tree = this.store.treeWith(files, base);
    const sha = this.store.put({
      type: 'commit',
      tree,
      parents: parent === undefined ? [] : [parent],
      message,
      author: { name: 'Test User', email: 'test@example.com' },
    });
    this.refs.set(`refs/heads/${branch}`, sha);
    return sha;
  }

  /** The regular files of `commit`, by path. */
  filesOf(commit: string): Record<string, string> {
    return this.store.files(this.store.get(commit, 'commit')?.tree ?? '');
  }

  /** Requests whose method and path match. */
  calls(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const text = Buffer.concat(chunks).toString('utf8');
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      // Octokit escapes the slashes of a ref parameter; GitHub reads both forms.
      path: decodeURIComponent(url.pathname),
      rawPath: url.pathname,
      query: url.searchParams,
      text,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      contentType: req.headers['content-type'],
      authorization: req.headers.authorization,
    };
    this.requests.push(request);
    const response = this.respond(request);
    this.exchanges.push({ request, response });
    if (response === 'hang') return;
    res.writeHead(response.status, {
      'content-type': 'application/json; charset=utf-8',
      'x-ratelimit-remaining': '4999',
      ...response.headers,
    });
    res.end(response.body === undefined ? '' : JSON.stringify(response.body));
  }

  private respond(request: RecordedRequest): FakeResponse | 'hang' {
    const failure = this.failures.find((f) => f.times > 0 && f.method === request.method && f.path.test(request.path));
    if (failure !== undefined) {
      failure.times -= 1;
      if (failure.response !== 'lost') return failure.response;
      this.route(request);
      return 'hang';
    }
    return this.route(request);
  }

  private route(request: RecordedRequest): FakeResponse {
    const isTokenRequest = request.path.startsWith('/app/');
    const [scheme, credential = ''] = (request.authorization ?? '').split(' ');
    if (!isTokenRequest && (scheme?.toLowerCase() !== 'token' || !this.tokens.has(credential))) return error(401, 'Bad credentials');
    for (const [method, pattern, handler] of this.routes) {
      const match = pattern.exec(request.path);
      if (match !== null && method === request.method) return handler(request, match.slice(1));
    }
    return error(404, 'Not Found');
  }

  private mintToken(request: RecordedRequest, installationId: number): FakeResponse {
    const [scheme, jwt = ''] = (request.authorization ?? '').split(' ');
    const [header = '', payload = '', signature = ''] = jwt.split('.');
    const app = this.app;
    if (app === undefined || scheme?.toLowerCase() !== 'bearer') return error(401, 'A JSON web token could not be decoded');
    const valid = verify('sha256', Buffer.from(`${header}.${payload}`), app.publicKey, Buffer.from(signature, 'base64url'));
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8') || '{}') as { iss?: unknown; exp?: number };
    if (!valid || String(claims.iss) !== app.id || (claims.exp ?? 0) * 1000 < Date.now())
      return error(401, 'A JSON web token could not be decoded');
    if (installationId !== app.installationId) return error(404, 'Not Found');
    const token = `ghs_${randomBytes(12).toString('hex')}`;
    this.tokens.add(token);
    return created(installationTokenJson(token));
  }

  private getRef(ref: string): FakeResponse {
    const sha = this.refs.get(ref);
    return sha === undefined ? error(404, 'Not Found') : ok(refJson(IDS, ref, sha));
  }

  private createRef(ref: string, sha: string): FakeResponse {
    if (!ref.startsWith('refs/') || this.store.get(sha, 'commit') === undefined) return error(422, 'Reference update failed');
    if (this.refs.has(ref)) return error(422, 'Reference already exists');
    this.refs.set(ref, sha);
    return created(refJson(IDS, ref, sha));
  }

  private updateRef(ref: string, sha: string, force: boolean): FakeResponse {
    const current = this.refs.get(ref);
    if (current === undefined) return error(422, 'Reference does not exist');
    if (!force && !this.store.reaches(sha, current)) return error(422, 'Update is not a fast forward');
    this.refs.set(ref, sha);
    return ok(refJson(IDS, ref, sha));
  }

  private deleteRef(ref: string): FakeResponse {
    if (!this.refs.delete(ref)) return error(422, 'Reference does not exist');
    return { status: 204 };
  }

  private getCommit(sha: string): FakeResponse {
    const commit = this.store.get(sha, 'commit');
    if (commit === undefined) return error(404, 'Not Found');
    return ok(commitJson(IDS, sha, commit));
  }

  private createCommit(body: Record<string, unknown>): FakeResponse {
    const tree = String(body.tree);
    const parents = body.parents as string[];
    const author = body.author as { name: string; email: string };
    if (this.store.get(tree, 'tree') === undefined || !parents.every((p) => this.store.get(p, 'commit') !== undefined))
      return error(422, 'Tree SHA does not exist');
    const commit = {
      type: 'commit' as const,
      tree,
      parents,
      message: String(body.message),
      author: { name: author.name, email: author.email },
    };
    return created(commitJson(IDS, this.store.put(commit), commit));
  }

  private getTree(sha: string, recursive: boolean): FakeResponse {
    const tree = this.store.get(sha, 'tree');
    if (tree === undefined) return error(404, 'Not Found');
    const entries = recursive ? this.store.flatten(sha) : tree.entries.map((e) => ({ ...e, path: e.name }));
    const listed = recursive && this.truncateRecursive ? entries.slice(0, 1) : entries;
    return ok(this.treeJson(sha, listed, recursive && this.truncateRecursive));
  }

  private createTree(body: Record<string, unknown>): FakeResponse {
    let tree = typeof body.base_tree === 'string' ? body.base_tree : this.store.tree([]);
    for (const entry of body.tree as { path: string; mode: string; type: 'blob'; sha: string }[]) {
      if (this.store.get(entry.sha, 'blob') === undefined) return error(422, `Invalid tree info: ${entry.sha} is not a blob`);
      const next = this.store.putPath(tree, entry.path, { mode: entry.mode, type: entry.type, sha: entry.sha });
      if (next === undefined) return error(422, `Invalid tree info: ${entry.path}`);
      tree = next;
    }
    return created(
      this.treeJson(
        tree,
        (this.store.get(tree, 'tree')?.entries ?? []).map((e) => ({ ...e, path: e.name })),
        false,
      ),
    );
  }

  private treeJson(sha: string, entries: readonly PathEntry[], truncated: boolean): Record<string, unknown> {
    return treeJson(
      IDS,
      sha,
      entries.map((e) => ({ ...e, size: e.type === 'blob' ? this.store.get(e.sha, 'blob')?.content.length : undefined })),
      truncated,
    );
  }

  private createBlob(body: Record<string, unknown>): FakeResponse {
    const content = Buffer.from(String(body.content), body.encoding === 'base64' ? 'base64' : 'utf8');
    return created(blobJson(IDS, this.store.blob(content)));
  }

  private getBlob(sha: string): FakeResponse {
    const blob = this.store.get(sha, 'blob');
    return blob === undefined ? error(404, 'Not Found') : ok(blobJson(IDS, sha, blob.content));
  }

  private createPull(body: Record<string, unknown>): FakeResponse {
    const head = String(body.head);
    const base = String(body.base);
    if (!this.refs.has(`refs/heads/${head}`)) return validationFailed({ resource: 'PullRequest', field: 'head', code: 'invalid' });
    if (!this.refs.has(`refs/heads/${base}`)) return validationFailed({ resource: 'PullRequest', field: 'base', code: 'invalid' });
    if (this.pulls.some((p) => p.state === 'open' && p.head === head && p.base === base))
      return validationFailed({ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${OWNER}:${head}.` });
    const pull: FakePull = {
      number: this.pulls.length + 1,
      title: String(body.title),
      body: String(body.body),
      head,
      base,
      state: 'open',
      labels: [],
    };
    this.pulls.push(pull);
    return created(this.pullJson(pull));
  }

  private updatePull(number: number, body: Record<string, unknown>): FakeResponse {
    const pull = this.pulls.find((p) => p.number === number);
    if (pull === undefined) return error(404, 'Not Found');
    if (typeof body.title === 'string') pull.title = body.title;
    if (typeof body.body === 'string') pull.body = body.body;
    if (body.state === 'open' || body.state === 'closed') pull.state = body.state;
    return ok(this.pullJson(pull));
  }

  private addLabels(number: number, labels: string[]): FakeResponse {
    const pull = this.pulls.find((p) => p.number === number);
    if (pull === undefined) return error(404, 'Not Found');
    for (const label of labels) {
      // GitHub creates a label the repository does not have yet.
      this.labels.add(label);
      if (!pull.labels.includes(label)) pull.labels.push(label);
    }
    return ok(pull.labels.map((name) => labelJson(IDS, name, this.labelId(name))));
  }

  private addComment(number: number, body: string): FakeResponse {
    if (!this.pulls.some((p) => p.number === number)) return error(404, 'Not Found');
    this.comments.push({ number, body });
    return created(issueCommentJson(IDS, number, 9000 + this.comments.length, body));
  }

  private labelId(name: string): number {
    return 7000 + [...this.labels].indexOf(name);
  }

  private pullJson(pull: FakePull): Record<string, unknown> {
    const sha = (branch: string): string => this.refs.get(`refs/heads/${branch}`) ?? '0'.repeat(40);
    return pullJson(IDS, pull, { head: sha(pull.head), base: sha(pull.base) }, (name) => this.labelId(name));
  }
}

function ok(body: unknown): FakeResponse {
  return { status: 200, body };
}

function created(body: unknown): FakeResponse {
  return { status: 201, body };
}

/** A GitHub error body. */
export function error(status: number, message: string, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers, body: { message, documentation_url: 'https://docs.github.com/rest' } };
}

/** GitHub's answer to a request it found invalid: the reasons are in `errors`, not in `message`. */
function validationFailed(...errors: Record<string, string>[]): FakeResponse {
  return { status: 422, body: { message: 'Validation Failed', errors, documentation_url: 'https://docs.github.com/rest' } };
}
