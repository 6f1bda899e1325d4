/**
 * The whole template against a reviewed snapshot, asset hashes aside: any change to what
 * `cdk deploy` would create shows up in review. Update with `npx vitest run -u test/lib/snapshot.test.ts`.
 */
import { beforeAll, expect, it } from 'vitest';
import { exampleStack, type Built } from './fixture.js';

/** Asset hashes change with every byte of bundled code; they say nothing about the infrastructure. */
function withoutAssetHashes(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value).replace(/[0-9a-f]{64}(\.zip|\.json)?/g, '<asset hash>$1')) as unknown;
}

// Built here unless another file of this worker built it already (the time limit of the other files that build it).
let built: Built;
beforeAll(() => void (built = exampleStack()), 60_000);

it('synthesizes the template in the snapshot, asset hashes aside', async () => {
  await expect(withoutAssetHashes(built.template.toJSON())).toMatchFileSnapshot('__snapshots__/cloudmend.template.json');
});
