// Job names and payloads shared by the API (which enqueues) and the workers (which run them).
// Payloads carry ids, never rows.
export interface JobPayloads {
  ingest_upload: { talkId: string; uploadId: string };
}
export type JobName = keyof JobPayloads;
