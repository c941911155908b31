#!/usr/bin/env node
// Plain Node with no dependencies: it runs before node_modules exists, installs what is missing,
// then hands over to the TypeScript entry point for "start", "test", "bench" or "admin".
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [mode = 'start', ...rest] = process.argv.slice(2);

function fail(message) {
  console.error(`\n✖ ${message}\n`);
  process.exit(1);
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) fail(`Timeshift needs Node 20.19 or newer; this is ${process.versions.node}.`);

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

// Debian packages each mode needs, and how to tell they are there.
const systemNeeds = [
  { pkg: 'ffmpeg', ok: () => has('ffmpeg') && has('ffprobe') },
  { pkg: 'pocketsphinx-en-us', ok: () => existsSync('/usr/share/pocketsphinx/model/en-us/en-us') },
];
if (mode === 'test' || mode === 'bench') {
  systemNeeds.push({ pkg: 'pocketsphinx-testdata', ok: () => existsSync('/usr/share/pocketsphinx/test/data') });
  systemNeeds.push({ pkg: 'chromium', ok: () => existsSync('/usr/bin/chromium') });
}

const missing = systemNeeds.filter((n) => !n.ok()).map((n) => n.pkg);
if (missing.length > 0) {
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) fail(`Missing system packages: ${missing.join(', ')}. Install them with:\n\n  sudo ${command}`);
  console.log(`› installing ${missing.join(', ')} with apt-get`);
  const r = spawnSync('sh', ['-c', command], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) fail(`apt-get could not install ${missing.join(', ')}. Run this yourself and retry:\n\n  ${command}`);
}

// node_modules is reinstalled whenever package-lock.json changed since the last install.
const lock = join(root, 'package-lock.json');
const stamp = join(root, 'node_modules', '.timeshift-lock-hash');
const lockHash = createHash('sha256').update(readFileSync(lock)).digest('hex');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lockHash) {
  console.log('› installing node modules (npm ci)');
  let r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  // npm 11 can reject a lock file whose platform-specific optional packages it did not record
  // (npm/cli#4828); "npm install" honours the same lock file without that check.
  if (r.status !== 0) {
    console.log('› npm ci refused the lock file; installing from it with npm install');
    r = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  }
  if (r.status !== 0) fail('Installing node modules failed; see above.');
  writeFileSync(stamp, createHash('sha256').update(readFileSync(lock)).digest('hex'));
}

const entry = {
  start: ['--import', 'tsx', 'scripts/start.ts'],
  test: ['--import', 'tsx', 'scripts/test.ts'],
  bench: ['--import', 'tsx', 'test/bench/run.ts'],
  admin: ['--import', 'tsx', 'scripts/admin.ts'],
}[mode];
if (!entry) fail(`Unknown mode "${mode}". Use start, test, bench or admin.`);

const child = spawn(process.execPath, [...entry, ...rest], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
