// Provisions real PostgreSQL and S3 in a throw-away folder for the whole run, like "npm start" does.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provisionStack } from '../../scripts/embedded/stack.ts';
import { startMailCatcher } from '../../scripts/embedded/smtp.ts';
import { prepare } from '../../scripts/prepare.ts';

export default async function setup(): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'timeshift-test-'));
  // The embedded PostgreSQL runs as the "postgres" user, which must reach this folder.
  await chmod(dataDir, 0o755);
  const stack = await provisionStack(dataDir, (line) => console.log(line));
  // Mail sent by workers in tests lands here; tests read it back from the folder.
  const mail = await startMailCatcher(join(dataDir, 'mailbox'));
  Object.assign(process.env, { SMTP_URL: mail.url, DEV_MAILBOX_DIR: mail.dir });
  Object.assign(process.env, stack.env, {
    DATA_DIR: dataDir,
    SESSION_SECRET: process.env.SESSION_SECRET || 'test-secret-for-playback-tokens-0123456789',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  await prepare(process.env, { seed: true });
  if (!process.argv.slice(2).some((a) => a !== 'run' && !a.startsWith('-')) || process.argv.some((a) => a.includes('e2e'))) (await import('../../scripts/web-build.ts')).ensureWebBuild((l) => console.log(l));
  return async () => {
    await mail.stop();
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
