/** The finding-updates port in AWS: Security Hub BatchUpdateFindings, or BatchUpdateFindingsV2 for v2 (OCSF) findings. */
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { PortFactory } from '../context.js';
import { securityHubFindingUpdates } from '../securityhub-updates.js';

export const findingUpdates: PortFactory<'findingUpdates'> = () => securityHubFindingUpdates(new SecurityHubClient({}));
