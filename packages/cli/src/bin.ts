#!/usr/bin/env node
import { run } from './main.js';

// Set exitCode rather than calling process.exit, so stdout drains when piped.
process.exitCode = await run(process.argv.slice(2));
