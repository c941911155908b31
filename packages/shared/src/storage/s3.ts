import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  HeadBucketCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  CreateBucketCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Config } from '../config.ts';

/** SigV4 presigned URLs cannot live longer than 7 days. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

export class StorageUnavailableError extends Error {
  constructor(cause: unknown) {
    super('Object storage is not answering', { cause });
  }
}

/** The object is not there: an expected outcome (a deleted or never-finished upload), not an outage. */
export class ObjectMissingError extends Error {
  constructor(readonly key: string) {
    super(`No object at ${key}`);
  }
}

function isMissing(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err?.name === 'NoSuchKey' || err?.name === 'NotFound' || err?.$metadata?.httpStatusCode === 404;
}

export interface UploadOptions {
  contentType?: string;
  /** Called with the bytes sent so far. */
  onProgress?: (bytes: number) => void;
  signal?: AbortSignal;
}

export interface ObjectStorage {
  /** Streams a body of unknown length into S3 multipart, holding at most a few parts in memory. */
  uploadStream(key: string, body: Readable, options?: UploadOptions): Promise<void>;
  putFile(key: string, path: string, contentType: string): Promise<void>;
  /** The object's size in bytes, or undefined when there is no such object. */
  sizeOf(key: string): Promise<number | undefined>;
  putText(key: string, text: string, contentType: string): Promise<void>;
  getText(key: string): Promise<string>;
  downloadToFile(key: string, path: string): Promise<void>;
  deletePrefix(prefix: string): Promise<number>;
  /** Aborts the unfinished multipart uploads under a prefix, so that no stored part is left to bill. */
  abortMultipartUploads(prefix: string): Promise<number>;
  presignGet(key: string, options: { expiresAt: Date; now: Date }): Promise<string>;
  /** A presigned GET for our own processes (ffmpeg), on the endpoint they reach rather than the browser's. */
  internalUrl(key: string, validForSeconds: number): Promise<string>;
  ping(): Promise<void>;
  ensureBucket(): Promise<void>;
}

/**
 * Parts of 5 MiB (S3's minimum) with 4 in flight bound the memory of one upload to about 20 MiB of buffers;
 * an 8 GiB recording is then 1,639 parts, well under S3's 10,000.
 */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 4;

function isNetworkError(e: unknown): boolean {
  const err = e as { code?: string; name?: string; $metadata?: { httpStatusCode?: number } };
  const code = err?.code ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE'].includes(code) ||
    err?.name === 'TimeoutError' ||
    (err?.$metadata?.httpStatusCode ?? 0) >= 500
  );
}

async function guard<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (e) {
    throw isNetworkError(e) ? new StorageUnavailableError(e) : e;
  }
}

function client(endpoint: string, config: S3Config): S3Client {
  return new S3Client({
    endpoint,
    region: config.region,
    forcePathStyle: true,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    // A dead S3 must surface as a 503 quickly rather than hang a request.
    requestHandler: { connectionTimeout: 3000, requestTimeout: 120_000 },
    maxAttempts: 2,
  });
}

export function createS3Storage(config: S3Config): ObjectStorage {
  const s3 = client(config.endpoint, config);
  // Presigned URLs go to the browser, so they name the endpoint the browser reaches.
  const presigner = client(config.publicEndpoint, config);
  const Bucket = config.bucket;

  return {
    async uploadStream(key, body, options = {}) {
      const upload = new Upload({
        client: s3,
        params: { Bucket, Key: key, Body: body, ContentType: options.contentType },
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
        leavePartsOnError: false,
        abortController: options.signal ? abortFrom(options.signal) : undefined,
      });
      if (options.onProgress) upload.on('httpUploadProgress', (p) => options.onProgress!(p.loaded ?? 0));
      await guard(() => upload.done());
    },
    async putFile(key, path, contentType) {
      const { size } = await stat(path);
      // A segment or a poster goes up in one request; only large files are worth a multipart upload.
      if (size <= PART_SIZE) {
        const Body = await readFile(path);
        await guard(() => s3.send(new PutObjectCommand({ Bucket, Key: key, Body, ContentType: contentType })));
        return;
      }
      await guard(() => new Upload({ client: s3, params: { Bucket, Key: key, Body: createReadStream(path), ContentType: contentType }, partSize: PART_SIZE, queueSize: QUEUE_SIZE }).done());
    },
    async sizeOf(key) {
      try {
        const head = await guard(() => s3.send(new HeadObjectCommand({ Bucket, Key: key })));
        return head.ContentLength ?? 0;
      } catch (e) {
        if (isMissing(e)) return undefined;
        throw e;
      }
    },
    async putText(key, text, contentType) {
      await guard(() => s3.send(new PutObjectCommand({ Bucket, Key: key, Body: text, ContentType: contentType })));
    },
    async getText(key) {
      const res = await guard(() => s3.send(new GetObjectCommand({ Bucket, Key: key })));
      return (await res.Body?.transformToString('utf8')) ?? '';
    },
    async downloadToFile(key, path) {
      const res = await guard(() => s3.send(new GetObjectCommand({ Bucket, Key: key }))).catch((e: unknown) => {
        throw isMissing(e) ? new ObjectMissingError(key) : e;
      });
      await pipeline(res.Body as Readable, createWriteStream(path));
    },
    async deletePrefix(prefix) {
      let deleted = 0;
      let token: string | undefined;
      do {
        const page = await guard(() => s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token })));
        const objects = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
        if (objects.length > 0) {
          await guard(() => s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: objects, Quiet: true } })));
          deleted += objects.length;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return deleted;
    },
    async abortMultipartUploads(prefix) {
      let aborted = 0;
      let keyMarker: string | undefined;
      let uploadIdMarker: string | undefined;
      do {
        const page = await guard(() => s3.send(new ListMultipartUploadsCommand({ Bucket, Prefix: prefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker })));
        for (const upload of page.Uploads ?? []) {
          if (!upload.Key || !upload.UploadId) continue;
          await guard(() => s3.send(new AbortMultipartUploadCommand({ Bucket, Key: upload.Key, UploadId: upload.UploadId })));
          aborted++;
        }
        [keyMarker, uploadIdMarker] = page.IsTruncated ? [page.NextKeyMarker, page.NextUploadIdMarker] : [undefined, undefined];
      } while (keyMarker);
      return aborted;
    },
    async presignGet(key, { expiresAt, now }) {
      const seconds = Math.floor((expiresAt.getTime() - now.getTime()) / 1000);
      const expiresIn = Math.max(1, Math.min(MAX_PRESIGN_SECONDS, seconds));
      return getSignedUrl(presigner, new GetObjectCommand({ Bucket, Key: key }), { expiresIn, signingDate: now });
    },
    async internalUrl(key, validForSeconds) {
      return getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: key }), { expiresIn: Math.min(MAX_PRESIGN_SECONDS, validForSeconds) });
    },
    async ping() {
      await guard(() => s3.send(new HeadBucketCommand({ Bucket }), { abortSignal: AbortSignal.timeout(2000) }));
    },
    async ensureBucket() {
      try {
        await s3.send(new HeadBucketCommand({ Bucket }));
      } catch {
        await guard(() => s3.send(new CreateBucketCommand({ Bucket })));
      }
    },
  };
}

function abortFrom(signal: AbortSignal): AbortController {
  const controller = new AbortController();
  if (signal.aborted) controller.abort();
  else signal.addEventListener('abort', () => controller.abort(), { once: true });
  return controller;
}
