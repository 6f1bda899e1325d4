/**
 * Skill and codify patches through the validators, on the path the deployed stack takes:
 * ApplySkill (or CompareDrift) leaves a validation task and returns `sandbox`, the Sandbox state
 * runs it (locally: the validators in their jail), CollectValidation records the verdict.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Json } from '../../src/drift/partial.js';
import { resolveExecutable, toolJail } from '../../src/iac/validators/jail.js';
import { createRuntime, type StepEvent } from '../../src/local/runtime.js';
import type { ValidationOutput } from '../../src/sandbox/validation.js';
import type { Check } from '../../src/skills/verify.js';
import type { TaskContext } from '../../src/workflow/context.js';
import { asffFinding, importedEvent, itemChangeEvent } from '../support/events.js';
import { makeWorld, type World, VERSIONED_TF } from './fixture.js';

const PLUGIN_DIR = process.env.CLOUDMEND_TERRAFORM_PLUGIN_DIR ?? '/opt/tf-plugins';
const VALIDATORS = [
  'validators:',
  `  terraform: { mode: auto, pluginDir: ${PLUGIN_DIR} }`,
  '  cfnLint: { mode: off }',
  'policy: { default: pull_request }',
  '',
].join('\n');
const noTerraform = resolveExecutable('terraform', process.env) ? undefined : 'terraform is not installed';
const jailed = noTerraform ?? (await toolJail(process.env)).reason;
if (jailed) console.log(`the skill patch takes the sandbox path, but terraform validate skips there: ${jailed}`);

let world: World | undefined;
afterEach(() => world?.cleanup());

const bucketEvent = () => importedEvent([asffFinding({ Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::acme-logs' }] })]);

async function run(w: World, event: unknown, wrap: (ctx: TaskContext) => TaskContext = (ctx) => ctx) {
  const local = await w.open();
  const steps: StepEvent[] = [];
  try {
    const runtime = createRuntime({ context: wrap(local.ctx), approve: 'auto', onStep: (e) => steps.push(e) });
    return { out: await runtime.run(event), started: steps.filter((s) => s.status === 'start').map((s) => s.step) };
  } finally {
    await local.close();
  }
}

/** A sandbox that answers every validation task with `verdict`. */
function verdictOf(verdict: ValidationOutput) {
  return (ctx: TaskContext): TaskContext => ({
    ...ctx,
    sandbox: { network: () => ctx.sandbox.network(), run: ({ output }) => ctx.artifacts.put(output, verdict) },
  });
}
const terraformCheck = (status: Check['status'], detail: string): Check => ({
  name: 'terraform-validate',
  status,
  detail,
});
const validated = (check: Check): ValidationOutput => ({ status: 'validated', check });
const FAILED = terraformCheck('failed', 'the fix introduced: main.tf: Unsupported argument');
const PASSED = terraformCheck('passed', 'terraform validate: valid');

/** Config finds versioning suspended on the bucket the code has it enabled on. */
const suspended = (): Json =>
  itemChangeEvent({
    configuration: JSON.stringify({ name: 'acme-logs', owner: { id: 'abc' }, creationDate: '2025-01-01T00:00:00Z' }),
    supplementaryConfiguration: {
      BucketVersioningConfiguration: JSON.stringify({ status: 'Suspended', isMfaDeleteEnabled: null }),
    },
    tags: {},
    configurationStateId: 1795679110204,
    resourceType: 'AWS::S3::Bucket',
    resourceId: 'acme-logs',
    resourceName: 'acme-logs',
    ARN: 'arn:aws:s3:::acme-logs',
  }) as Json;

describe('skill and codify patches, validated in the sandbox', () => {
  it("validates a skill's patch in the validators' jail and carries the verdict to the pull request", async () => {
    world = await makeWorld(VALIDATORS);
    const { out, started } = await run(world, bucketEvent());
    const sandboxed = ['ApplySkill', 'Sandbox', 'CollectValidation', 'CheckPolicy', 'OpenPullRequest'];
    expect(started).toEqual(['Normalize', 'Claim', 'Locate', ...sandboxed, 'Record', 'Notify']);
    const result = out.results[0];
    expect(result).toMatchObject({ status: 'pr_opened', skill: 's3-block-public-access' });
    const check = result?.validation?.checks.find((c) => c.name === 'terraform-validate');
    if (jailed) expect(check).toMatchObject({ status: 'skipped' });
    else expect(check).toEqual(PASSED);
  }, 120_000);

  it('ends the finding failed, with the reason and no branch, when the validators fail the patch', async () => {
    world = await makeWorld(VALIDATORS);
    const { out } = await run(world, bucketEvent(), verdictOf(validated(FAILED)));
    expect(out.results[0]?.status).toBe('failed');
    expect(out.results[0]?.reason).toMatch(/s3-block-public-access patch did not verify in the sandbox \(terraform/);
    expect(await world.git('branch', '--list', 'cloudmend/*')).toBe('');
  });

  it('ends the finding failed when the sandbox run itself failed', async () => {
    world = await makeWorld(VALIDATORS);
    const crashed = verdictOf({ status: 'failed', error: { name: 'Error', message: 'out of memory' } });
    const { out } = await run(world, bucketEvent(), crashed);
    expect(out.results[0]?.status).toBe('failed');
    expect(out.results[0]?.reason).toMatch(/the sandbox failed \(Error\): out of memory/);
  });

  it('sends a codify patch the same way', async () => {
    world = await makeWorld(VALIDATORS, { 'storage.tf': VERSIONED_TF });
    const { out, started } = await run(world, suspended(), verdictOf(validated(PASSED)));
    expect(started).toEqual(expect.arrayContaining(['CompareDrift', 'Sandbox', 'CollectValidation', 'CheckPolicy']));
    expect(out.results[0]?.validation?.checks).toContainEqual(PASSED);
  });

  it('finishes the patch at once, saying so, when its validator is off', async () => {
    world = await makeWorld('policy: { default: pull_request }\n');
    const { out, started } = await run(world, bucketEvent());
    expect(started).not.toContain('Sandbox');
    const off = terraformCheck('skipped', 'off (validators.terraform.mode)');
    expect(out.results[0]?.validation?.checks).toContainEqual(off);
  });
});
