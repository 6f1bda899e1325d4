/** Lambda entry of the Slack interaction endpoint (a Function URL; see src/approvals/interactions.ts). */
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { slackInteraction } from '../src/aws/slack-endpoint.js';
import { instrumentedHandler } from '../src/workflow/lambda.js';

export const handler = instrumentedHandler('SlackInteractions', (event) => slackInteraction(event as LambdaFunctionURLEvent));
