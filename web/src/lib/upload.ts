// Sends a recording to the API with XMLHttpRequest, which (unlike fetch) reports upload progress.
import { ApiError, errorFrom } from './api';
import type { TalkState } from './types';

export interface UploadProgress {
  loaded: number;
  total: number;
  /** Bytes per second over the last few seconds. */
  bytesPerSecond: number;
}

export interface RunningUpload {
  done: Promise<{ state: TalkState }>;
  cancel(): void;
}

const WINDOW_MS = 4000;

export function uploadRecording(talkId: string, file: File, onProgress: (p: UploadProgress) => void, onSent: () => void): RunningUpload {
  const xhr = new XMLHttpRequest();
  // Recent samples only: the speed of the first second says little about the next minute.
  const samples: { at: number; loaded: number }[] = [];
  const done = new Promise<{ state: TalkState }>((resolve, reject) => {
    xhr.upload.onprogress = (e) => {
      const now = performance.now();
      samples.push({ at: now, loaded: e.loaded });
      while (samples.length > 2 && now - samples[0]!.at > WINDOW_MS) samples.shift();
      const first = samples[0]!;
      const seconds = (now - first.at) / 1000;
      const bytesPerSecond = seconds > 0.2 ? (e.loaded - first.loaded) / seconds : 0;
      onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size, bytesPerSecond });
    };
    xhr.upload.onload = () => onSent();
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as { state: TalkState });
      else reject(errorFrom(xhr.status, body));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'The connection dropped during the upload. Check your network and try again.'));
    xhr.onabort = () => reject(new ApiError(0, 'CANCELLED', 'Upload cancelled.'));
  });
  const form = new FormData();
  form.append('file', file, file.name);
  xhr.open('POST', `/api/v1/talks/${encodeURIComponent(talkId)}/source`);
  xhr.setRequestHeader('accept', 'application/json');
  xhr.send(form);
  return { done, cancel: () => xhr.abort() };
}
