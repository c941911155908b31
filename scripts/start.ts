// "npm start": provisions embedded services where nothing is configured, then runs API + worker + web on one origin.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { provisionStack } from './embedded/stack.ts';
import { startMailCatcher, type MailCatcher } from './embedded/smtp.ts';
import { persistentSecret, prepare } from './prepare.ts';
import { DEMO_USERS } from './seed.ts';
import { ensureWebBuild } from './web-build.ts';

const root = resolve(import.meta.dirname, '..');
const log = (line: string) => console.log(`› ${line}`);

async function main(): Promise<void> {
  const dataDir = resolve(root, process.env.DATA_DIR || '.data');
  const port = process.env.PORT || '3000';
  log(`data folder: ${dataDir}`);
  const stack = await provisionStack(dataDir, log);
  const children: ChildProcess[] = [];
  let mail: MailCatcher | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));
    await mail?.stop();
    await stack.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    const embedded = stack.embedded.postgres && stack.embedded.s3;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...stack.env,
      PORT: port,
      // Node 20 is supported by this SDK line; the Docker images run Node 22.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED || 'true',
      DATA_DIR: dataDir,
      ...(process.env.SESSION_SECRET ? {} : { SESSION_SECRET: await persistentSecret(dataDir) }),
    };
    log(stack.embedded.postgres ? 'embedded PostgreSQL is up' : 'using DATABASE_URL');
    log(stack.embedded.s3 ? `embedded S3 is up at ${env.S3_ENDPOINT}` : 'using S3_ENDPOINT');
    if (!process.env.SMTP_URL) {
      // Embedded mail: a local SMTP server catches everything and the API shows it at /api/v1/dev/mailbox.
      mail = await startMailCatcher(resolve(dataDir, 'mailbox'));
      Object.assign(env, { SMTP_URL: mail.url, DEV_MAILBOX_DIR: mail.dir });
      log(`embedded mail server is up at ${mail.url}; caught mail: ${env.PUBLIC_URL || `http://localhost:${port}`}/api/v1/dev/mailbox`);
    }
    const { seeded } = await prepare(env, { seed: embedded });
    if (seeded) log('seeded the Demo organisation');
    ensureWebBuild(log);

    const run = (name: string, entry: string) => {
      const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env, stdio: 'inherit' });
      child.on('exit', (code) => {
        if (!stopping) {
          console.error(`✖ the ${name} stopped (exit ${code}); stopping everything.`);
          void stop(1);
        }
      });
      children.push(child);
    };
    run('API', 'server/src/main.ts');
    run('worker', 'workers/src/main.ts');

    const url = process.env.PUBLIC_URL || `http://localhost:${port}`;
    console.log(`\n  Timeshift is starting at ${url}\n`);
    if (embedded) {
      console.log(`  Demo sign-ins (password: ${env.DEMO_PASSWORD || 'timeshift-demo'}):`);
      for (const u of DEMO_USERS) console.log(`    ${u.role.padEnd(12)} ${u.email}`);
      console.log('');
    }
    console.log('  Ctrl-C stops everything; data stays in the data folder.\n');
  } catch (e) {
    console.error(`✖ ${e instanceof Error ? e.message : String(e)}`);
    await stop(1);
  }
}

main().catch((e) => {
  console.error(`✖ ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
