/** `removed-resource` on safeguards: deletion policies, deletion protection, prevent_destroy, force_destroy. */
import { describe, it } from 'vitest';
import { edit, expectVerdict, type Row } from './judge.js';

const BUCKET = 'resource "aws_s3_bucket" "audit" {\n  bucket = "acme-audit"\n\n  lifecycle {\n    prevent_destroy = true\n  }\n}\n';
const DATABASE =
  'resource "aws_db_instance" "orders" {\n  identifier          = "orders"\n  engine              = "postgres"\n  instance_class      = "db.t3.micro"\n  allocated_storage   = 20\n  deletion_protection = true\n  skip_final_snapshot = false\n}\n';
const TEMPLATE = `Resources:
  Audit:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
  Orders:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Snapshot
    Properties:
      Engine: postgres
      DBInstanceClass: db.t3.micro
      AllocatedStorage: '20'
      DeletionProtection: true
`;
const TABLE =
  '{"Resources": {"Jobs": {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Retain", "Properties": {"BillingMode": "PAY_PER_REQUEST", "DeletionProtectionEnabled": true}}}}';

const violations: Row[] = [
  {
    name: 'prevent_destroy is dropped',
    kind: 'terraform',
    before: BUCKET,
    after: edit(BUCKET, '\n\n  lifecycle {\n    prevent_destroy = true\n  }', ''),
    expected: [
      [
        'removed-resource',
        'main.tf: aws_s3_bucket.audit turns off lifecycle.prevent_destroy (it was true), removing it: nothing stops its destruction any more',
      ],
    ],
  },
  {
    name: 'prevent_destroy turns false',
    kind: 'terraform',
    before: BUCKET,
    after: edit(BUCKET, 'prevent_destroy = true', 'prevent_destroy = false'),
    expected: [['removed-resource', 'turns off lifecycle.prevent_destroy']],
  },
  {
    name: 'a bucket gets force_destroy',
    kind: 'terraform',
    before: BUCKET,
    after: edit(BUCKET, '"acme-audit"\n', '"acme-audit"\n  force_destroy = true\n'),
    expected: [['removed-resource', 'aws_s3_bucket.audit sets force_destroy to true: a later destroy takes its data with it']],
  },
  {
    name: 'a database loses deletion protection and its final snapshot',
    kind: 'terraform',
    before: DATABASE,
    after: edit(
      edit(DATABASE, 'deletion_protection = true', 'deletion_protection = false'),
      'skip_final_snapshot = false',
      'skip_final_snapshot = true',
    ),
    expected: [
      ['removed-resource', 'aws_db_instance.orders turns off deletion_protection'],
      ['removed-resource', 'aws_db_instance.orders sets skip_final_snapshot to true'],
    ],
  },
  {
    name: 'a DeletionPolicy (YAML) changes to Delete',
    kind: 'cloudformation',
    before: TEMPLATE,
    after: edit(TEMPLATE, 'DeletionPolicy: Retain', 'DeletionPolicy: Delete'),
    expected: [
      [
        'removed-resource',
        'template.yaml: Audit changes DeletionPolicy from Retain to Delete: removing it from the stack now destroys it and its data',
      ],
    ],
  },
  {
    name: 'an UpdateReplacePolicy (YAML) is dropped',
    kind: 'cloudformation',
    before: TEMPLATE,
    after: edit(TEMPLATE, '    UpdateReplacePolicy: Retain\n', ''),
    expected: [['removed-resource', 'Audit changes UpdateReplacePolicy from Retain to Delete: replacing it now destroys it and its data']],
  },
  {
    name: 'a Snapshot policy (YAML) becomes Delete and protection goes',
    kind: 'cloudformation',
    before: TEMPLATE,
    after: edit(
      edit(TEMPLATE, 'DeletionPolicy: Snapshot', 'DeletionPolicy: Delete'),
      'DeletionProtection: true',
      'DeletionProtection: false',
    ),
    expected: [
      ['removed-resource', 'Orders changes DeletionPolicy from Snapshot to Delete'],
      ['removed-resource', 'Orders turns off DeletionProtection (it was true)'],
    ],
  },
  {
    name: 'a table (JSON) loses its Retain policy and deletion protection',
    kind: 'cloudformation',
    before: TABLE,
    after: TABLE.replace('"DeletionPolicy": "Retain", ', '').replace(
      '"DeletionProtectionEnabled": true',
      '"DeletionProtectionEnabled": false',
    ),
    expected: [
      ['removed-resource', 'template.json: Jobs changes DeletionPolicy from Retain to Delete'],
      ['removed-resource', 'Jobs turns off DeletionProtectionEnabled'],
    ],
  },
];

const allowed: Row[] = [
  {
    name: 'prevent_destroy is added',
    kind: 'terraform',
    before: edit(BUCKET, 'prevent_destroy = true', 'prevent_destroy = false'),
    after: BUCKET,
    expected: [],
  },
  {
    name: 'a new bucket has force_destroy',
    kind: 'terraform',
    before: BUCKET,
    after: `${BUCKET}\nresource "aws_s3_bucket" "scratch" {\n  bucket        = "acme-scratch"\n  force_destroy = true\n}\n`,
    expected: [],
  },
  {
    name: 'a database gains deletion protection',
    kind: 'terraform',
    before: edit(DATABASE, 'deletion_protection = true', 'deletion_protection = false'),
    after: DATABASE,
    expected: [],
  },
  {
    name: 'a DeletionPolicy (YAML) goes from Snapshot to Retain',
    kind: 'cloudformation',
    before: TEMPLATE,
    after: edit(TEMPLATE, 'DeletionPolicy: Snapshot', 'DeletionPolicy: Retain'),
    expected: [],
  },
  {
    name: 'a protected table (JSON) changes billing',
    kind: 'cloudformation',
    before: TABLE,
    after: TABLE.replace(
      '"BillingMode": "PAY_PER_REQUEST", ',
      '"BillingMode": "PAY_PER_REQUEST", "SSESpecification": {"SSEEnabled": true}, ',
    ),
    expected: [],
  },
];

describe('checkPatch: removed-resource on safeguards', () => {
  it.each(violations)('reports it when $name', expectVerdict);
  it.each(allowed)('lets the patch pass when $name', expectVerdict);
});
