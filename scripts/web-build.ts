import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const web = join(root, 'web');

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), s.mtimeMs);
}

/** Builds the web app when its build is missing or older than its sources. */
export function ensureWebBuild(log: (line: string) => void): void {
  const handler = join(web, 'build', 'handler.js');
  const sources = ['src', 'svelte.config.js', 'vite.config.ts', 'package.json'].map((p) => join(web, p)).filter(existsSync);
  const newest = Math.max(...sources.map(newestMtime));
  if (existsSync(handler) && statSync(handler).mtimeMs >= newest) return;
  log('building the web app (vite build)…');
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: web, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('The web app did not build; see above.');
}
