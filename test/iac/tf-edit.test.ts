import { describe, expect, it } from 'vitest';
import { applyEdits, assertConfined, EditOutsideTargetError } from '../../src/iac/edits.js';
import { appendToBody, insertAfter, removeAttribute, removeBlock, setAttribute } from '../../src/iac/terraform/edit.js';
import { alignmentEdits } from '../../src/iac/terraform/format.js';
import type { HclAttribute, HclBlock } from '../../src/iac/terraform/hcl-structure.js';
import { parseTfFile, type TfFile } from '../../src/iac/terraform/module.js';
import { HclRaw, renderBlock, renderHcl } from '../../src/iac/terraform/render.js';

const TEXT = `resource "aws_instance" "web" {
  ami           = "ami-123"
  instance_type = "t3.micro" # small

  ebs_block_device {
    device_name = "/dev/sdb"
  }
}

resource "aws_s3_bucket" "b" { bucket = "x" }
`;

function setup(): { file: TfFile; web: HclBlock; b: HclBlock } {
  const file = parseTfFile('main.tf', TEXT);
  const [web, b] = file.body.items as HclBlock[];
  return { file, web: web!, b: b! };
}

describe('Terraform edits', () => {
  it('replaces an expression and keeps its comment', () => {
    const { file, web } = setup();
    expect(applyEdits(TEXT, [setAttribute(file, web, 'instance_type', '"t3.small"')])).toBe(
      TEXT.replace('"t3.micro" # small', '"t3.small" # small'),
    );
  });

  it('adds an attribute after the other attributes, before nested blocks', () => {
    const { file, web } = setup();
    const out = applyEdits(TEXT, [setAttribute(file, web, 'monitoring', 'true')]);
    expect(out).toContain('  instance_type = "t3.micro" # small\n  monitoring = true\n\n  ebs_block_device {');
  });

  it('appends to the end of the body when asked', () => {
    const { file, web } = setup();
    expect(applyEdits(TEXT, [appendToBody(file, web, ['monitoring = true'])])).toContain(
      '    device_name = "/dev/sdb"\n  }\n  monitoring = true\n}\n',
    );
  });

  it('opens up a single-line block to add to it', () => {
    const { file, b } = setup();
    expect(applyEdits(TEXT, [appendToBody(file, b, ['acl = "private"'])])).toContain(
      'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  acl = "private"\n}\n',
    );
  });

  it('removes an attribute line and a nested block', () => {
    const { file, web } = setup();
    const attr = web.body.items[1] as HclAttribute;
    const nested = web.body.items[2] as HclBlock;
    expect(applyEdits(TEXT, [removeAttribute(file, attr), removeBlock(file, nested)])).toBe(
      'resource "aws_instance" "web" {\n  ami           = "ami-123"\n\n}\n\nresource "aws_s3_bucket" "b" { bucket = "x" }\n',
    );
  });

  it('adds a sibling block after the target, separated by a blank line', () => {
    const { file, web } = setup();
    const block = renderBlock('resource', ['aws_eip', 'web'], { instance: new HclRaw('aws_instance.web.id'), domain: 'vpc' });
    expect(applyEdits(TEXT, [insertAfter(file, web, block)])).toContain(
      '}\n\nresource "aws_eip" "web" {\n  instance = aws_instance.web.id\n  domain   = "vpc"\n}\n\nresource "aws_s3_bucket"',
    );
  });

  it('aligns = across each run of single-line attributes, as terraform fmt does', () => {
    const text =
      'resource "x" "y" {\n  a = 1\n  bbbbbb = 2\n  tags = {\n    k = "v"\n  }\n  cc = 3\n\n  ddddddddd = 4\n  # comment\n  e = 5\n}\n';
    const file = parseTfFile('a.tf', text);
    const out = applyEdits(text, alignmentEdits(file, file.body.items[0] as HclBlock));
    expect(out).toBe(
      'resource "x" "y" {\n  a      = 1\n  bbbbbb = 2\n  tags = {\n    k = "v"\n  }\n  cc = 3\n\n  ddddddddd = 4\n  # comment\n  e = 5\n}\n',
    );
  });
});

describe('HCL rendering', () => {
  it('escapes interpolation in strings and renders nested values', () => {
    expect(renderHcl({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Resource: '${not}' }], 'odd key': 1, b: true })).toBe(
      '{\n  Version = "2012-10-17"\n  Statement = [\n    {\n      Effect   = "Deny"\n      Resource = "$${not}"\n    },\n  ]\n  "odd key" = 1\n  b         = true\n}',
    );
  });
});

describe('edit confinement', () => {
  it('accepts edits inside the allowed ranges and refuses any other', () => {
    const allowed = [{ file: 'a.tf', start: 10, end: 20, why: 'located resource r' }];
    expect(() => assertConfined([{ file: 'a.tf', start: 12, end: 20, text: 'x' }], allowed)).not.toThrow();
    expect(() => assertConfined([{ file: 'a.tf', start: 5, end: 11, text: 'x' }], allowed)).toThrow(EditOutsideTargetError);
    expect(() => assertConfined([{ file: 'b.tf', start: 12, end: 13, text: 'x' }], allowed)).toThrow(
      /outside what the fix may touch \(a\.tf\[10,20\) located resource r\)/,
    );
  });

  it('applies insertions at one offset in the order given and refuses overlaps', () => {
    expect(
      applyEdits('ab', [
        { file: 'f', start: 1, end: 1, text: '1' },
        { file: 'f', start: 1, end: 1, text: '2' },
      ]),
    ).toBe('a12b');
    expect(() =>
      applyEdits('abcd', [
        { file: 'f', start: 0, end: 3, text: '' },
        { file: 'f', start: 2, end: 4, text: '' },
      ]),
    ).toThrow(/overlapping/);
  });
});
