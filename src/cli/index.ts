#!/usr/bin/env node
import { run } from './main.js';

const code = await run({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (line) => process.stderr.write(`${line}\n`)
});
// Exit once stdout is flushed: keep-alive sockets or a library's retry timer must not hold the process open.
process.stdout.write('', () => process.exit(code));
