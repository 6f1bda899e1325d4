/** cdk.json's app command: the forms cloudmend runs itself, and everything else said, never run. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryOf, readCdkApp } from '../../../src/iac/cdk/app.js';

const files = new Set(['bin/app.ts', 'src/main.ts', 'bin/legacy.js', 'tsconfig.dev.json']);
const exists = (path: string): boolean => files.has(path);

describe('entryOf', () => {
  it.each([
    ['npx ts-node --prefer-ts-exts bin/app.ts', { entry: 'bin/app.ts' }],
    ['npx ts-node -P tsconfig.dev.json --prefer-ts-exts src/main.ts', { entry: 'src/main.ts', tsconfig: 'tsconfig.dev.json' }],
    ['ts-node bin/app.ts', { entry: 'bin/app.ts' }],
    ['npx tsx bin/app.ts', { entry: 'bin/app.ts' }],
    ['node bin/legacy.js', { entry: 'bin/legacy.js' }],
    // Compiled output is not in the repository: its TypeScript is.
    ['node bin/app.js', { entry: 'bin/app.ts' }],
    ['node -r source-map-support/register ./bin/app.js', { entry: 'bin/app.ts' }],
  ])('runs %j as %j', (command, expected) => {
    expect(entryOf(command, exists)).toEqual(expected);
  });

  it.each([
    ['make synth && node bin/app.js', /is not a plain command/],
    ['npx ts-node bin/app.ts; curl http://x', /is not a plain command/],
    ['python3 app.py', /runs "python3"/],
    ['dotnet run --project src/App', /runs "dotnet"/],
    ['node --require ./evil.js bin/app.ts', /passes node the option --require/],
    ['npx ts-node bin/app.ts bin/other.ts', /exactly one .ts or .js file/],
    ['npx ts-node ../outside/app.ts', /outside the repository/],
    ['npx ts-node -P /etc/tsconfig.json bin/app.ts', /tsconfig outside the repository/],
    ['npx ts-node bin/missing.ts', /runs bin\/missing.ts, which is not in the repository/],
  ])('refuses %j, saying why', (command, why) => {
    const result = entryOf(command, exists);
    expect(result).toHaveProperty('reason');
    expect((result as { reason: string }).reason).toMatch(why);
  });

  it('never runs a command with a shell character, whatever surrounds it', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...';&|<>$`\'"(){}*?!\\'), fc.string(), (before, special, after) => {
        expect(entryOf(`npx ts-node ${before}${special}${after} bin/app.ts`, exists)).toHaveProperty('reason');
      }),
    );
  });
});

describe('readCdkApp', () => {
  it("merges cdk.json's context with the committed lookups of cdk.context.json", () => {
    const result = readCdkApp([
      { path: 'cdk.json', text: '{ "app": "npx ts-node bin/app.ts", "context": { "flag": true, "shared": 1 } }' },
      { path: 'cdk.context.json', text: '{ "vpc-provider:account=1": { "vpcId": "vpc-1" }, "shared": 2 }' },
      { path: 'bin/app.ts', text: '' },
    ]);
    expect(result.app).toEqual({
      entry: 'bin/app.ts',
      command: 'npx ts-node bin/app.ts',
      context: { flag: true, shared: 2, 'vpc-provider:account=1': { vpcId: 'vpc-1' } },
      tsconfig: undefined,
    });
  });

  it.each([
    [[], /no cdk.json at its root/],
    [[{ path: 'cdk.json', text: '{ "app": ' }], /cdk.json is not valid JSON/],
    [[{ path: 'cdk.json', text: '[]' }], /cdk.json is not a JSON object/],
    [[{ path: 'cdk.json', text: '{ "context": {} }' }], /cdk.json has no "app" command/],
    [
      [
        { path: 'cdk.json', text: '{ "app": "npx ts-node bin/app.ts" }' },
        { path: 'bin/app.ts', text: '' },
        { path: 'cdk.context.json', text: 'nope' },
      ],
      /cdk.context.json is not valid JSON/,
    ],
  ])('says why there is no app to run (%#)', (given, why) => {
    expect(readCdkApp(given).reason).toMatch(why);
  });
});
