/**
 * Writes src/skills/catalogue.ts, a static import of every skill folder, so that bundles (Lambda,
 * the sandbox image) hold the skills that a directory listing finds in a checkout; then
 * docs/skills.md, the reference generated from the skills' meta.
 * Run: npm run skills:catalogue (test/skills/conformance.test.ts says when it is needed).
 */
import { writeFileSync } from 'node:fs';
import { catalogueSource, CATALOGUE_FILE } from '../src/skills/catalogue-source.js';

writeFileSync(CATALOGUE_FILE, catalogueSource());
console.log(`wrote ${CATALOGUE_FILE}`);
// After the catalogue: the reference reads the skills through it.
const { loadSkills } = await import('../src/skills/registry.js');
const { REFERENCE_FILE, skillsReference } = await import('../src/skills/reference-doc.js');
writeFileSync(REFERENCE_FILE, skillsReference(await loadSkills()));
console.log(`wrote ${REFERENCE_FILE}`);
