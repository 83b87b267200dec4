import { run } from './main.js';

// Exit explicitly: keep-alive sockets or a library's retry timer must not hold the step open.
await run();
process.exit();
