/**
 * The bodies the fake GitHub answers with, shaped as GitHub documents them (every required property
 * of the documented response, with fixed filler where the fake keeps no state), so code written
 * against the fake reads what GitHub sends. `github-openapi.test.ts` checks them against GitHub's
 * published REST description.
 */
import type { TreeItem } from './github-fake-store.js';

export const API = 'https://api.github.example';
export const WEB = 'https://github.example';
const TIME = '2024-01-02T03:04:05Z';

/** A pull request as the fake keeps it. */
export interface FakePull {
  readonly number: number;
  title: string;
  body: string;
  readonly head: string;
  readonly base: string;
  state: 'open' | 'closed';
  /** Closed by merging (then `state` is `closed` too). */
  merged?: boolean;
  readonly labels: string[];
}

/** The repository the fake serves, as pull requests and the repository endpoint carry it. */
export interface RepositoryIds {
  readonly owner: string;
  readonly repo: string;
  readonly defaultBranch: string;
}

/** `<base>/<name>` as `<name>_url` for each name, the hypermedia links GitHub puts in most objects. */
function links(base: string, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [`${name}_url`, `${base}/${name}`]));
}

function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`${kind}:${id}`).toString('base64');
}

/** A `simple-user`. */
export function userJson(login: string, id: number, type: 'User' | 'Organization' | 'Bot'): Record<string, unknown> {
  const url = `${API}/users/${login}`;
  return {
    login,
    id,
    node_id: nodeId('User', id),
    avatar_url: `${WEB}/avatars/${id}`,
    gravatar_id: '',
    url,
    html_url: `${WEB}/${login}`,
    type,
    site_admin: false,
    ...links(url, ['events', 'followers', 'following', 'gists', 'organizations', 'received_events', 'repos', 'starred', 'subscriptions']),
  };
}

/** A `repository`, or with `full` a `full-repository` (the repository endpoint's answer). */
export function repositoryJson({ owner, repo, defaultBranch }: RepositoryIds, full = false): Record<string, unknown> {
  const url = `${API}/repos/${owner}/${repo}`;
  const html = `${WEB}/${owner}/${repo}`;
  return {
    id: 1296269,
    node_id: nodeId('Repository', 1296269),
    name: repo,
    full_name: `${owner}/${repo}`,
    owner: userJson(owner, 1, 'Organization'),
    private: true,
    html_url: html,
    description: null,
    fork: false,
    url,
    ...links(url, [
      'archive',
      'assignees',
      'blobs',
      'branches',
      'collaborators',
      'comments',
      'commits',
      'compare',
      'contents',
      'contributors',
      'deployments',
      'downloads',
      'events',
      'forks',
      'git_commits',
      'git_refs',
      'git_tags',
      'hooks',
      'issue_comment',
      'issue_events',
      'issues',
      'keys',
      'labels',
      'languages',
      'merges',
      'milestones',
      'notifications',
      'pulls',
      'releases',
      'stargazers',
      'statuses',
      'subscribers',
      'subscription',
      'tags',
      'teams',
      'trees',
    ]),
    clone_url: `${html}.git`,
    git_url: `git://github.example/${owner}/${repo}.git`,
    ssh_url: `git@github.example:${owner}/${repo}.git`,
    svn_url: html,
    mirror_url: null,
    homepage: null,
    language: 'HCL',
    license: null,
    default_branch: defaultBranch,
    ...{ forks: 0, forks_count: 0, stargazers_count: 0, watchers: 0, watchers_count: 0, size: 0, open_issues: 0, open_issues_count: 0 },
    ...{
      has_issues: true,
      has_projects: false,
      has_wiki: false,
      has_pages: false,
      has_downloads: false,
      has_discussions: false,
      archived: false,
      disabled: false,
    },
    ...{ pushed_at: TIME, created_at: TIME, updated_at: TIME },
    ...(full ? { network_count: 0, subscribers_count: 0 } : {}),
  };
}

/** A `git-ref`. */
export function refJson(ids: RepositoryIds, ref: string, sha: string): Record<string, unknown> {
  const git = `${API}/repos/${ids.owner}/${ids.repo}/git`;
  return { ref, node_id: nodeId('Ref', ref), url: `${git}/${ref}`, object: { type: 'commit', sha, url: `${git}/commits/${sha}` } };
}

/** A `git-commit`. */
export function commitJson(
  ids: RepositoryIds,
  sha: string,
  commit: { tree: string; parents: readonly string[]; message: string; author: { name: string; email: string } },
): Record<string, unknown> {
  const git = `${API}/repos/${ids.owner}/${ids.repo}/git`;
  const html = `${WEB}/${ids.owner}/${ids.repo}/commit`;
  const person = { ...commit.author, date: TIME };
  return {
    sha,
    node_id: nodeId('Commit', sha),
    url: `${git}/commits/${sha}`,
    html_url: `${html}/${sha}`,
    author: person,
    committer: person,
    tree: { sha: commit.tree, url: `${git}/trees/${commit.tree}` },
    message: commit.message,
    parents: commit.parents.map((parent) => ({ sha: parent, url: `${git}/commits/${parent}`, html_url: `${html}/${parent}` })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

/** A `git-tree` listing `entries` (whose `path` is relative to the listed tree). */
export function treeJson(
  ids: RepositoryIds,
  sha: string,
  entries: readonly (TreeItem & { path: string; size?: number | undefined })[],
  truncated: boolean,
): Record<string, unknown> {
  const git = `${API}/repos/${ids.owner}/${ids.repo}/git`;
  const tree = entries.map((e) => ({
    path: e.path,
    mode: e.mode,
    type: e.type,
    sha: e.sha,
    ...(e.size === undefined ? {} : { size: e.size }),
    ...(e.type === 'commit' ? {} : { url: `${git}/${e.type}s/${e.sha}` }),
  }));
  return { sha, url: `${git}/trees/${sha}`, tree, truncated };
}

/** A `blob` (with `content`), or a `short-blob` (the answer to creating one). */
export function blobJson(ids: RepositoryIds, sha: string, content?: Buffer): Record<string, unknown> {
  const url = `${API}/repos/${ids.owner}/${ids.repo}/git/blobs/${sha}`;
  if (content === undefined) return { sha, url };
  // GitHub wraps base64 content at 60 characters.
  return {
    sha,
    node_id: nodeId('Blob', sha),
    size: content.length,
    url,
    content: content.toString('base64').replace(/.{60}/g, '$&\n'),
    encoding: 'base64',
  };
}

/** A `label`; labels GitHub creates on the fly have no colour chosen and an empty description. */
export function labelJson(ids: RepositoryIds, name: string, id: number): Record<string, unknown> {
  return {
    id,
    node_id: nodeId('Label', id),
    url: `${API}/repos/${ids.owner}/${ids.repo}/labels/${encodeURIComponent(name)}`,
    name,
    description: '',
    color: 'ededed',
    default: false,
  };
}

/** A `pull-request` (a superset of the `pull-request-simple` that listings hold). */
export function pullJson(
  ids: RepositoryIds,
  pull: FakePull,
  shas: { head: string; base: string },
  labelId: (name: string) => number,
): Record<string, unknown> {
  const url = `${API}/repos/${ids.owner}/${ids.repo}/pulls/${pull.number}`;
  const issue = `${API}/repos/${ids.owner}/${ids.repo}/issues/${pull.number}`;
  const html = `${WEB}/${ids.owner}/${ids.repo}/pull/${pull.number}`;
  const statuses = `${API}/repos/${ids.owner}/${ids.repo}/statuses/${shas.head}`;
  const repository = repositoryJson(ids);
  const owner = repository.owner;
  const side = (ref: string, sha: string) => ({ label: `${ids.owner}:${ref}`, ref, sha, user: owner, repo: repository });
  const hrefs = {
    self: url,
    html,
    issue,
    comments: `${issue}/comments`,
    review_comments: `${url}/comments`,
    review_comment: `${API}/repos/${ids.owner}/${ids.repo}/pulls/comments{/number}`,
    commits: `${url}/commits`,
    statuses,
  };
  return {
    url,
    id: 5000 + pull.number,
    node_id: nodeId('PullRequest', pull.number),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: hrefs.commits,
    review_comments_url: hrefs.review_comments,
    review_comment_url: hrefs.review_comment,
    comments_url: hrefs.comments,
    statuses_url: statuses,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: userJson('cloudmend[bot]', 2, 'Bot'),
    body: pull.body,
    labels: pull.labels.map((name) => labelJson(ids, name, labelId(name))),
    ...{ milestone: null, active_lock_reason: null, assignee: null, assignees: [], requested_reviewers: [], requested_teams: [] },
    ...{
      created_at: TIME,
      updated_at: TIME,
      closed_at: pull.state === 'closed' ? TIME : null,
      merged_at: pull.merged === true ? TIME : null,
      merge_commit_sha: null,
    },
    head: side(pull.head, shas.head),
    base: side(pull.base, shas.base),
    _links: Object.fromEntries(Object.entries(hrefs).map(([name, href]) => [name, { href }])),
    ...{ author_association: 'NONE', auto_merge: null, draft: false },
    ...{
      merged: pull.merged === true,
      mergeable: null,
      rebaseable: null,
      mergeable_state: 'unknown',
      merged_by: null,
      maintainer_can_modify: false,
    },
    ...{ comments: 0, review_comments: 0, commits: 1, additions: 0, deletions: 0, changed_files: 0 },
  };
}

/** An `issue-comment` by cloudmend on pull request `number`. */
export function issueCommentJson(ids: RepositoryIds, number: number, id: number, body: string): Record<string, unknown> {
  const issue = `${API}/repos/${ids.owner}/${ids.repo}/issues/${number}`;
  return {
    id,
    node_id: nodeId('IssueComment', id),
    url: `${API}/repos/${ids.owner}/${ids.repo}/issues/comments/${id}`,
    html_url: `${WEB}/${ids.owner}/${ids.repo}/pull/${number}#issuecomment-${id}`,
    body,
    user: userJson('cloudmend[bot]', 2, 'Bot'),
    created_at: TIME,
    updated_at: TIME,
    issue_url: issue,
    author_association: 'NONE',
  };
}

/** An `installation-token`. */
export function installationTokenJson(token: string): Record<string, unknown> {
  return {
    token,
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    permissions: { contents: 'write', pull_requests: 'write', metadata: 'read' },
    repository_selection: 'selected',
  };
}
