import { describe, expect, it } from 'vitest';
import { CONTROLS } from '../../src/findings/controls.js';
import { cloudFormationTypeOf } from '../../src/findings/resource-types.js';

describe('ASFF resource type → CloudFormation type', () => {
  it.each([
    ['AwsApiGatewayStage', 'AWS::ApiGateway::Stage'],
    ['AwsApiGatewayV2Stage', 'AWS::ApiGatewayV2::Stage'],
    ['AwsCloudFrontDistribution', 'AWS::CloudFront::Distribution'],
    ['AwsElastiCacheCacheCluster', 'AWS::ElastiCache::CacheCluster'],
    ['AwsKinesisStream', 'AWS::Kinesis::Stream'],
    ['AwsEfsAccessPoint', 'AWS::EFS::AccessPoint'],
    ['AwsEc2LaunchTemplate', 'AWS::EC2::LaunchTemplate'],
    ['AwsEc2VpnConnection', 'AWS::EC2::VPNConnection'],
    ['AwsWafv2WebAcl', 'AWS::WAFv2::WebACL'],
  ])('maps %s to %s, a type the control table names', (asff, cloudFormation) => {
    expect(cloudFormationTypeOf(asff)).toBe(cloudFormation);
    expect([...CONTROLS.values()].some((c) => c.resourceTypes.includes(cloudFormation))).toBe(true);
  });

  it('passes an unknown type through unchanged', () => {
    expect(cloudFormationTypeOf('AwsElastiCacheReplicationGroup')).toBe('AwsElastiCacheReplicationGroup');
  });
});
