import { buildConsole } from './console-build.js';

/** `npm run build:console`: builds the staff console now (npm start and npm test build it when stale). */
const { ms } = await buildConsole();
process.stdout.write(`staff console built into dist/console in ${(ms / 1000).toFixed(1)} s\n`);
