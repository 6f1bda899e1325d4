/** The stuck-finding sweep in AWS: the shared recovery (src/workflow/recovery.ts) on the DynamoDB ledger. */
import { stuckBounds, sweepStuck, type SweepSummary } from '../workflow/recovery.js';
import { bundledConfig, once } from './context.js';
import { ledger } from './ports/ledger.js';

const env = process.env;
const config = once(() => bundledConfig(env));
const table = once(() => ledger(env));

export async function sweep(report: (message: string) => void): Promise<SweepSummary> {
  return sweepStuck({ ledger: table(), actor: 'cloudmend:sweep', now: () => new Date(), bounds: stuckBounds(config()), report });
}
