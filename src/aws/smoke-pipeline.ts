/**
 * The deployed pipeline as `cloudmend smoke` touches it, with the caller's credentials: EventBridge
 * PutEvents of the synthetic finding, Step Functions DescribeExecution and GetExecutionHistory to
 * follow it, and SendTaskFailure to reject the approval it may ask for.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { CloudmendError } from '../errors.js';
import type { ExecutionProgress, SmokePipeline } from '../smoke/deployed.js';
import { stepFunctionsCallbacks } from './step-functions.js';

export interface SmokePipelineClients {
  readonly events: EventBridgeClient;
  readonly sfn: SFNClient;
}

export function smokePipelineClients(region: string): SmokePipelineClients {
  return { events: new EventBridgeClient({ region }), sfn: new SFNClient({ region }) };
}

/** Histories of a smoke execution are a few hundred events; this bounds a runaway one. */
const MAX_HISTORY_PAGES = 20;

/** The state a history event enters; Choice states are left out (they route, they do no work). */
function stateEntered(event: HistoryEvent): string | undefined {
  const type = event.type ?? '';
  return type.endsWith('StateEntered') && type !== 'ChoiceStateEntered' ? event.stateEnteredEventDetails?.name : undefined;
}

export function awsSmokePipeline({ events, sfn }: SmokePipelineClients): SmokePipeline {
  return {
    async putEvent(busName, event) {
      const refused = (why: string) => new CloudmendError(`EventBridge did not take the smoke finding on bus ${busName}: ${why}`);
      const put = await events
        .send(
          new PutEventsCommand({
            Entries: [
              {
                EventBusName: busName,
                Source: String(event.source),
                DetailType: String(event['detail-type']),
                Resources: event.resources as string[],
                Detail: JSON.stringify(event.detail),
                Time: new Date(String(event.time)),
              },
            ],
          }),
        )
        .catch((error: unknown) => Promise.reject(refused(`${(error as Error).name}: ${(error as Error).message}`)));
      const entry = put.Entries?.[0];
      if ((put.FailedEntryCount ?? 0) > 0 || entry?.EventId === undefined)
        throw refused(`${entry?.ErrorCode ?? 'no entry'}: ${entry?.ErrorMessage ?? 'no reason given'}`);
      return entry.EventId;
    },
    async execution(executionArn): Promise<ExecutionProgress | undefined> {
      let described;
      try {
        described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      } catch (error) {
        if ((error as Error).name === 'ExecutionDoesNotExist') return undefined;
        throw error;
      }
      const states: string[] = [];
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
        const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
        for (const event of history.events ?? []) {
          const name = stateEntered(event);
          if (name !== undefined) states.push(name);
        }
        nextToken = history.nextToken;
        if (nextToken === undefined) break;
      }
      const error = described.error === undefined ? undefined : { Error: described.error, Cause: described.cause ?? '' };
      return { status: described.status ?? 'UNKNOWN', states, ...(error ? { error } : {}) };
    },
    callbacks: stepFunctionsCallbacks(sfn),
  };
}
