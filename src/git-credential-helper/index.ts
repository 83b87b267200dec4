import { run } from './main.js';

// git runs: <node> <this file> <state file> <get|store|erase>; the credential goes to stdout.
process.exitCode = await run(process.argv.slice(2), process.stdin, process.stdout, process.stderr);
