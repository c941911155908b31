// Child process of the upload benchmark: the direct lib-storage upload to S3 in a process of its own,
// so that its memory can be measured like the API's. Protocol on stdio, one line each:
//   child -> "ready"; parent -> "go"; child -> {"seconds": n}
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { loadConfig } from '@timeshift/shared/config';
import { createS3Storage } from '@timeshift/shared/storage/s3';

const [key, file] = process.argv.slice(2);
if (!key || !file) throw new Error('usage: _direct-upload-child.ts KEY FILE');
// The very uploader the API uses (same part size and queue), without the HTTP server around it.
const storage = createS3Storage(loadConfig().s3);
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) {
  if (line.trim() !== 'go') continue;
  const started = process.hrtime.bigint();
  await storage.uploadStream(key, createReadStream(file), { contentType: 'application/octet-stream' });
  process.stdout.write(`${JSON.stringify({ seconds: Number(process.hrtime.bigint() - started) / 1e9 })}\n`);
  break;
}
lines.close();
