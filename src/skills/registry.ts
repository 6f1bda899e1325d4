/**
 * The skill catalogue: every folder under src/skills with an `index.ts` is a skill. The folders are
 * imported statically through the generated `catalogue.ts`, so bundles hold them too; the
 * conformance test fails, naming the command, when a folder and the catalogue disagree.
 */
import { join } from 'node:path';
import { CATALOGUE } from './catalogue.js';
import type { IacKind, Skill } from './types.js';

const SKILLS_DIR = import.meta.dirname;

/** Every skill, in id order. */
export function loadSkills(): Promise<readonly Skill[]> {
  return Promise.resolve(CATALOGUE);
}

/** Every skill that reads `kind`. */
export async function skillsOfKind(kind: IacKind): Promise<Skill[]> {
  return (await loadSkills()).filter((s) => (kind === 'terraform' ? s.terraform : s.cloudformation));
}

/** The skills that answer `controlId` for `kind`. */
export async function skillsFor(controlId: string, kind: IacKind): Promise<Skill[]> {
  return (await loadSkills()).filter((s) => s.meta.controls.includes(controlId) && (kind === 'terraform' ? s.terraform : s.cloudformation));
}

/** The directory of a skill's cases and README. */
export function skillDir(id: string): string {
  return join(SKILLS_DIR, id);
}
