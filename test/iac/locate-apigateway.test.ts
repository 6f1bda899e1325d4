/** APIGateway.1 findings name a stage by its ARN, whose API id is generated: the stage name locates it. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings/finding.js';
import { normalizeEvent } from '../../src/findings/normalize.js';
import { locate, type LocateRepository } from '../../src/iac/locate.js';
import { asffFinding, importedEvent, REGION } from '../support/events.js';

let root: string;

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

function stageFinding(type: 'AwsApiGatewayStage' | 'AwsApiGatewayV2Stage', arn: string): Finding {
  const resource = { Type: type, Id: arn, Partition: 'aws', Region: REGION };
  const f = normalizeEvent(importedEvent([asffFinding({ control: 'APIGateway.1', Resources: [resource] })])).findings[0];
  if (!f) throw new Error('no finding');
  return f;
}

const repo = (iac: LocateRepository['iac']): LocateRepository => ({ name: 'apis', root, iac });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cloudmend-locate-apigw-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('locate API Gateway stages', () => {
  it('finds a REST API stage by the stage name at the end of its ARN', async () => {
    write({
      'api.tf':
        'resource "aws_api_gateway_stage" "prod" {\n  rest_api_id   = aws_api_gateway_rest_api.orders.id\n  deployment_id = aws_api_gateway_deployment.orders.id\n  stage_name    = "prod"\n}\n\n' +
        'resource "aws_api_gateway_stage" "dev" {\n  rest_api_id   = aws_api_gateway_rest_api.orders.id\n  deployment_id = aws_api_gateway_deployment.orders.id\n  stage_name    = "dev"\n}\n',
    });
    const finding = stageFinding('AwsApiGatewayStage', `arn:aws:apigateway:${REGION}::/restapis/a1b2c3d4e5/stages/prod`);
    expect(finding.resource).toMatchObject({ type: 'AWS::ApiGateway::Stage', name: 'prod' });
    expect(await locate(finding, repo('terraform'))).toMatchObject({
      found: true,
      target: { file: 'api.tf', address: 'aws_api_gateway_stage.prod', strategy: 'name' },
    });
  });

  it('finds a WebSocket stage in CloudFormation by its StageName', async () => {
    write({
      'chat.yaml':
        'Resources:\n  ChatStage:\n    Type: AWS::ApiGatewayV2::Stage\n    Properties:\n      ApiId: !Ref ChatApi\n      StageName: production\n' +
        '  OrdersStage:\n    Type: AWS::ApiGateway::Stage\n    Properties:\n      RestApiId: !Ref OrdersApi\n      StageName: prod\n',
    });
    const finding = stageFinding('AwsApiGatewayV2Stage', `arn:aws:apigateway:${REGION}::/apis/f6g7h8i9j0/stages/production`);
    expect(await locate(finding, repo('cloudformation'))).toMatchObject({
      found: true,
      target: { file: 'chat.yaml', address: 'ChatStage', strategy: 'name' },
    });
  });
});
