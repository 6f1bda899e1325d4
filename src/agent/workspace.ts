/**
 * The files an agent works on, in memory: what the repository had, and what the agent has made of
 * them so far. Edits are exact find-and-replace on the current text (the find must occur exactly
 * once), only on the files the remediation may change; nothing is written to disk here.
 */
import { unifiedDiff } from '../iac/edits.js';

export interface WorkspaceFile {
  readonly path: string;
  readonly text: string;
}

export interface Edit {
  readonly path: string;
  readonly find: string;
  readonly replace: string;
}

export class EditError extends Error {
  override name = 'EditError';
}

export class Workspace {
  readonly #original: ReadonlyMap<string, string>;
  readonly #current: Map<string, string>;
  readonly #editable: ReadonlySet<string>;

  /** `files`: everything the agent may read; `editable`: the ones it may change. */
  constructor(files: readonly WorkspaceFile[], editable: readonly string[]) {
    this.#original = new Map(files.map((f) => [f.path, f.text]));
    this.#current = new Map(this.#original);
    this.#editable = new Set(editable.filter((p) => this.#original.has(p)));
  }

  get paths(): string[] {
    return [...this.#current.keys()].sort();
  }

  get editable(): string[] {
    return [...this.#editable].sort();
  }

  read(path: string): string | undefined {
    return this.#current.get(path);
  }

  /**
   * Applies every edit or none: one that does not apply leaves the workspace as it was and says
   * why, so the model can try again with the text as it is now.
   */
  apply(edits: readonly Edit[]): void {
    const next = new Map(this.#current);
    edits.forEach((edit, i) => {
      const where = `edit ${i + 1} (${edit.path})`;
      if (!this.#editable.has(edit.path))
        throw new EditError(`${where}: this file may not be changed; editable: ${this.editable.join(', ')}`);
      if (edit.find === '') throw new EditError(`${where}: find is empty; give the exact text to replace`);
      const text = next.get(edit.path) ?? '';
      const first = text.indexOf(edit.find);
      if (first < 0) throw new EditError(`${where}: find text not found in the current file; read_file it again and copy the text exactly`);
      if (text.indexOf(edit.find, first + 1) >= 0)
        throw new EditError(`${where}: find text occurs more than once; include more surrounding lines so it is unique`);
      next.set(edit.path, text.slice(0, first) + edit.replace + text.slice(first + edit.find.length));
    });
    for (const [path, text] of next) this.#current.set(path, text);
  }

  /** Sets an editable file's whole text (a result coming back from the sandbox). */
  replace(path: string, text: string): void {
    if (!this.#editable.has(path)) throw new EditError(`${path} may not be changed; editable: ${this.editable.join(', ')}`);
    this.#current.set(path, text);
  }

  /** Before and after of every editable file. */
  files(): { path: string; before: string; after: string }[] {
    return this.editable.map((path) => ({ path, before: this.#original.get(path) ?? '', after: this.#current.get(path) ?? '' }));
  }

  changed(): string[] {
    return this.files()
      .filter((f) => f.before !== f.after)
      .map((f) => f.path);
  }

  diff(): string {
    return this.files()
      .filter((f) => f.before !== f.after)
      .map((f) => unifiedDiff(f.path, f.before, f.after))
      .join('');
  }
}
