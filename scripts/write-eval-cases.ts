/**
 * Writes eval/cases.json from eval/kics-map.json and the skills' cases (see scripts/eval-cases.ts).
 * Run after adding a skill or changing the map: npx tsx scripts/write-eval-cases.ts
 */
import { writeFileSync } from 'node:fs';
import { CASES_FILE, evalCasesDocument, missingCoverage } from './eval-cases.js';

const doc = await evalCasesDocument();
writeFileSync(CASES_FILE, `${JSON.stringify(doc, null, 1)}\n`);
const files = doc.cases.reduce((n, c) => n + c.vulnerable.length + c.compliant.length, 0);
console.log(`wrote ${CASES_FILE}: ${doc.cases.length} cases, ${files} files`);
const missing = await missingCoverage(doc.cases);
if (missing.length) console.log(`claimed controls without cases:\n  ${missing.join('\n  ')}`);
