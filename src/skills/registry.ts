/**
 * The skill catalogue: every folder under src/skills with an `index.ts` is a skill, found at run
 * time, so adding a skill touches nothing else.
 */
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IacKind, Skill } from './types.js';

const SKILLS_DIR = import.meta.dirname;

let loaded: Promise<readonly Skill[]> | undefined;

async function discover(): Promise<readonly Skill[]> {
  const ids = readdirSync(SKILLS_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(SKILLS_DIR, e.name, 'index.ts')))
    .map((e) => e.name)
    .sort();
  return Promise.all(
    ids.map(async (id) => {
      const module = (await import(pathToFileURL(join(SKILLS_DIR, id, 'index.ts')).href)) as { default?: Skill };
      const skill = module.default;
      if (!skill?.meta) throw new Error(`src/skills/${id}/index.ts must default-export a skill (defineSkill({...}))`);
      if (skill.meta.id !== id) throw new Error(`src/skills/${id}: meta.id is ${skill.meta.id}, must equal the folder name`);
      return skill;
    }),
  );
}

/** Every skill, in id order. */
export function loadSkills(): Promise<readonly Skill[]> {
  loaded ??= discover();
  return loaded;
}

/** The skills that answer `controlId` for `kind`. */
export async function skillsFor(controlId: string, kind: IacKind): Promise<Skill[]> {
  return (await loadSkills()).filter((s) => s.meta.controls.includes(controlId) && (kind === 'terraform' ? s.terraform : s.cloudformation));
}

/** The directory of a skill's cases and README. */
export function skillDir(id: string): string {
  return join(SKILLS_DIR, id);
}
