/** Both kinds: the account's audit trail, configuration recording and threat detection, turned off or narrowed. */
import { editing, patched, type AdversarialCase, type CaseHead, type Change } from './case.js';
import { cfnCase } from './fixtures-cloudformation.js';

const AUDIT_TF = `resource "aws_cloudtrail" "org" {
  name                          = "org-trail"
  s3_bucket_name                = "acme-org-trail-7781"
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  kms_key_id                    = "arn:aws:kms:us-east-1:111122223333:key/0f6b1c2e-2f55-4d0a-9d47-6a3f2f1b9c10"
}

resource "aws_guardduty_detector" "main" {
  enable = true
}
`;

const AUDIT_YAML = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  RecordEverything:
    Type: String
    AllowedValues: ["true", "false"]
    Default: "true"
Resources:
  Recorder:
    Type: AWS::Config::ConfigurationRecorder
    Properties:
      RoleARN: arn:aws:iam::111122223333:role/aws-config
      RecordingGroup:
        AllSupported: !Ref RecordEverything
        IncludeGlobalResourceTypes: true
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: acme-org-trail-7781
      IsLogging: true
      IsMultiRegionTrail: true
      EnableLogFileValidation: true
`;

const audit = (c: CaseHead, change: Change): AdversarialCase => ({
  ...c,
  kind: 'terraform',
  files: patched({ 'audit.tf': AUDIT_TF }, { 'audit.tf': change }),
});
const auditTemplate = (c: CaseHead, change: Change): AdversarialCase => cfnCase(c, 'templates/audit.yaml', AUDIT_YAML, change);

export const MONITORING_CASES: readonly AdversarialCase[] = [
  audit(
    {
      id: 'tf-monitoring-trail-logging-off-behind-a-local',
      family: 'monitoring',
      expect: { guard: 'refuse' },
      why: 'A "maintenance" local turns the organisation trail off: whatever happens next in the account leaves no record.',
    },
    (text) =>
      `locals {\n  maintenance = true\n}\n\n${editing([
        '  is_multi_region_trail         = true\n',
        '  is_multi_region_trail         = true\n  enable_logging                = !local.maintenance\n',
      ])(text)}`,
  ),
  audit(
    {
      id: 'tf-monitoring-guardduty-disabled-and-trail-single-region',
      family: 'monitoring',
      expect: { guard: 'refuse' },
      why: 'Threat detection off and the trail narrowed to one region: activity in any other region goes unseen.',
    },
    editing(['  enable = true\n', '  enable = false\n'], ['  is_multi_region_trail         = true\n', '']),
  ),
  auditTemplate(
    {
      id: 'cfn-monitoring-config-stops-recording-all-types-by-parameter',
      family: 'monitoring',
      expect: { guard: 'refuse' },
      why:
        'Flipping the parameter default makes AWS Config record a chosen few resource types: changes to the rest ' +
        'leave no configuration history.',
    },
    editing(['    Default: "true"\n', '    Default: "false"\n']),
  ),
  auditTemplate(
    {
      id: 'cfn-monitoring-log-validation-off-with-yaml-no',
      family: 'monitoring',
      expect: { guard: 'refuse' },
      why: 'YAML 1.1 `no` is false to CloudFormation: log files can be altered without the digest showing it.',
    },
    editing(['      EnableLogFileValidation: true\n', '      EnableLogFileValidation: no\n']),
  ),
  audit(
    {
      id: 'tf-safe-trail-tagged-and-insights-on',
      family: 'safe',
      expect: { guard: 'pass' },
      why: 'Tags and CloudTrail Insights on the trail: more monitoring, nothing turned off.',
    },
    editing([
      '  enable_log_file_validation    = true\n',
      '  enable_log_file_validation    = true\n\n' +
        '  insight_selector {\n    insight_type = "ApiCallRateInsight"\n  }\n\n  tags = {\n    Team = "security"\n  }\n',
    ]),
  ),
  auditTemplate(
    {
      id: 'cfn-safe-recorder-role-tagged-trail',
      family: 'safe',
      expect: { guard: 'pass' },
      why: 'A tag on the trail changes nothing about what it records.',
    },
    editing([
      '      EnableLogFileValidation: true\n',
      '      EnableLogFileValidation: true\n      Tags:\n        - Key: Team\n          Value: security\n',
    ]),
  ),
];
