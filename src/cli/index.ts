#!/usr/bin/env node
import { exitWhenFlushed } from '../core/exit.js';
import { run } from './main.js';

const code = await run({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (line) => process.stderr.write(`${line}\n`)
});
await exitWhenFlushed(code);
