import { exitWhenFlushed } from '../core/exit.js';
import { run } from './main.js';

await run();
await exitWhenFlushed();
