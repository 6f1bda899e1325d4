/** What every patch writer (a skill, codify) records the same way: the files before and after, the diff, and where the patch is kept. */
import type { RepositoryConfig } from '../config/schema.js';
import { DISRUPTIVE_RISKS, type SkillMeta } from '../skills/types.js';
import { unifiedDiff } from '../iac/edits.js';
import type { TaskContext } from './context.js';
import type { Patch } from './types.js';

export interface PatchFiles {
  /** The artifact key for this attempt of the finding. */
  readonly artifact: string;
  /** Paths of the files the patch changes. */
  readonly changed: string[];
  readonly fields: Pick<Patch, 'fingerprint' | 'repository' | 'base' | 'commit' | 'files' | 'diff'>;
}

/** `before` with `changes` (path → new text) applied, as a patch of `repo` at `commit`. */
export async function patchFiles(
  ctx: TaskContext,
  fingerprint: string,
  repo: RepositoryConfig,
  commit: string,
  before: readonly { readonly path: string; readonly text: string }[],
  changes: ReadonlyMap<string, string>,
): Promise<PatchFiles> {
  const record = await ctx.ledger.get(fingerprint);
  const changed = [...changes.keys()];
  return {
    artifact: `${fingerprint}/${record?.attempts ?? 1}/patch.json`,
    changed,
    fields: {
      fingerprint,
      repository: repo.name,
      base: repo.defaultBranch,
      commit,
      files: before.map((f) => ({ path: f.path, before: f.text, after: changes.get(f.path) ?? f.text })),
      diff: changed.map((path) => unifiedDiff(path, before.find((f) => f.path === path)?.text ?? '', changes.get(path) ?? '')).join(''),
    },
  };
}

/**
 * What the skills that wrote a patch say of it: their risk notes, and, when one replaces or
 * interrupts the resource, the disruption (a replacement if any replaces) with every rollback.
 */
export function risksOf(metas: readonly SkillMeta[]): Pick<Patch, 'risk' | 'disruption'> {
  const disruptive = metas.filter((m) => DISRUPTIVE_RISKS.has(m.risk));
  const kind = disruptive.some((m) => m.risk === 'replacement') ? 'replacement' : 'downtime';
  return {
    risk: [...new Set(metas.flatMap((m) => m.riskNote ?? []))].join(' ') || undefined,
    disruption:
      disruptive.length === 0 ? undefined : { kind, rollback: [...new Set(disruptive.flatMap((m) => m.rollback ?? []))].join(' ') },
  };
}
