// Job names and payloads shared by the API (which enqueues) and the workers (which run them).
// Payloads carry ids, never rows.
export interface JobPayloads {
  ingest_upload: { talkId: string; uploadId: string };
  /** Automatic captions of one recording (workers/src/tasks/captions.ts: transcribeTalk). */
  captions: { talkId: string; uploadId: string };
  /** Cron: aborts resumable uploads that stopped receiving bytes, and gives their talks back. */
  cleanup_uploads: Record<string, never>;
  /** The background media steps that follow the first playable rendition. */
  media_ladder: { talkId: string; uploadId: string };
  media_poster: { talkId: string; uploadId: string };
  media_storyboard: { talkId: string; uploadId: string };
  /** Deletes the objects of an upload that a newer recording has replaced. */
  media_purge_upload: { talkId: string; uploadId: string };
  /** Sends whatever the mail outbox holds; also run by cron, so a lost enqueue delays mail but never drops it. */
  mail_flush: Record<string, never>;
  /** A meeting's timed notice; the task re-reads the meeting, so a moved window never sends at the old time. */
  meeting_notice: { meetingId: string; kind: 'reminder_24h' | 'qa_soon' };
  /** Cron: queues any notice that is due but whose run-at job never ran. */
  notices_sweep: Record<string, never>;
  /** Daily: deletes the media of meetings whose retention ran out. */
  retention_sweep: Record<string, never>;
}
export type JobName = keyof JobPayloads;
