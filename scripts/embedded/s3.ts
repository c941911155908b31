import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmbeddedService } from './postgres.ts';

export interface EmbeddedS3Handle extends EmbeddedService {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const child = fileURLToPath(new URL('./s3rver-child.mjs', import.meta.url));

/** A real S3 HTTP server on local disk, in a child process bound to 127.0.0.1. */
export async function startEmbeddedS3(dataDir: string, bucket: string, corsOrigin = '*'): Promise<EmbeddedS3Handle> {
  const directory = resolve(dataDir, 's3');
  await mkdir(directory, { recursive: true });
  const proc = spawn(process.execPath, ['--openssl-legacy-provider', child, directory, bucket, corsOrigin], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolvePort, reject) => {
    let buffer = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n')[0];
      if (buffer.includes('\n') && line) {
        try {
          resolvePort((JSON.parse(line) as { port: number }).port);
        } catch (e) {
          reject(e);
        }
      }
    });
    proc.once('exit', (code) => reject(new Error(`embedded S3 exited early with code ${code}`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    // s3rver's fixed development credentials.
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    stop: () =>
      new Promise<void>((done) => {
        if (proc.exitCode !== null) return done();
        proc.once('exit', () => done());
        proc.kill('SIGTERM');
      }),
  };
}
