/**
 * Public repositories nobody here wrote (test/fixtures/real-repos), with findings as AWS would send
 * them: how many are located to the resource they are about, and of those a skill covers, how many
 * are fixed and verify. Exact counts, so that a regression fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings/finding.js';
import { normalizeEvent } from '../../src/findings/normalize.js';
import { locate, type LocateResult } from '../../src/iac/locate.js';
import { fix } from '../../src/skills/engine.js';
import { skillsFor } from '../../src/skills/registry.js';
import { verifyFix } from '../../src/skills/verify.js';
import { importedEvent } from '../support/events.js';
import { REAL_REPOS, type RealRepo } from '../support/real-repo-findings.js';
import { CASE_OPTIONS } from '../skills/case-files.js';

interface Tally {
  findings: number;
  located: number;
  covered: number;
  fixed: number;
  verified: number;
  wrong: string[];
  missed: string[];
}

const PROVENANCE = /^(yor_|git_)/;

function normalize(asff: Record<string, unknown>, strip: boolean): Finding {
  const [resource] = asff.Resources as Record<string, unknown>[];
  const tags = (resource?.Tags ?? {}) as Record<string, string>;
  const kept = strip ? Object.fromEntries(Object.entries(tags).filter(([k]) => !PROVENANCE.test(k))) : tags;
  const f = normalizeEvent(importedEvent([{ ...asff, Resources: [{ ...resource, Tags: kept }] }])).findings[0];
  if (!f) throw new Error('no finding');
  return f;
}

/** Locates every finding of `repo`; for located findings a skill covers, fixes the located resource and verifies the fix. */
async function run(repo: RealRepo, strip: boolean): Promise<Tally> {
  const tally: Tally = { findings: 0, located: 0, covered: 0, fixed: 0, verified: 0, wrong: [], missed: [] };
  for (const { asff, expect: address, control } of repo.findings) {
    tally.findings++;
    const finding = normalize(asff, strip);
    const result: LocateResult = await locate(finding, { name: repo.name, root: repo.root, iac: repo.iac });
    if (!result.found) {
      tally.missed.push(`${control} ${finding.resource.id}: ${result.tried.join(' | ')}`);
      continue;
    }
    const { target } = result;
    if (target.address !== address) {
      tally.wrong.push(`${control} ${finding.resource.id} → ${target.address}`);
      continue;
    }
    tally.located++;
    const skills = await skillsFor(control, target.kind);
    if (skills.length === 0) continue;
    tally.covered++;
    let current = target.files.map((path) => ({ path, text: readFileSync(join(repo.root, path), 'utf8') }));
    const verified: boolean[] = [];
    for (const skill of skills) {
      const fixed = await fix(skill, target.kind, current, CASE_OPTIONS, target.address);
      if (fixed.files.size === 0) continue;
      const after = current.map((f) => ({ path: f.path, text: fixed.files.get(f.path) ?? f.text }));
      const v = await verifyFix({ skill, kind: target.kind, before: current, after, options: CASE_OPTIONS, focus: target.address });
      verified.push(v.passed);
      current = after;
    }
    if (verified.length > 0) tally.fixed++;
    if (verified.length > 0 && verified.every(Boolean)) tally.verified++;
  }
  return tally;
}

const counts = (t: Tally) => ({ findings: t.findings, located: t.located, covered: t.covered, fixed: t.fixed, verified: t.verified });

/**
 * What is not located, and why: terragoat's two instance root volumes (reported by volume id, untagged: locate does not
 * follow a volume's attachment to the instance whose root_block_device owns it); the default group AWS makes with each
 * of terragoat's two VPCs (its code declares neither group); learn-terraform-for-each's two instances, whose tags fit the
 * `count` block in main.tf but also perhaps the uncalled modules/aws-instance (its tags come from variables without values).
 */
const MISSED: Readonly<Record<string, readonly string[]>> = {
  terragoat: ['EC2.3', 'EC2.3', 'EC2.2'],
  'learn-terraform-rds': [],
  'learn-terraform-for-each': ['EC2.8', 'EC2.8'],
  'aws-cloudformation-templates': [],
};

/** Located and all findings, per repository, across the tests below. */
const rates: { located: number; findings: number }[] = [];

// Covered but not fixed, each a person's call: EC2.13 and EC2.19 on the CloudFormation InstanceSecurityGroup (its SSH source is
// `!Ref SSHLocation`, default 192.168.1.0/0, which the skill leaves to a person); EC2.18 and EC2.19 on learn-terraform-for-each's
// registry security-group module call (the skill does not edit module inputs); ES.1 and ES.3 on terragoat's Elasticsearch 2.3
// domain (encryption at rest and between nodes need 5.1 and 6.0: a new domain, which the skill leaves to a person); Lambda.2 on
// terragoat's nodejs12.x and the CloudFormation python3.9 function (a runtime upgrade needs the code tested: suggestion only).
// Located but not covered (no skill claims them): IAM.2, ELB.7, EC2.6, DynamoDB.1.
describe.each([
  ['as AWS sends them (the tags the code puts on the resource)', false],
  ['without provenance tags (yor_trace, git_*): by name alone', true],
])('public repositories, findings %s', (_, strip) => {
  it.each([
    ['terragoat', { findings: 84, located: 81, covered: 79, fixed: 76, verified: 76 }],
    ['learn-terraform-rds', { findings: 8, located: 8, covered: 7, fixed: 7, verified: 7 }],
    ['learn-terraform-for-each', { findings: 6, located: 4, covered: 3, fixed: 1, verified: 1 }],
    ['aws-cloudformation-templates', { findings: 13, located: 13, covered: 12, fixed: 9, verified: 9 }],
  ])('%s: located, fixed and verified counts', async (name, expected) => {
    const repo = REAL_REPOS.find((r) => r.name === name);
    if (!repo) throw new Error(name);
    const tally = await run(repo, strip);
    expect(tally.wrong).toEqual([]);
    expect(counts(tally)).toEqual(expected);
    expect(tally.missed.map((m) => m.split(' ')[0])).toEqual(MISSED[name]);
    expect(tally.missed.every((m) => m.includes('cloudmend:source'))).toBe(true);
    rates.push({ located: tally.located, findings: tally.findings });
  });

  it('locates at least 90% of all the findings', () => {
    const all = rates.splice(0);
    const sum = (key: 'located' | 'findings'): number => all.reduce((n, r) => n + r[key], 0);
    expect(all).toHaveLength(4);
    expect(sum('located') / sum('findings')).toBeGreaterThanOrEqual(0.9);
  });
});
