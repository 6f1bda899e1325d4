/**
 * The in-memory git object store behind the fake GitHub API: content-addressed blobs, trees and
 * commits (hashed over their content, so equal trees get equal ids as in git), and helpers to set
 * up and inspect repositories in tests.
 */
import { createHash } from 'node:crypto';

export interface TreeItem {
  readonly name: string;
  readonly mode: string;
  readonly type: 'blob' | 'tree' | 'commit';
  readonly sha: string;
}

export type GitObject =
  | { readonly type: 'blob'; readonly content: Buffer }
  | { readonly type: 'tree'; readonly entries: readonly TreeItem[] }
  | {
      readonly type: 'commit';
      readonly tree: string;
      readonly parents: readonly string[];
      readonly message: string;
      readonly author: { readonly name: string; readonly email: string };
    };

/** A flattened tree entry: path from the root tree. */
export interface PathEntry extends TreeItem {
  readonly path: string;
}

/** A file to put in a tree: its content, or an entry with a mode (a symlink's target, a submodule's commit). */
export type FileSpec = string | Buffer | { readonly content?: string | Buffer; readonly mode: string; readonly sha?: string };

export class ObjectStore {
  readonly objects = new Map<string, GitObject>();

  put(object: GitObject): string {
    const payload = object.type === 'blob' ? object.content.toString('base64') : JSON.stringify(object);
    const sha = createHash('sha1').update(`${object.type}\0${payload}`).digest('hex');
    this.objects.set(sha, object);
    return sha;
  }

  blob(content: string | Buffer): string {
    return this.put({ type: 'blob', content: Buffer.from(content) });
  }

  tree(entries: readonly TreeItem[]): string {
    return this.put({ type: 'tree', entries: [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) });
  }

  get<T extends GitObject['type']>(sha: string, type: T): Extract<GitObject, { type: T }> | undefined {
    const object = this.objects.get(sha);
    return object?.type === type ? (object as Extract<GitObject, { type: T }>) : undefined;
  }

  /** `tree` with `leaf` at `path` (directories created as needed); undefined when a non-directory is in the way. */
  putPath(tree: string | undefined, path: string, leaf: Omit<TreeItem, 'name'>): string | undefined {
    const [head = '', ...rest] = path.split('/');
    const entries = tree === undefined ? [] : [...(this.get(tree, 'tree')?.entries ?? [])];
    const index = entries.findIndex((e) => e.name === head);
    const existing = index >= 0 ? entries[index] : undefined;
    let item: TreeItem;
    if (rest.length === 0) {
      item = { name: head, ...leaf };
    } else {
      if (existing !== undefined && existing.type !== 'tree') return undefined;
      const sub = this.putPath(existing?.sha, rest.join('/'), leaf);
      if (sub === undefined) return undefined;
      item = { name: head, mode: '040000', type: 'tree', sha: sub };
    }
    if (index >= 0) entries.splice(index, 1, item);
    else entries.push(item);
    return this.tree(entries);
  }

  /** A tree holding `files` on top of `base`. */
  treeWith(files: Readonly<Record<string, FileSpec>>, base?: string): string {
    let tree = base ?? this.tree([]);
    for (const [path, spec] of Object.entries(files)) {
      const leaf =
        typeof spec === 'string' || Buffer.isBuffer(spec)
          ? { mode: '100644', type: 'blob' as const, sha: this.blob(spec) }
          : {
              mode: spec.mode,
              type: spec.mode === '160000' ? ('commit' as const) : ('blob' as const),
              sha: spec.sha ?? this.blob(spec.content ?? ''),
            };
      const next = this.putPath(tree, path, leaf);
      if (next === undefined) throw new Error(`fake store: cannot put ${path}`);
      tree = next;
    }
    return tree;
  }

  /** Every entry under `tree`, depth first in tree order, with full paths. */
  flatten(tree: string, prefix = ''): PathEntry[] {
    return (this.get(tree, 'tree')?.entries ?? []).flatMap((e) => {
      const entry = { ...e, path: `${prefix}${e.name}` };
      return e.type === 'tree' ? [entry, ...this.flatten(e.sha, `${entry.path}/`)] : [entry];
    });
  }

  /** Regular files of `tree` as text, by path. */
  files(tree: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.flatten(tree)) {
      const blob = e.type === 'blob' && e.mode !== '120000' ? this.get(e.sha, 'blob') : undefined;
      if (blob !== undefined) out[e.path] = blob.content.toString('utf8');
    }
    return out;
  }

  /** True when `ancestor` is `commit` or reachable from it. */
  reaches(commit: string, ancestor: string): boolean {
    if (commit === ancestor) return true;
    return (this.get(commit, 'commit')?.parents ?? []).some((parent) => this.reaches(parent, ancestor));
  }
}
