/**
 * Claim-check: what may be too large for the state (a batch's members, a configuration item)
 * travels as the key of an artifact (S3 in AWS, the artifacts directory locally), so every state
 * stays far under Step Functions' 256 KiB (src/state-size.ts) whatever the findings' size. Keys
 * are the content's hash: storing the same value twice is one object, and nothing an (untrusted)
 * event says names a key.
 */
import { createHash } from 'node:crypto';
import type { Finding, LiveEvidence } from '../findings/finding.js';
import { jsonBytes } from '../state-size.js';
import type { Artifacts } from './context.js';
import type { FindingGroup, FindingItem, IterationState, MemberTarget } from './types.js';

/** Evidence up to this size stays in the state; larger goes to the artifact store. */
export const INLINE_EVIDENCE_BYTES = 8_192;

async function storeByContent(artifacts: Artifacts, kind: 'members' | 'targets' | 'evidence', value: unknown): Promise<string> {
  const key = `claim-check/${kind}/${createHash('sha256').update(JSON.stringify(value)).digest('hex')}.json`;
  await artifacts.put(key, value);
  return key;
}

/** A group whose members are in the artifact store. */
export async function storedGroup(artifacts: Artifacts, batchId: string, members: readonly FindingItem[]): Promise<FindingGroup> {
  return { batchId, size: members.length, members: await storeByContent(artifacts, 'members', members) };
}

/** The representative and the other members of a group (or the item alone), as Map items. */
export async function groupItems(state: FindingItem, artifacts: Artifacts): Promise<FindingItem[]> {
  const { group, ...item } = state as IterationState;
  const members = group ? await artifacts.get<FindingItem[]>(group.members) : [];
  return [{ eventId: item.eventId, finding: item.finding, decision: item.decision, settings: item.settings }, ...members];
}

/** A group's located members and their targets, in the artifact store: the key for `LocateOutput.members`. */
export function storedTargets(artifacts: Artifacts, members: readonly MemberTarget[]): Promise<string> {
  return storeByContent(artifacts, 'targets', members);
}

/** A group's located members and their targets (none for a single finding). */
export async function memberTargets(state: IterationState, artifacts: Artifacts): Promise<readonly MemberTarget[]> {
  const key = state.target?.members;
  return key === undefined ? [] : artifacts.get<MemberTarget[]>(key);
}

/** `finding` with large evidence replaced by its key in the artifact store. */
export async function withStoredEvidence(artifacts: Artifacts, finding: Finding): Promise<Finding> {
  const { evidence } = finding;
  if (evidence === undefined || evidence.kind === 'stored') return finding;
  const bytes = jsonBytes(evidence);
  if (bytes <= INLINE_EVIDENCE_BYTES) return finding;
  return { ...finding, evidence: { kind: 'stored', key: await storeByContent(artifacts, 'evidence', evidence), bytes } };
}

/** The finding's evidence, read back from the artifact store if it was stored. */
export async function liveEvidence(artifacts: Artifacts, finding: Finding): Promise<Exclude<LiveEvidence, { kind: 'stored' }> | undefined> {
  const { evidence } = finding;
  return evidence?.kind === 'stored' ? artifacts.get<Exclude<LiveEvidence, { kind: 'stored' }>>(evidence.key) : evidence;
}
