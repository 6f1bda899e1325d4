#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { StorefrontStack } from '../lib/storefront-stack';

const app = new cdk.App();

// Production only: staging is a copy made by the release pipeline.
new StorefrontStack(app, 'storefront-prod', {
  env: { account: '222233334444', region: 'us-east-1' },
  domainName: 'shop.acme.example',
});
