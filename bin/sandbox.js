#!/usr/bin/env node
// The sandboxed agent process (see src/sandbox/runner.ts). TypeScript through tsx, as bin/cli.js.
import { register } from 'tsx/esm/api';

register();
await import('../src/sandbox/main.ts');
