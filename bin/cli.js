#!/usr/bin/env node
// The `cloudmend` command: the bundle built from src/cli/main.ts (see launch.js).
import { load } from './launch.js';

const { main } = await load('cli', 'src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
