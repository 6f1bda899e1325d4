#!/usr/bin/env node
// The sandboxed agent process (see src/sandbox/runner.ts), loaded as bin/cli.js is.
import { load } from './launch.js';

await load('sandbox', 'src/sandbox/main.ts');
