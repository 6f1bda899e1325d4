/**
 * Before consolidated control findings (2023), Security Hub named controls per standard: CIS AWS
 * Foundations v1.2.0 rules (`.../cis-aws-foundations-benchmark/v/1.2.0/rule/2.7`) and PCI DSS
 * v3.2.1 controls (`PCI.CloudTrail.1`). Accounts that never switched still emit those. These are
 * the security control ids Security Hub itself maps them to, so skills and policies see one id.
 */
const CIS_1_2_0: Readonly<Record<string, string>> = {
  '1.1': 'CloudWatch.1', '1.2': 'IAM.5', '1.3': 'IAM.8', '1.4': 'IAM.3', '1.5': 'IAM.11', '1.6': 'IAM.12',
  '1.7': 'IAM.13', '1.8': 'IAM.14', '1.9': 'IAM.15', '1.10': 'IAM.16', '1.11': 'IAM.17', '1.12': 'IAM.4',
  '1.13': 'IAM.9', '1.14': 'IAM.6', '1.16': 'IAM.2', '1.20': 'IAM.18', '1.22': 'IAM.1',
  '2.1': 'CloudTrail.1', '2.2': 'CloudTrail.4', '2.3': 'CloudTrail.6', '2.4': 'CloudTrail.5', '2.5': 'Config.1',
  '2.6': 'CloudTrail.7', '2.7': 'CloudTrail.2', '2.8': 'KMS.4', '2.9': 'EC2.6',
  '3.1': 'CloudWatch.2', '3.2': 'CloudWatch.3', '3.3': 'CloudWatch.1', '3.4': 'CloudWatch.4', '3.5': 'CloudWatch.5',
  '3.6': 'CloudWatch.6', '3.7': 'CloudWatch.7', '3.8': 'CloudWatch.8', '3.9': 'CloudWatch.9', '3.10': 'CloudWatch.10',
  '3.11': 'CloudWatch.11', '3.12': 'CloudWatch.12', '3.13': 'CloudWatch.13', '3.14': 'CloudWatch.14',
  '4.1': 'EC2.13', '4.2': 'EC2.14', '4.3': 'EC2.2',
};

const PCI_3_2_1: Readonly<Record<string, string>> = {
  'PCI.AutoScaling.1': 'AutoScaling.1', 'PCI.CloudTrail.1': 'CloudTrail.2', 'PCI.CloudTrail.2': 'CloudTrail.3',
  'PCI.CloudTrail.3': 'CloudTrail.4', 'PCI.CloudTrail.4': 'CloudTrail.5', 'PCI.CodeBuild.1': 'CodeBuild.1',
  'PCI.CodeBuild.2': 'CodeBuild.2', 'PCI.Config.1': 'Config.1', 'PCI.CW.1': 'CloudWatch.1', 'PCI.DMS.1': 'DMS.1',
  'PCI.EC2.1': 'EC2.1', 'PCI.EC2.2': 'EC2.2', 'PCI.EC2.4': 'EC2.12', 'PCI.EC2.5': 'EC2.13', 'PCI.EC2.6': 'EC2.6',
  'PCI.ELBV2.1': 'ELB.1', 'PCI.ES.1': 'ES.2', 'PCI.ES.2': 'ES.1', 'PCI.GuardDuty.1': 'GuardDuty.1',
  'PCI.IAM.1': 'IAM.4', 'PCI.IAM.2': 'IAM.2', 'PCI.IAM.3': 'IAM.1', 'PCI.IAM.4': 'IAM.6', 'PCI.IAM.5': 'IAM.9',
  'PCI.IAM.6': 'IAM.19', 'PCI.IAM.7': 'IAM.8', 'PCI.IAM.8': 'IAM.10', 'PCI.KMS.1': 'KMS.4', 'PCI.Lambda.1': 'Lambda.1',
  'PCI.Lambda.2': 'Lambda.3', 'PCI.Opensearch.1': 'Opensearch.2', 'PCI.Opensearch.2': 'Opensearch.1',
  'PCI.RDS.1': 'RDS.1', 'PCI.RDS.2': 'RDS.2', 'PCI.Redshift.1': 'Redshift.1', 'PCI.S3.1': 'S3.3', 'PCI.S3.2': 'S3.2',
  'PCI.S3.3': 'S3.7', 'PCI.S3.4': 'S3.4', 'PCI.S3.5': 'S3.5', 'PCI.S3.6': 'S3.1', 'PCI.SageMaker.1': 'SageMaker.1',
  'PCI.SSM.1': 'SSM.2', 'PCI.SSM.2': 'SSM.3', 'PCI.SSM.3': 'SSM.1',
};

/** The consolidated control id for a PCI DSS v3.2.1 control id or a CIS v1.2.0 rule number. */
export function consolidatedControlId(legacy: { pciControlId?: string | undefined; cisRule?: string | undefined }): string | undefined {
  if (legacy.pciControlId !== undefined && Object.hasOwn(PCI_3_2_1, legacy.pciControlId)) return PCI_3_2_1[legacy.pciControlId];
  if (legacy.cisRule !== undefined && Object.hasOwn(CIS_1_2_0, legacy.cisRule)) return CIS_1_2_0[legacy.cisRule];
  return undefined;
}
