/**
 * The synthesized stack as a deployer's tools see it: `npx cdk synth` offline with no network
 * connection attempted, cdk-nag's AWS Solutions checks with no unacknowledged finding, cfn-lint
 * clean (W3005 aside), and bundles that carry what they need. The stack is synthesized once per
 * test run, here, as a newcomer runs it, with real esbuild bundling, from the example AWS config
 * with an organization (the org-scoped bus policy and the member StackSet).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COPIED_FILES } from '../../lib/bundling.js';
import { PROJECT_ROOT } from '../../lib/project.js';
import { loadSkills } from '../../src/skills/registry.js';
import { TASKS } from '../../src/workflow/tasks.js';
import { isolated, synth, type SynthRun } from '../support/cdk-synth.js';
import { EXAMPLE_AWS_CONFIG } from './fixture.js';

/** Named at synth, as the app requires (lib/deploy-region.ts); not the CLI's us-east-1 fallback. */
const REGION = 'eu-west-1';
const work = mkdtempSync(join(tmpdir(), 'cloudmend-synth-'));
const out = join(work, 'cdk.out');
const configFile = join(work, 'cloudmend.org.yaml');
let run: SynthRun;
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(() => {
  writeFileSync(
    configFile,
    `${readFileSync(EXAMPLE_AWS_CONFIG, 'utf8')}\norganization:\n  id: o-a1b2c3d4e5\n  organizationalUnits: [r-ab12]\n`,
  );
  run = synth(work, ['-c', `region=${REGION}`, '-o', out, '-c', `config=${configFile}`]);
  console.log(`cdk synth (with organization) took ${run.seconds.toFixed(1)} s${isolated ? ' in a network namespace without network' : ''}`);
}, 180_000);

type Resources = Record<string, { Type: string; Metadata?: Record<string, string>; Properties?: Record<string, unknown> }>;
const resources = (): Resources =>
  (JSON.parse(readFileSync(join(out, 'Cloudmend.template.json'), 'utf8')) as { Resources: Resources }).Resources;
const ofType = (type: string): Resources[string][] => Object.values(resources()).filter((r) => r.Type === type);

const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const haveCfnLint = cfnLint.status === 0;
if (!haveCfnLint) console.log('skipping the cfn-lint check of the synthesized template: cfn-lint is not installed (pip install cfn-lint)');

describe('the synthesized stack', () => {
  it('synthesizes offline with no network connection attempted', () => {
    expect(run.stderr).not.toMatch(/Error|ERROR/);
    expect(run.status).toBe(0);
    expect(run.network).toBe('');
    expect(existsSync(join(out, 'Cloudmend.template.json'))).toBe(true);
  });

  it('has the organization-scoped bus policy and the member StackSet, whose template stays out of cdk.out', () => {
    expect(readdirSync(out).filter((file) => file.startsWith('CloudmendMember'))).toEqual([]);
    expect(ofType('AWS::Events::EventBusPolicy').map((p) => p.Properties?.Statement)).toEqual([
      expect.objectContaining({ Action: 'events:PutEvents', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }),
    ]);
    expect(ofType('AWS::CloudFormation::StackSet').map((s) => [s.Properties?.PermissionModel, s.Properties?.AutoDeployment])).toEqual([
      ['SERVICE_MANAGED', { Enabled: true, RetainStacksOnAccountRemoval: false }],
    ]);
  });

  it('synthesizes with cdk-nag AWS Solutions checks and no unacknowledged finding', () => {
    // A plugin that only reports acknowledged findings (CDK's Region schema check, once the Region is named) succeeds.
    const report = JSON.parse(readFileSync(join(out, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; conclusion: string; violations: unknown[] }[];
    };
    expect(report.pluginReports.filter((r) => r.conclusion !== 'success' || r.violations.length > 0)).toEqual([]);
  });

  it('is made for the Region named at synth, and builds the sandbox image for its default architecture, arm64', () => {
    const template = readFileSync(join(out, 'Cloudmend.template.json'), 'utf8');
    expect(template).toContain(`:securityhub:${REGION}:`);
    expect(template).not.toContain('us-east-1');
    const assets = JSON.parse(readFileSync(join(out, 'Cloudmend.assets.json'), 'utf8')) as {
      dockerImages: Record<string, { source: { platform?: string; dockerBuildArgs?: Record<string, string> } }>;
    };
    expect(Object.values(assets.dockerImages).map((i) => i.source)).toEqual([
      expect.objectContaining({ platform: 'linux/arm64', dockerBuildArgs: { TERRAFORM_PLATFORM: 'linux_arm64' } }),
    ]);
  });

  it('would fail synthesis on an unacknowledged cdk-nag finding (the check can fail)', () => {
    const app = new App();
    new s3.Bucket(new Stack(app, 'Careless'), 'Bucket');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
  });

  it.skipIf(!haveCfnLint)('passes cfn-lint with nothing but W3005 (CDK writes explicit DependsOn), and so does the member template', () => {
    const template = join(out, 'Cloudmend.template.json');
    const member = join(work, 'member.template.json');
    writeFileSync(member, String(ofType('AWS::CloudFormation::StackSet')[0]?.Properties?.TemplateBody));
    const lint = spawnSync('cfn-lint', ['--format', 'parseable', template, member], { encoding: 'utf8' });
    const problems = lint.stdout.split('\n').filter((line) => line.trim() !== '' && !line.includes(':W3005:'));
    expect(problems).toEqual([]);
  });

  it('bundles every function with the validated config, the HCL parser where Terraform is read and the replacement tables where patches are judged', () => {
    const functions = Object.entries(resources()).filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['aws:asset:path']);
    expect(functions.length).toBe(TASKS.filter((t) => !t.sandbox).length + 5);
    const withParser: string[] = [];
    const withTables: string[] = [];
    const task = (id: string): string => id.replace(/^Cloudmend(Remediate|Operations)?|Function[0-9A-F]{8}$/g, '');
    for (const [id, resource] of functions) {
      const dir = join(out, resource.Metadata!['aws:asset:path']!);
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      // A data file the bundle reads beside itself is there, as written in the project.
      const named = COPIED_FILES.filter((file) => code.includes(basename(file)));
      for (const file of named)
        expect(readFileSync(join(dir, basename(file)), 'utf8'), `${id} lacks ${basename(file)}`).toBe(
          readFileSync(join(PROJECT_ROOT, file), 'utf8'),
        );
      if (named.length === COPIED_FILES.length) withTables.push(task(id));
      const config = JSON.parse(readFileSync(join(dir, 'cloudmend.config.json'), 'utf8')) as { repositories: { provider: string }[] };
      expect(config.repositories.map((r) => r.provider)).toEqual(['github', 'github']);
      expect(existsSync(join(dir, 'index.mjs.map')), id).toBe(true);
      if (existsSync(join(dir, 'node_modules', '@cdktf', 'hcl2json', 'main.wasm.gz'))) withParser.push(task(id));
    }
    expect(withParser.sort()).toEqual(['ApplySkill', 'CheckPolicy', 'CollectAgent', 'CompareDrift', 'Locate']);
    // The guardrail's replacement tables: where patches are judged.
    expect(withTables.sort()).toEqual(['CheckPolicy', 'CollectAgent']);
  });

  it('bundles every skill into the functions that run or look up skills', async () => {
    const ids = (await loadSkills()).map((s) => s.meta.id);
    for (const task of ['ApplySkill', 'Locate']) {
      const [, resource] = Object.entries(resources()).find(
        ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(`CloudmendRemediate${task}Function`),
      )!;
      const code = readFileSync(join(out, resource.Metadata!['aws:asset:path']!, 'index.mjs'), 'utf8');
      for (const id of ids) expect(code, `${task} bundle lacks ${id}`).toContain(`"${id}"`);
    }
  });
});
