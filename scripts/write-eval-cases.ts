/**
 * Writes eval/cases.json (and the Checkov resources split into files) from eval/kics-map.json,
 * eval/checkov-map.json and the skills' cases (see scripts/eval-cases.ts).
 * Run after adding a skill or changing a map: npx tsx scripts/write-eval-cases.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CASES_FILE, evalCorpus, missingCoverage } from './eval-cases.js';

const { document, files } = await evalCorpus();
for (const [path, text] of files) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
writeFileSync(CASES_FILE, `${JSON.stringify(document, null, 1)}\n`);
const count = document.cases.reduce((n, c) => n + c.vulnerable.length + c.compliant.length, 0);
console.log(`wrote ${CASES_FILE}: ${document.cases.length} cases, ${count} files`);
const missing = await missingCoverage(document.cases);
if (missing.length) console.log(`claimed controls without cases:\n  ${missing.join('\n  ')}`);
