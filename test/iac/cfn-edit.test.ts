import { describe, expect, it } from 'vitest';
import { appendSeqItem, insertResource, replaceSeqItem, setProperty, UnsupportedEditError } from '../../src/iac/cloudformation/edit.js';
import { parseTemplate, propertyAt } from '../../src/iac/cloudformation/template.js';
import { applyEdits } from '../../src/iac/edits.js';

const YAML = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  # the database
  Db:
    Type: 'AWS::RDS::DBInstance'
    Properties:
      Engine: postgres # pinned by the app team
      PubliclyAccessible: true
      Tags:
        - Key: team
          Value: !Ref Team
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
Outputs:
  Id:
    Value: !GetAtt Db.Endpoint.Address
`;

const JSON_TEMPLATE = `{
  "Resources": {
    "Db": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": {
        "PubliclyAccessible": true
      }
    }
  }
}
`;

function edit(text: string, f: (t: ReturnType<typeof parseTemplate>) => Parameters<typeof applyEdits>[1]): string {
  return applyEdits(text, f(parseTemplate('t.yaml', text)));
}

const db = (t: ReturnType<typeof parseTemplate>) => t.resources.find((r) => r.logicalId === 'Db') ?? t.resources[0]!;
const sg = (t: ReturnType<typeof parseTemplate>) => t.resources.find((r) => r.logicalId === 'Sg')!;

describe('CloudFormation template', () => {
  it('reads short-form intrinsics in their long form', () => {
    const t = parseTemplate('t.yaml', YAML);
    expect(propertyAt(db(t), ['Properties', 'Tags'])).toEqual([{ Key: 'team', Value: { Ref: 'Team' } }]);
    expect(t).toMatchObject({ format: 'yaml', shortForm: true, indentStep: 2 });
    expect(parseTemplate('t.json', JSON_TEMPLATE)).toMatchObject({ format: 'json', shortForm: false, indentStep: 2 });
  });

  it('reads every document of a multi-document file, naming repeated ids apart', () => {
    const t = parseTemplate('t.yaml', 'Resources:\n  A:\n    Type: X\n---\nResources:\n  A:\n    Type: Y\n');
    expect(t.resources.map((r) => [r.logicalId, r.type])).toEqual([
      ['A', 'X'],
      ['A#2', 'Y'],
    ]);
  });
});

describe('CloudFormation edits', () => {
  it('replaces a scalar and keeps the comment beside it and everything else byte for byte', () => {
    const out = edit(YAML, (t) => [setProperty(t, db(t), ['Properties', 'PubliclyAccessible'], false)]);
    expect(out).toBe(YAML.replace('PubliclyAccessible: true', 'PubliclyAccessible: false'));
  });

  it('adds a missing property at the end of its map, in block style, with short-form intrinsics', () => {
    const out = edit(YAML, (t) => [
      setProperty(t, db(t), ['Properties', 'KmsKeyId'], { Ref: 'Key' }),
      setProperty(t, db(t), ['Properties', 'StorageEncrypted'], true),
    ]);
    expect(out).toContain('          Value: !Ref Team\n      KmsKeyId: !Ref Key\n      StorageEncrypted: true\n  Sg:');
  });

  it('creates nested maps that do not exist yet', () => {
    const out = edit(YAML, (t) => [setProperty(t, db(t), ['Properties', 'A', 'B'], { C: ['x', { D: 1 }] })]);
    expect(out).toContain('      A:\n        B:\n          C:\n            - x\n            - D: 1\n  Sg:');
  });

  it('fills an empty Properties key', () => {
    const text = 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n  C:\n    Type: X\n';
    expect(edit(text, (t) => [setProperty(t, t.resources[0]!, ['Properties', 'BucketName'], 'b')])).toBe(
      'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: b\n  C:\n    Type: X\n',
    );
  });

  it('edits JSON templates with their indentation', () => {
    const out = edit(JSON_TEMPLATE, (t) => [
      setProperty(t, db(t), ['Properties', 'PubliclyAccessible'], false),
      setProperty(t, db(t), ['Properties', 'Tags'], [{ Key: 'a', Value: 'b' }]),
    ]);
    expect(out).toBe(
      JSON_TEMPLATE.replace(
        '"PubliclyAccessible": true',
        '"PubliclyAccessible": false,\n        "Tags": [\n          {\n            "Key": "a",\n            "Value": "b"\n          }\n        ]',
      ).replace('false,\n        "Tags"', 'false,\n        "Tags"'),
    );
  });

  it('narrows one list item into several, leaving its neighbours', () => {
    const out = edit(YAML, (t) => [
      replaceSeqItem(t, sg(t), ['Properties', 'SecurityGroupIngress'], 0, [
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/8' },
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '192.168.0.0/16' },
      ]),
    ]);
    expect(out).toContain(
      '      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n          CidrIp: 10.0.0.0/8\n        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n          CidrIp: 192.168.0.0/16\nOutputs:',
    );
  });

  it('appends to a list and adds a sibling resource after the target', () => {
    const out = edit(YAML, (t) => [
      appendSeqItem(t, db(t), ['Properties', 'Tags'], { Key: 'owner', Value: 'db' }),
      insertResource(t, db(t), 'DbAlarm', { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: { 'Fn::Sub': '${Db}-cpu' } } }),
    ]);
    expect(out).toContain(
      '          Value: !Ref Team\n        - Key: owner\n          Value: db\n  DbAlarm:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      AlarmName: !Sub ${Db}-cpu\n  Sg:',
    );
  });

  it('refuses a flow-style map it cannot edit without reformatting', () => {
    const t = parseTemplate('t.yaml', 'Resources:\n  B:\n    Type: X\n    Properties: { A: 1 }\n');
    expect(() => setProperty(t, t.resources[0]!, ['Properties', 'C'], 2)).toThrow(UnsupportedEditError);
  });

  it('quotes scalars YAML would misread', () => {
    const out = edit(YAML, (t) => [
      setProperty(t, db(t), ['Properties', 'Engine'], '*'),
      setProperty(t, db(t), ['Properties', 'Port'], '5432'),
    ]);
    expect(out).toContain('Engine: "*" # pinned by the app team');
    expect(out).toContain('Port: "5432"');
  });
});
