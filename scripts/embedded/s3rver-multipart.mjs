// s3rver stores multipart uploads but cannot list or abort them. Resumable uploads need all three
// (ListParts to find the offset, AbortMultipartUpload to cancel, ListMultipartUploads to prove that
// nothing is left behind), so the embedded S3 answers them here from s3rver's own upload folders.
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

const xml = (body) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
const escape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function uploadsIn(root) {
  const ids = await readdir(root).catch(() => []);
  const uploads = [];
  for (const uploadId of ids) {
    const keyFile = join(root, uploadId, 'key');
    const key = await readFile(keyFile, 'utf8').catch(() => null);
    if (key === null) continue;
    uploads.push({ uploadId, key, initiated: (await stat(keyFile)).mtime });
  }
  return uploads.sort((a, b) => (a.key === b.key ? a.uploadId.localeCompare(b.uploadId) : a.key.localeCompare(b.key)));
}

function noSuchUpload(ctx) {
  ctx.status = 404;
  ctx.type = 'application/xml';
  ctx.body = xml('<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>');
}

export function answerMultipartListing(server) {
  const store = server.store;
  const handler = async (ctx, next) => {
    const [, bucket, ...rest] = ctx.path.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    const query = ctx.query;
    if (!bucket) return next();
    const root = store.getResourcePath(bucket, undefined, 'uploads');

    if (ctx.method === 'GET' && !key && 'uploads' in query) {
      const prefix = query.prefix ?? '';
      const uploads = (await uploadsIn(root)).filter((u) => u.key.startsWith(prefix));
      ctx.type = 'application/xml';
      ctx.body = xml(
        `<ListMultipartUploadsResult><Bucket>${escape(bucket)}</Bucket><Prefix>${escape(prefix)}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>` +
          uploads.map((u) => `<Upload><Key>${escape(u.key)}</Key><UploadId>${u.uploadId}</UploadId><Initiated>${u.initiated.toISOString()}</Initiated></Upload>`).join('') +
          '</ListMultipartUploadsResult>',
      );
      return;
    }
    if (!key || typeof query.uploadId !== 'string' || !['GET', 'DELETE'].includes(ctx.method)) return next();

    const dir = join(root, query.uploadId.replace(/[^0-9a-zA-Z]/g, ''));
    const storedKey = await readFile(join(dir, 'key'), 'utf8').catch(() => null);
    if (storedKey !== key) return noSuchUpload(ctx);
    if (ctx.method === 'DELETE') {
      await rm(dir, { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    const numbers = (await readdir(dir)).filter((f) => /^\d+$/.test(f)).map(Number).sort((a, b) => a - b);
    const parts = [];
    for (const n of numbers) {
      const [info, md5] = await Promise.all([stat(join(dir, String(n))), readFile(join(dir, `${n}.md5`), 'utf8').catch(() => '')]);
      parts.push(`<Part><PartNumber>${n}</PartNumber><LastModified>${info.mtime.toISOString()}</LastModified><ETag>"${md5.trim()}"</ETag><Size>${info.size}</Size></Part>`);
    }
    ctx.type = 'application/xml';
    ctx.body = xml(
      `<ListPartsResult><Bucket>${escape(bucket)}</Bucket><Key>${escape(key)}</Key><UploadId>${escape(query.uploadId)}</UploadId><PartNumberMarker>0</PartNumberMarker><MaxParts>1000</MaxParts><IsTruncated>false</IsTruncated>${parts.join('')}</ListPartsResult>`,
    );
  };
  // Ahead of s3rver's router, which would answer these with NotImplemented.
  server.middleware.unshift(handler);
}
