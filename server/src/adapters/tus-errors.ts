// tus answers failures in plain text; the API answers every failure with one JSON body.
// This table turns the first into the second, keeping tus's status so that tus clients still react right.

export interface ApiFailure {
  status: number;
  code: string;
  message: string;
}

const BY_TUS_BODY: ReadonlyArray<[RegExp, Omit<ApiFailure, 'status'> & { status?: number }]> = [
  [/Upload-Offset conflict/i, { code: 'UPLOAD_OFFSET_MISMATCH', message: 'Upload-Offset does not match the bytes already stored. Ask with HEAD for the current offset and continue from there.' }],
  [/Upload-Offset header required/i, { status: 400, code: 'UPLOAD_OFFSET_MISSING', message: 'Send the Upload-Offset header with every PATCH.' }],
  [/Content-Type header required/i, { status: 400, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send PATCH bodies as application/offset+octet-stream.' }],
  [/Upload-Length or Upload-Defer-Length/i, { code: 'UPLOAD_LENGTH_REQUIRED', message: 'Send Upload-Length with the size of the whole file in bytes.' }],
  [/Upload-Metadata is invalid/i, { code: 'INVALID_UPLOAD_METADATA', message: 'Upload-Metadata must be comma-separated "key base64value" pairs.' }],
  [/already completed upload/i, { status: 409, code: 'UPLOAD_FINISHED', message: 'This upload has finished; it can no longer be cancelled.' }],
  [/size exceeded|Maximum size exceeded/i, { code: 'PAYLOAD_TOO_LARGE', message: 'More bytes were sent than the upload declared.' }],
  [/Request aborted due to lock/i, { status: 409, code: 'UPLOAD_BUSY', message: 'Another request is writing to this upload. Wait for it, then ask with HEAD for the offset.' }],
  [/Concatenation extension/i, { code: 'NOT_SUPPORTED', message: 'Parallel (concatenated) uploads are not supported; upload the file as one.' }],
];

const BY_STATUS: Record<number, Omit<ApiFailure, 'status'>> = {
  400: { code: 'INVALID_TUS_REQUEST', message: 'This request does not follow tus 1.0.' },
  404: { code: 'NOT_FOUND', message: 'That upload was not found.' },
  410: { code: 'UPLOAD_GONE', message: 'That upload was cancelled or expired. Start a new upload.' },
  412: { code: 'TUS_VERSION_UNSUPPORTED', message: 'Only tus 1.0.0 is supported: send Tus-Resumable: 1.0.0.' },
  413: { code: 'PAYLOAD_TOO_LARGE', message: 'The upload is too large.' },
};

export function apiFailureFromTus(status: number, tusBody: string): ApiFailure {
  for (const [pattern, failure] of BY_TUS_BODY) {
    if (pattern.test(tusBody)) return { status: failure.status ?? status, code: failure.code, message: failure.message };
  }
  const known = BY_STATUS[status];
  if (status === 400 && tusBody.trim()) return { status, code: known!.code, message: `${known!.message} (${tusBody.trim()})` };
  if (known) return { status, ...known };
  if (status >= 500) return { status: 500, code: 'INTERNAL', message: 'Something went wrong on our side while storing the upload. Ask with HEAD for the offset and continue.' };
  return { status, code: 'BAD_REQUEST', message: tusBody.trim() || 'The upload request was refused.' };
}
