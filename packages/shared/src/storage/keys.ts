// Every S3 key in Timeshift is built here, and only from server-made ids: never from user input.
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FILE = /^[a-z0-9_]+(\.[a-z0-9]+)?$/;

function id(value: string, what: string): string {
  if (!ID.test(value)) throw new Error(`${what} must be a uuid, got "${value}"`);
  return value;
}

export const keys = {
  /** Everything stored for a talk: what retention deletes when a meeting's recordings expire. */
  talkPrefix(talkId: string): string {
    return `talks/${id(talkId, 'talkId')}/`;
  },
  /** The uploaded recording, one object per upload so that a replacement never overwrites a playing source. */
  source(talkId: string, uploadId: string): string {
    return `talks/${id(talkId, 'talkId')}/sources/${id(uploadId, 'uploadId')}`;
  },
  /** Folder of one HLS rendition set, versioned by the upload it came from. */
  hlsPrefix(talkId: string, uploadId: string): string {
    return `talks/${id(talkId, 'talkId')}/hls/${id(uploadId, 'uploadId')}/`;
  },
  /** Everything one upload produced: source, HLS, poster and storyboard. */
  uploadPrefixes(talkId: string, uploadId: string): string[] {
    return [keys.source(talkId, uploadId), keys.hlsPrefix(talkId, uploadId), `talks/${id(talkId, 'talkId')}/assets/${id(uploadId, 'uploadId')}/`];
  },
  poster(talkId: string, uploadId: string): string {
    return `talks/${id(talkId, 'talkId')}/assets/${id(uploadId, 'uploadId')}/poster.jpg`;
  },
  storyboard(talkId: string, uploadId: string): string {
    return `talks/${id(talkId, 'talkId')}/assets/${id(uploadId, 'uploadId')}/storyboard.jpg`;
  },
  /** A file inside an HLS rendition set; names come from ffmpeg's output, which we name ourselves. */
  hlsFile(talkId: string, uploadId: string, relativeName: string): string {
    const parts = relativeName.split('/');
    if (parts.length > 2 || parts.some((p) => !FILE.test(p))) {
      throw new Error(`not an HLS file name: "${relativeName}"`);
    }
    return `${keys.hlsPrefix(talkId, uploadId)}${relativeName}`;
  },
};
