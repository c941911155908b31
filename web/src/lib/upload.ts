// Sends a recording to the API. Resumable (tus 1.0) where the API offers it; otherwise one multipart
// POST through XMLHttpRequest, which (unlike fetch) reports upload progress.
import { Upload, type PreviousUpload } from 'tus-js-client';
import { ApiError, errorFrom } from './api';

export interface UploadProgress {
  loaded: number;
  total: number;
  /** Bytes per second over the last few seconds. */
  bytesPerSecond: number;
}

export interface UploadEvents {
  onProgress(p: UploadProgress): void;
  /** The last byte has left the browser; the server is still storing it. */
  onSent(): void;
}

export interface UploadHandle {
  readonly resumable: boolean;
  done: Promise<void>;
  pause(): void;
  resume(): void;
  cancel(): void;
}

const SPEED_WINDOW_MS = 4000;
const TUS_VERSION = '1.0.0';

/** Recent samples only: the speed of the first second says little about the next minute. */
function speedometer() {
  const samples: { at: number; loaded: number }[] = [];
  return {
    reset: () => (samples.length = 0),
    sample(loaded: number): number {
      const now = performance.now();
      samples.push({ at: now, loaded });
      while (samples.length > 2 && now - samples[0]!.at > SPEED_WINDOW_MS) samples.shift();
      const first = samples[0]!;
      const seconds = (now - first.at) / 1000;
      return seconds > 0.2 ? Math.max(0, (loaded - first.loaded) / seconds) : 0;
    },
  };
}

const uploadsUrl = (talkId: string) => `${location.origin}/api/v1/talks/${encodeURIComponent(talkId)}/uploads/`;

/** True when the API answers tus for this talk. */
export async function offersResumableUpload(talkId: string): Promise<boolean> {
  try {
    const res = await fetch(uploadsUrl(talkId), { method: 'OPTIONS', headers: { 'Tus-Resumable': TUS_VERSION } });
    return res.ok && (res.headers.get('Tus-Version') ?? '').includes(TUS_VERSION);
  } catch {
    return false;
  }
}

export interface InterruptedUpload {
  fileName: string;
  size: number;
  uploadUrl: string;
}

/** An upload to this talk that a reload or a closed tab cut short, as tus remembers it in this browser. */
export function interruptedUpload(talkId: string): InterruptedUpload | null {
  const marker = `/talks/${talkId}/uploads/`;
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (!key?.startsWith('tus::')) continue;
    try {
      const entry = JSON.parse(localStorage.getItem(key) ?? '') as PreviousUpload;
      if (entry.uploadUrl?.includes(marker) && entry.size) return { fileName: entry.metadata?.filename ?? 'your recording', size: entry.size, uploadUrl: entry.uploadUrl };
    } catch {
      // Not an entry this app wrote.
    }
  }
  return null;
}

/**
 * How many bytes of an interrupted upload the server already holds: a number, 'gone' when the server
 * no longer has it, or null when it cannot tell right now (for example while the cut connection is
 * still being wound up, which the server answers with 423).
 */
export async function storedBytes(uploadUrl: string): Promise<number | 'gone' | null> {
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      const res = await fetch(uploadUrl, { method: 'HEAD', headers: { 'Tus-Resumable': TUS_VERSION } });
      const offset = Number(res.headers.get('Upload-Offset'));
      if (res.ok && Number.isFinite(offset)) return offset;
      if (res.status === 404 || res.status === 410 || res.status === 403) return 'gone';
    } catch {
      // Offline: try again shortly.
    }
    await new Promise((r) => setTimeout(r, 750 * (attempt + 1)));
  }
  return null;
}

export function forgetInterrupted(talkId: string): void {
  const marker = `/talks/${talkId}/uploads/`;
  const stale: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key?.startsWith('tus::') && (localStorage.getItem(key) ?? '').includes(marker)) stale.push(key);
  }
  stale.forEach((k) => localStorage.removeItem(k));
}

function tusError(error: Error): ApiError {
  const response = (error as Error & { originalResponse?: { getStatus(): number; getBody(): string } | null }).originalResponse;
  if (!response) return new ApiError(0, 'NETWORK', 'The connection dropped. Your upload is paused; press Resume when you are back online.');
  let body: unknown;
  try {
    body = JSON.parse(response.getBody());
  } catch {
    body = undefined;
  }
  return errorFrom(response.getStatus(), body);
}

export function uploadResumable(talkId: string, file: File, events: UploadEvents): UploadHandle {
  const speed = speedometer();
  let settle!: { resolve: () => void; reject: (e: Error) => void };
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  const upload = new Upload(file, {
    endpoint: uploadsUrl(talkId),
    metadata: { filename: file.name, filetype: file.type || 'application/octet-stream' },
    // The server stores 8 MiB parts; chunks of a few parts keep a retry cheap without many requests.
    chunkSize: 32 * 1024 * 1024,
    retryDelays: [0, 1000, 3000, 5000, 10000],
    removeFingerprintOnSuccess: true,
    onProgress: (loaded, total) => {
      events.onProgress({ loaded, total, bytesPerSecond: speed.sample(loaded) });
      if (loaded === total) events.onSent();
    },
    onSuccess: () => settle.resolve(),
    onError: (e) => settle.reject(tusError(e)),
  });
  void upload.findPreviousUploads().then((previous) => {
    const sameTalk = previous.filter((p) => p.uploadUrl?.includes(`/talks/${talkId}/uploads/`));
    if (sameTalk[0]) upload.resumeFromPreviousUpload(sameTalk[0]);
    upload.start();
  });
  return {
    resumable: true,
    done,
    pause: () => {
      void upload.abort();
      speed.reset();
    },
    resume: () => upload.start(),
    cancel: () => {
      // Terminating frees the stored parts on the server; the talk goes back to how it was.
      void upload.abort(true).catch(() => undefined);
      forgetInterrupted(talkId);
      settle.reject(new ApiError(0, 'CANCELLED', 'Upload cancelled.'));
    },
  };
}

export function uploadInOnePiece(talkId: string, file: File, events: UploadEvents): UploadHandle {
  const xhr = new XMLHttpRequest();
  const speed = speedometer();
  const done = new Promise<void>((resolve, reject) => {
    xhr.upload.onprogress = (e) => events.onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size, bytesPerSecond: speed.sample(e.loaded) });
    xhr.upload.onload = () => events.onSent();
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve();
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
  return { resumable: false, done, pause: () => undefined, resume: () => undefined, cancel: () => xhr.abort() };
}
