import type { Clock } from '@timeshift/shared/clock';
import type { Upload } from '@timeshift/shared/db/schema';
import { keys } from '@timeshift/shared/storage/keys';
import type { ObjectStorage } from '@timeshift/shared/storage/s3';
import { acceptsUpload } from '@timeshift/shared/talk-state';
import { AppError, errors } from '../errors.ts';
import type { ResumableUploadsRepository } from '../repositories/resumable-uploads.ts';
import type { TalksRepository } from '../repositories/talks.ts';
import type { Actor } from './policy.ts';
import { assertCanManage, findTalk } from './talk-access.ts';
import type { UploadService } from './upload-service.ts';

export interface NewResumableUpload {
  /** Upload-Length: tus creation must say how big the file is, so the limit holds before any byte. */
  length: number | undefined;
  fileName: string | null;
  contentType: string | null;
}

/**
 * The rules around a tus upload that spans many requests: who may start, continue or cancel it, and
 * what the talk does meanwhile. tus itself only moves bytes.
 */
export function resumableUploadService(deps: {
  talks: TalksRepository;
  resumable: ResumableUploadsRepository;
  uploads: UploadService;
  storage: ObjectStorage;
  clock: Clock;
  maxUploadBytes: number;
}) {
  async function cancel(upload: Upload): Promise<void> {
    if (!(await deps.resumable.leaveReceiving(upload.id, 'aborted'))) return;
    await deps.talks.transition(upload.talk_id, 'uploading', upload.previous_talk_state ?? 'draft');
    // tus removes the multipart upload and its info; a trailing short part may still be there.
    await deps.storage.deletePrefix(keys.source(upload.talk_id, upload.id)).catch(() => undefined);
  }

  return {
    /** Creation: the talk goes to `uploading` before tus opens the multipart upload. */
    async begin(actor: Actor, talkId: string, input: NewResumableUpload): Promise<{ uploadId: string; undo: () => Promise<void> }> {
      const talk = await findTalk(deps.talks, actor, talkId);
      assertCanManage(actor, talk);
      if (input.length === undefined) throw errors.badRequest('UPLOAD_LENGTH_REQUIRED', 'Send Upload-Length with the size of the whole file in bytes (deferred lengths are not supported).');
      // tus would call a zero-byte upload finished without ever writing an object for it.
      if (input.length === 0) throw errors.badRequest('EMPTY_FILE', 'This file is empty (0 bytes). Choose the recording again; it may not have finished saving.');
      if (input.length > deps.maxUploadBytes) throw deps.uploads.tooLarge();
      if (!acceptsUpload(talk.state)) {
        throw errors.conflict('TALK_BUSY', `This talk is ${talk.state}; wait until it has finished before uploading again.`);
      }
      const upload = await deps.resumable.create({
        orgId: actor.orgId,
        talkId,
        uploadedBy: actor.userId,
        fileName: input.fileName,
        contentType: input.contentType,
        declaredBytes: input.length,
        previousTalkState: talk.state,
        at: deps.clock.now(),
      });
      if (!(await deps.talks.transition(talkId, talk.state, 'uploading'))) {
        await deps.resumable.leaveReceiving(upload.id, 'aborted');
        throw errors.conflict('TALK_BUSY', 'Another upload to this talk has just started. Wait for it to finish.');
      }
      const created = (await deps.resumable.find(actor.orgId, talkId, upload.id))!;
      return { uploadId: upload.id, undo: () => cancel(created) };
    },

    /** HEAD, PATCH and DELETE: the same people as creation, on an upload of this talk that is still open. */
    async open(actor: Actor, talkId: string, uploadId: string, intent: 'inspect' | 'write' | 'terminate'): Promise<Upload> {
      const talk = await findTalk(deps.talks, actor, talkId);
      assertCanManage(actor, talk);
      const upload = await deps.resumable.find(actor.orgId, talkId, uploadId);
      if (!upload) throw errors.notFound('That upload');
      if (upload.state === 'aborted') throw new AppError('UPLOAD_GONE', 410, 'That upload was cancelled or abandoned. Start a new upload.');
      if (upload.state === 'stored' && intent !== 'inspect') {
        throw errors.conflict('UPLOAD_FINISHED', 'This upload has finished and is being processed; it can no longer be changed.');
      }
      if (intent === 'write') await deps.resumable.touch(upload.id, deps.clock.now());
      return upload;
    },

    touch(uploadId: string): Promise<void> {
      return deps.resumable.touch(uploadId, deps.clock.now());
    },

    /** The last byte is stored: hand the recording to the workers, exactly once. */
    async finish(talkId: string, uploadId: string, sizeBytes: number): Promise<void> {
      if (!(await deps.resumable.leaveReceiving(uploadId, 'stored'))) return;
      await deps.uploads.handOver(talkId, uploadId, sizeBytes);
    },

    /** Termination (tus DELETE) succeeded: the talk returns to where it was. */
    terminated: cancel,
  };
}
export type ResumableUploadService = ReturnType<typeof resumableUploadService>;
