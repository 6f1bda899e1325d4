/**
 * A CDK app's findings through the local workflow, as the deployed stack runs them: Locate finds
 * the app, ApplySkill leaves the item for the sandbox, the sandbox synthesizes the app in the tool
 * jail, locates the construct, sets its props and synthesizes again, CollectValidation records it,
 * the guardrail judges the TypeScript and the templates, and a pull request changes only the app's
 * TypeScript. Without a jail the app is never run: the findings end `recommended`, saying why.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { toolJail } from '../../src/iac/validators/jail.js';
import { createRuntime } from '../../src/local/runtime.js';
import { CDK_APP, dataKeyFinding, ordersFinding, scratchVolumeFinding, uploadsFinding } from '../support/cdk-app.js';
import { asffFinding, importedEvent, MODEL_ONLY_CONTROL, REGION } from '../support/events.js';
import { makeWorld, type World } from './fixture.js';

const { reason: noJail } = await toolJail(process.env);
if (noJail) console.log(`skipping the CDK synthesis tests: ${noJail}`);

let world: World | undefined;
afterEach(() => world?.cleanup());

async function run(w: World, findings: readonly ReturnType<typeof asffFinding>[]) {
  const local = await w.open();
  try {
    return await createRuntime({ context: local.ctx, approve: 'auto' }).run(importedEvent([...findings]));
  } finally {
    await local.close();
  }
}

/** The files a branch changes against main, and the diff. */
async function branchChange(w: World, branch: string) {
  return {
    files: (await w.git('diff', '--name-only', `main...${branch}`)).trim().split('\n'),
    diff: await w.git('diff', `main...${branch}`),
  };
}

describe.skipIf(noJail !== undefined)('CDK apps', () => {
  it('opens one pull request per finding that changes only the TypeScript, verified by synthesizing again', async () => {
    world = await makeWorld('policy: { default: pull_request }\n', CDK_APP, 'cdk');
    const cases = [
      // The literal settings object is replaced: six lines out, one in.
      {
        finding: uploadsFinding(),
        skill: 's3-block-public-access',
        file: 'lib/data-stack.ts',
        line: '+      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,',
        changed: [6, 1],
      },
      {
        finding: dataKeyFinding(),
        skill: 'kms-key-rotation',
        file: 'lib/data-stack.ts',
        line: "+    const key = new kms.Key(this, 'DataKey', { description: 'acme data', enableKeyRotation: true });",
        changed: [1, 1],
      },
      // The table is made by a helper function in another file: the stack trace leads there.
      {
        finding: ordersFinding(),
        skill: 'dynamodb-pitr',
        file: 'lib/tables.ts',
        line: '+    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },',
        changed: [0, 1],
      },
    ];
    for (const c of cases) {
      const out = await run(world, [c.finding]);
      const result = out.results[0]!;
      expect(result, result.reason).toMatchObject({ status: 'pr_opened', skill: c.skill });
      const checks = Object.fromEntries(result.validation!.checks.map((check) => [check.name, check.status]));
      expect(checks).toEqual({
        synthesizes: 'passed',
        'detect-clean': 'passed',
        'stack-clean': 'passed',
        'template-scope': 'passed',
        idempotent: 'passed',
      });
      const change = await branchChange(world, result.branch!);
      expect(change.files).toEqual([c.file]);
      expect(change.diff).toContain(c.line);
      // Only the prop: the rest of the file, comments included, is as it was.
      const lines = change.diff.split('\n');
      expect([lines.filter((l) => /^-(?!--)/.test(l)).length, lines.filter((l) => /^\+(?!\+\+)/.test(l)).length]).toEqual(c.changed);
    }
  }, 180_000);

  it('sends a fix that replaces the resource to an approver, and its pull request says so with a safe rollback', async () => {
    world = await makeWorld('policy: { default: pull_request }\n', CDK_APP, 'cdk');
    const out = await run(world, [scratchVolumeFinding()]);
    const result = out.results[0]!;
    expect(result, result.reason).toMatchObject({ status: 'pr_opened', skill: 'ebs-encrypted' });
    // The tier was pull_request: the replacement asked for an approval all the same (granted here on the spot).
    expect(result.approval).not.toBeNull();
    const change = await branchChange(world, result.branch!);
    expect(change.diff).toContain(
      `+    new ec2.Volume(this, 'Scratch', { availabilityZone: '${REGION}a', size: Size.gibibytes(50), encrypted: true });`,
    );
    const title = (await world.git('log', '-1', '--format=%s', result.branch!)).trim();
    expect(title).toMatch(/^\[cloudmend\] replaces `EC2\.3`: /);
    const reopened = await world.open();
    try {
      const [pr] = await reopened.ctx.ledger.pullRequestsFor(result.fingerprint);
      expect(pr?.body.split('\n')[0]).toMatch(/^⚠️ \*\*This change replaces /);
      // The rollback is the skill's (a snapshot first), not "revert and deploy again".
      expect(pr?.body).toMatch(/## Rollback[\s\S]*snapshot/i);
      expect(pr?.body).toContain(
        '- Construct: `acme-data/Scratch` at `lib/data-stack.ts`:30 (stack `acme-data`, resource `ScratchF72D2ED6`)',
      );
    } finally {
      await reopened.close();
    }
  });

  it('says why when the app has no construct for the resource, only a person can fix it, or no skill covers the control', async () => {
    const app = {
      ...CDK_APP,
      // The key's rotation comes from a value passed in: cloudmend does not change where it comes from.
      'lib/data-stack.ts': CDK_APP['lib/data-stack.ts']!.replace(
        "{ description: 'acme data' }",
        "{ description: 'acme data', enableKeyRotation: props?.tags?.rotate === 'yes' }",
      ),
    };
    world = await makeWorld('policy: { default: pull_request }\n', app, 'cdk');
    const elsewhere = asffFinding({
      control: 'S3.8',
      Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::someone-elses-bucket', Partition: 'aws', Region: REGION }],
    });
    const queue = asffFinding({
      control: MODEL_ONLY_CONTROL,
      Resources: [{ Type: 'AwsSqsQueue', Id: `arn:aws:sqs:${REGION}:111122223333:acme-jobs` }],
    });
    const out = await run(world, [elsewhere, dataKeyFinding(), queue]);
    const [bucket, key, modelOnly] = ['S3.8', 'KMS.4', MODEL_ONLY_CONTROL].map(
      (control) => out.results.find((r) => r.controlId === control)!,
    );
    expect(modelOnly).toMatchObject({ status: 'needs_model' });
    expect(modelOnly!.reason).toBe(`no skill covers ${MODEL_ONLY_CONTROL}, and the model agent does not edit CDK apps`);
    expect(bucket).toMatchObject({ status: 'no_target' });
    expect(bucket!.reason).toMatch(/someone-elses-bucket/);
    expect(key).toMatchObject({ status: 'recommended' });
    expect(key!.reason).toMatch(/enableKeyRotation is set by `props\?\.tags\?\.rotate === 'yes'` in lib\/data-stack\.ts/);
    expect(await world.git('branch', '--list', 'cloudmend/*')).toBe('');
  }, 120_000);

  it('ends findings recommended, naming the module, when the app imports a package the sandbox does not have', async () => {
    const app = { ...CDK_APP, 'lib/tables.ts': `import 'left-pad';\n${CDK_APP['lib/tables.ts']}` };
    world = await makeWorld('policy: { default: pull_request }\n', app, 'cdk');
    const out = await run(world, [ordersFinding()]);
    expect(out.results[0]).toMatchObject({ status: 'recommended' });
    expect(out.results[0]!.reason).toMatch(/the app imports "left-pad", which cannot be resolved where cloudmend synthesizes/);
  }, 120_000);

  it('ends findings no_target, saying what it runs, when cdk.json runs something cloudmend does not', async () => {
    world = await makeWorld(
      'policy: { default: pull_request }\n',
      { ...CDK_APP, 'cdk.json': '{ "app": "make synth && node bin/app.js" }' },
      'cdk',
    );
    const out = await run(world, [ordersFinding()]);
    expect(out.results[0]).toMatchObject({ status: 'no_target' });
    expect(out.results[0]!.reason).toMatch(
      /is not a plain command .* cloudmend synthesizes apps whose cdk.json "app" runs one TypeScript or JavaScript file/,
    );
  });
});
