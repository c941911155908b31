// "npm test": the whole suite against real services in a throw-away data folder.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
// vitest's global setup provisions PostgreSQL, S3 and the web build (test/setup/global.ts).
const child = spawn(process.execPath, [resolve(root, 'node_modules/vitest/vitest.mjs'), 'run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => child.kill(s));
child.on('exit', (code) => process.exit(code ?? 1));
