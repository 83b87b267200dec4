import { run } from './cleanup.js';

run();
