#!/usr/bin/env node
import { main } from '../dist/cli.js';
import { nodeFlagsToAdd, rerunWithFlags } from '../dist/cli/node-flags.js';

const args = process.argv.slice(2);
const flags = nodeFlagsToAdd(args, process.execArgv);
process.exitCode = flags.length > 0
  ? await rerunWithFlags(process.argv[1], args, flags)
  : await main(args, {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
  });
