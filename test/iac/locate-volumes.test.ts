/** EC2.3 findings name a volume: one an instance created is declared on that instance, by its `volume_tags`. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { normalizeEvent } from '../../src/findings/normalize.js';
import { locate } from '../../src/iac/locate.js';
import { ACCOUNT, asffFinding, importedEvent } from '../support/events.js';

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cloudmend-volumes-'));
  writeFileSync(
    join(root, 'main.tf'),
    `resource "aws_instance" "app" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "m6i.large"
  tags          = { Name = "app" }
  volume_tags   = { Name = "app-disk" }
}

resource "aws_ebs_volume" "data" {
  availability_zone = "us-east-1a"
  size              = 100
  tags              = { Name = "data-disk" }
}
`,
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

it.each([
  ['app-disk', 'aws_instance.app'],
  ['data-disk', 'aws_ebs_volume.data'],
])('locates the volume named %s to %s', async (name, address) => {
  const resource = {
    Type: 'AwsEc2Volume',
    Id: `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-0123456789abcdef0`,
    Partition: 'aws',
    Region: 'us-east-1',
    Tags: { Name: name },
  };
  const finding = normalizeEvent(importedEvent([asffFinding({ Resources: [resource] })])).findings[0];
  if (!finding) throw new Error('no finding');
  const result = await locate(finding, { name: 'volumes', root, iac: 'terraform' });
  expect(result).toMatchObject({ found: true, target: { address } });
});
