#!/usr/bin/env node
// `npm create confluence-iframe-kit@latest my-app` runs this file (npm maps `create X` to the `create-X` package's bin).
import { main } from '../lib/main.js';

process.exitCode = await main(process.argv.slice(2));
