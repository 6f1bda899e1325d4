/** `weakened-monitoring`: CloudTrail, AWS Config and GuardDuty turned off or narrowed, and what stays allowed. */
import { describe, it } from 'vitest';
import { edit, expectVerdict, type Row } from './judge.js';

const TRAIL = `resource "aws_cloudtrail" "main" {
  name                          = "main"
  s3_bucket_name                = "acme-trail-logs"
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  include_global_service_events = true
}
`;

const RECORDER = `resource "aws_config_configuration_recorder" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::111122223333:role/config"

  recording_group {
    all_supported                 = true
    include_global_resource_types = true
  }
}

resource "aws_config_configuration_recorder_status" "main" {
  name       = aws_config_configuration_recorder.main.name
  is_enabled = true
}
`;

const DETECTOR = 'resource "aws_guardduty_detector" "main" {\n  enable = true\n}\n';

const CFN_TRAIL = `Parameters:
  Logging:
    Type: String
    Default: "true"
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: acme-trail-logs
      IsLogging: true
      IsMultiRegionTrail: true
`;

const violations: Row[] = [
  {
    name: 'a trail stops logging',
    kind: 'terraform',
    before: TRAIL,
    after: edit(
      TRAIL,
      '  s3_bucket_name                = "acme-trail-logs"\n',
      '  s3_bucket_name                = "acme-trail-logs"\n  enable_logging                = false\n',
    ),
    expected: [['weakened-monitoring', 'main.tf: aws_cloudtrail.main sets enable_logging to false: the trail stops logging']],
  },
  {
    name: 'a trail becomes single-region by leaving the setting out',
    kind: 'terraform',
    before: TRAIL,
    after: edit(TRAIL, '  is_multi_region_trail         = true\n', ''),
    expected: [['weakened-monitoring', 'aws_cloudtrail.main leaves is_multi_region_trail out: the trail logs one region only']],
  },
  {
    name: 'log file validation depends on a variable',
    kind: 'terraform',
    before: TRAIL,
    after: `variable "validate" {\n  type = bool\n}\n\n${edit(TRAIL, 'enable_log_file_validation    = true', 'enable_log_file_validation    = var.validate')}`,
    expected: [['weakened-monitoring', 'aws_cloudtrail.main sets enable_log_file_validation to']],
  },
  {
    name: 'a new trail is written not to log',
    kind: 'terraform',
    before: '',
    after: edit(TRAIL, '  is_multi_region_trail ', '  enable_logging                = false\n  is_multi_region_trail '),
    expected: [['weakened-monitoring', 'aws_cloudtrail.main is new with enable_logging = false']],
  },
  {
    name: 'AWS Config stops recording',
    kind: 'terraform',
    before: RECORDER,
    after: edit(RECORDER, 'is_enabled = true', 'is_enabled = false'),
    expected: [
      ['weakened-monitoring', 'aws_config_configuration_recorder_status.main sets is_enabled to false: AWS Config stops recording'],
    ],
  },
  {
    name: 'AWS Config stops recording IAM resources',
    kind: 'terraform',
    before: RECORDER,
    after: edit(RECORDER, 'include_global_resource_types = true', 'include_global_resource_types = false'),
    expected: [
      ['weakened-monitoring', 'recording_group.include_global_resource_types to false: AWS Config no longer records IAM resources'],
    ],
  },
  {
    name: 'GuardDuty is turned off with a string',
    kind: 'terraform',
    before: DETECTOR,
    after: edit(DETECTOR, 'enable = true', 'enable = "false"'),
    expected: [['weakened-monitoring', 'aws_guardduty_detector.main sets enable to "false": GuardDuty stops looking for threats']],
  },
  {
    name: 'a trail (YAML) stops logging through a parameter default',
    kind: 'cloudformation',
    before: CFN_TRAIL,
    after: edit(edit(CFN_TRAIL, 'IsLogging: true', 'IsLogging: !Ref Logging'), 'Default: "true"', 'Default: "false"'),
    expected: [['weakened-monitoring', 'Trail sets IsLogging to "false": the trail stops logging']],
  },
  {
    name: 'a trail (YAML) becomes single-region with a YAML 1.1 boolean',
    kind: 'cloudformation',
    before: CFN_TRAIL,
    after: edit(CFN_TRAIL, 'IsMultiRegionTrail: true', 'IsMultiRegionTrail: off'),
    expected: [['weakened-monitoring', 'Trail sets IsMultiRegionTrail to false: the trail logs one region only']],
  },
];

const allowed: Row[] = [
  {
    name: 'a trail is tagged',
    kind: 'terraform',
    before: TRAIL,
    after: edit(
      TRAIL,
      '  name                          = "main"\n',
      '  name                          = "main"\n  tags                          = { Team = "security" }\n',
    ),
    expected: [],
  },
  {
    name: 'a trail writes enable_logging = true where it was left out',
    kind: 'terraform',
    before: TRAIL,
    after: edit(
      TRAIL,
      '  s3_bucket_name                = "acme-trail-logs"\n',
      '  s3_bucket_name                = "acme-trail-logs"\n  enable_logging                = true\n',
    ),
    expected: [],
  },
  {
    name: 'a new detector leaves enable out (GuardDuty’s default is on)',
    kind: 'terraform',
    before: '',
    after: 'resource "aws_guardduty_detector" "main" {}\n',
    expected: [],
  },
  {
    name: 'a single-region trail becomes multi-region',
    kind: 'terraform',
    before: edit(TRAIL, 'is_multi_region_trail         = true', 'is_multi_region_trail         = false'),
    after: TRAIL,
    expected: [],
  },
];

describe('checkPatch: weakened-monitoring', () => {
  it.each(violations)('reports it when $name', expectVerdict);
  it.each(allowed)('lets the patch pass when $name', expectVerdict);
});
