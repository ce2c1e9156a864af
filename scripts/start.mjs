#!/usr/bin/env node
// `npm start`: `next start` in this same process, with NEXT_MANUAL_SIG_HANDLE set so SIGTERM runs
// the app's stop sequence (lib/server/shutdown.ts: drain refreshes, flush, close Redis, exit 0)
// instead of Next's own handler. Set here rather than in the npm script so it works on every
// shell, Windows' included. Arguments pass through: `npm start -- -p 8080`.
import { createRequire } from 'node:module';

process.env.NEXT_MANUAL_SIG_HANDLE ||= 'true';
process.argv = [process.argv[0], 'next', 'start', ...process.argv.slice(2)];
createRequire(import.meta.url)('next/dist/bin/next');
