import type { Readable } from 'node:stream';
import type { Clock } from '@timeshift/shared/clock';
import { keys } from '@timeshift/shared/storage/keys';
import type { ObjectStorage } from '@timeshift/shared/storage/s3';
import { acceptsUpload } from '@timeshift/shared/talk-state';
import type { JobQueue } from '../adapters/queue.ts';
import { AppError, errors } from '../errors.ts';
import type { TalksRepository } from '../repositories/talks.ts';
import type { UploadsRepository } from '../repositories/uploads.ts';
import type { Actor } from './policy.ts';
import { assertCanManage, findTalk } from './talk-access.ts';

export interface IncomingFile {
  stream: Readable;
  fileName: string | null;
  contentType: string | null;
  /** Bytes read so far from the stream. */
  bytesRead(): number;
  /** True when the stream was cut at the size limit. */
  truncated(): boolean;
}

/** The multipart body, opened only once the talk has been checked. */
export type OpenFile = () => Promise<IncomingFile | undefined>;

export function uploadService(deps: {
  talks: TalksRepository;
  uploads: UploadsRepository;
  storage: ObjectStorage;
  queue: JobQueue;
  clock: Clock;
  maxUploadBytes: number;
}) {
  const tooLarge = () =>
    errors.tooLarge(`This file is larger than the ${formatBytes(deps.maxUploadBytes)} limit. Trim or compress the recording and upload it again.`);

  /**
   * The end of every upload, whichever way its bytes came: the stored recording goes to the workers.
   * If the queue refuses, the talk says so instead of waiting for a job that will never run.
   */
  async function handOver(talkId: string, uploadId: string, sizeBytes: number) {
    await deps.uploads.markStored(uploadId, sizeBytes, deps.clock.now());
    await deps.talks.transition(talkId, 'uploading', 'processing', { failureReason: null });
    try {
      await deps.queue.enqueue('ingest_upload', { talkId, uploadId }, { jobKey: `ingest_upload:${uploadId}` });
    } catch (e) {
      await deps.talks.transition(talkId, 'processing', 'failed', { failureReason: 'The recording was stored but could not be queued for processing. Upload it again.' });
      throw e;
    }
    return { state: 'processing' as const, uploadId };
  }

  return {
    tooLarge,
    handOver,
    /**
     * Streams one recording into S3 and hands it to the workers. On any failure the talk goes back
     * to the state it was in, the partial object is gone, and nothing was queued.
     */
    async receive(actor: Actor, talkId: string, declaredLength: number | undefined, open: OpenFile) {
      const talk = await findTalk(deps.talks, actor, talkId);
      assertCanManage(actor, talk);
      if (declaredLength !== undefined && declaredLength > deps.maxUploadBytes + 1024 * 1024) throw tooLarge();
      if (!acceptsUpload(talk.state)) {
        throw errors.conflict('TALK_BUSY', `This talk is ${talk.state}; wait until it has finished before uploading again.`);
      }
      const file = await open();
      if (!file) throw errors.badRequest('FILE_MISSING', 'Attach the recording in the multipart field "file".');

      const previous = talk.state;
      const upload = await deps.uploads.create({ orgId: actor.orgId, talkId, uploadedBy: actor.userId, fileName: file.fileName, contentType: file.contentType });
      if (!(await deps.talks.transition(talkId, previous, 'uploading'))) {
        await deps.uploads.markAborted(upload.id);
        file.stream.resume();
        throw errors.conflict('TALK_BUSY', 'Another upload to this talk has just started. Wait for it to finish.');
      }
      const key = keys.source(talkId, upload.id);
      try {
        await deps.storage.uploadStream(key, file.stream, { contentType: 'application/octet-stream' });
        if (file.truncated()) throw tooLarge();
      } catch (e) {
        await rollback(e);
      }
      return handOver(talkId, upload.id, file.bytesRead());

      async function rollback(cause: unknown): Promise<never> {
        // The error that matters to the person is the first one; clean-up is best effort.
        await Promise.allSettled([deps.storage.deletePrefix(key), deps.uploads.markAborted(upload.id), deps.talks.transition(talkId, 'uploading', previous)]);
        if (cause instanceof AppError) throw cause;
        if ((cause as { code?: string })?.code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
        throw cause;
      }
    },
  };
}
export type UploadService = ReturnType<typeof uploadService>;

function formatBytes(n: number): string {
  const gib = n / 1024 ** 3;
  if (gib >= 1) return `${+gib.toFixed(1)} GiB`;
  return `${+(n / 1024 ** 2).toFixed(1)} MiB`;
}
