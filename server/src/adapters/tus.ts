import type { IncomingMessage, ServerResponse } from 'node:http';
import { S3Store } from '@tus/s3-store';
import { EVENTS, Metadata, Server, type Upload } from '@tus/server';
import { NodeRequest, sendNodeResponse } from 'srvx/node';
import type { S3Config } from '@timeshift/shared/config';
import { keys } from '@timeshift/shared/storage/keys';
import { AppError } from '../errors.ts';
import { apiFailureFromTus, type ApiFailure } from './tus-errors.ts';

/** One tus request, after the API has decided who may do what to which upload. */
export interface TusExchange {
  talkId: string;
  uploadId: string;
  /** The absolute path of the upload, returned as Location on creation. */
  location: string;
  /** The last byte has been stored. */
  onFinish(sizeBytes: number): Promise<void>;
  /** Bytes keep arriving: the upload is not abandoned. */
  onActivity(): void;
  /** tus has answered with this status; runs before the client sees the answer. */
  settle(status: number): Promise<void>;
}

export interface TusGateway {
  /** Answers the request through tus and returns the status sent. */
  handle(req: IncomingMessage, res: ServerResponse, exchange: TusExchange): Promise<number>;
}

/** S3 parts of 8 MiB: a dropped connection loses at most what had not reached the server. */
const PART_BYTES = 8 * 1024 * 1024;
const ACTIVITY_INTERVAL_MS = 60_000;

export function createTusGateway(s3: S3Config, options: { maxUploadBytes: number }): TusGateway {
  const exchanges = new WeakMap<Request, TusExchange & { failure?: unknown }>();
  const writing = new Map<string, TusExchange>();
  const exchangeOf = (req: Request) => {
    const exchange = exchanges.get(req);
    if (!exchange) throw new Error('tus request without an exchange');
    return exchange;
  };

  const store = new S3Store({
    partSize: PART_BYTES,
    s3ClientConfig: {
      bucket: s3.bucket,
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      // Parts are streamed with a known length; trailing checksums would need aws-chunked bodies.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      maxAttempts: 2,
    },
  });

  const tus = new Server({
    // Only a label here: the URL and the object key of every upload come from the exchange.
    path: '/api/v1/talks/uploads',
    datastore: store,
    maxSize: options.maxUploadBytes,
    postReceiveInterval: ACTIVITY_INTERVAL_MS,
    disableTerminationForFinishedUploads: true,
    // The web app is served on the same origin: no cross-origin caller needs, or gets, CORS headers.
    allowedOrigins: [],
    // The object key is built from server-made ids only, never from the URL or the metadata.
    namingFunction: (req) => objectKey(exchangeOf(req)),
    getFileIdFromRequest: (req) => objectKey(exchangeOf(req)),
    generateUrl: (req) => exchangeOf(req).location,
    onUploadFinish: async (req, upload: Upload) => {
      await exchangeOf(req).onFinish(upload.size ?? upload.offset);
      return {};
    },
    onResponseError: (req, error) => {
      const exchange = exchanges.get(req);
      if (exchange && error instanceof Error) exchange.failure = error;
      return undefined;
    },
  });
  tus.on(EVENTS.POST_RECEIVE, (_stream: unknown, upload: Upload) => writing.get(upload.id)?.onActivity());

  return {
    async handle(req, res, exchange) {
      const request = new NodeRequest({ req, res });
      const tracked = { ...exchange } as TusExchange & { failure?: unknown };
      exchanges.set(request, tracked);
      const key = objectKey(exchange);
      if (req.method === 'PATCH' || req.method === 'POST') writing.set(key, tracked);
      let response: Response;
      try {
        response = await tus.handleWeb(request);
      } finally {
        if (writing.get(key) === tracked) writing.delete(key);
      }
      await exchange.settle(response.status);
      if (response.status >= 400) response = await asApiError(response, tracked.failure);
      await sendNodeResponse(res, response);
      return response.status;
    },
  };
}

function objectKey(exchange: TusExchange): string {
  return keys.source(exchange.talkId, exchange.uploadId);
}

async function asApiError(response: Response, failure: unknown): Promise<Response> {
  const api = failureOf(failure) ?? apiFailureFromTus(response.status, await response.text());
  const headers = new Headers(response.headers);
  const body = JSON.stringify({ error: { code: api.code, message: api.message } });
  headers.set('Content-Type', 'application/json; charset=utf-8');
  headers.set('Content-Length', String(Buffer.byteLength(body)));
  return new Response(body, { status: api.status, headers });
}

/** Failures that are ours (a rule, storage or the database), not tus's. */
function failureOf(error: unknown): ApiFailure | undefined {
  if (error instanceof AppError) return { status: error.status, code: error.code, message: error.message };
  const e = error as { code?: string; name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (!e) return undefined;
  const storageDown = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(e.code ?? '') || e.name === 'TimeoutError' || (e.$metadata?.httpStatusCode ?? 0) >= 500;
  if (storageDown) return { status: 503, code: 'STORAGE_UNAVAILABLE', message: 'File storage is not answering. Try again in a minute; the upload resumes where it stopped.' };
  return undefined;
}

/** The file name and type a tus client declares; undefined when the header is not valid tus metadata. */
export function declaredFile(header: string | undefined): { fileName: string | null; contentType: string | null } | undefined {
  if (!header) return { fileName: null, contentType: null };
  try {
    const metadata = Metadata.parse(header);
    return { fileName: metadata.filename ?? metadata.name ?? null, contentType: metadata.filetype ?? metadata.type ?? null };
  } catch {
    return undefined;
  }
}
