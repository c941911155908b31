import type { Clock } from '@timeshift/shared/clock';
import { keys } from '@timeshift/shared/storage/keys';
import type { ObjectStorage } from '@timeshift/shared/storage/s3';
import { isPlayable } from '@timeshift/shared/talk-state';
import { AppError, errors } from '../errors.ts';
import type { MeetingsRepository } from '../repositories/meetings.ts';
import type { TalksRepository } from '../repositories/talks.ts';
import { buildMasterPlaylist, playlistUris, rewritePlaylist } from './hls-playlist.ts';
import type { MeetingAccess } from './meeting-access.ts';
import { signPlaybackToken, verifyPlaybackToken } from './playback-token.ts';
import type { Actor } from './policy.ts';

/** How long a preview by the talk's staff stays valid: they may watch at any time, so no window bounds it. */
const STAFF_PREVIEW_MS = 12 * 3600 * 1000;

const invalidToken = () => new AppError('PLAYBACK_EXPIRED', 403, 'This playback link has expired or is not valid. Reload the page to get a fresh one.');

export function playbackService(deps: { talks: TalksRepository; access: MeetingAccess; storage: ObjectStorage; clock: Clock; secret: string }) {
  async function playingTalk(talkId: string, token: string) {
    const now = deps.clock.now();
    const grant = verifyPlaybackToken(token, talkId, now, deps.secret);
    if (!grant) throw invalidToken();
    const talk = await deps.talks.find(grant.orgId, talkId);
    if (!talk || !isPlayable(talk.state) || !talk.playing_upload_id) throw errors.notFound('A playable version of that talk');
    return { talk, grant, now, uploadId: talk.playing_upload_id };
  }

  return {
    /** Decides who may watch and until when; everything after rides on the token minted here. */
    async start(actor: Actor, talkId: string, apiOrigin: string) {
      const { talk, grant } = await deps.access.grantViewing(actor, talkId);
      const expiresAt = grant.expiresAt;
      if (!isPlayable(talk.state) || !talk.playing_upload_id) {
        throw errors.conflict('NOT_PLAYABLE', `This talk cannot be played yet (it is ${talk.state}).`);
      }
      const token = signPlaybackToken({ talkId, userId: actor.userId, orgId: actor.orgId, expiresAt }, deps.secret);
      return {
        masterPlaylistUrl: `${apiOrigin}/api/v1/talks/${talkId}/hls/master.m3u8?token=${token}`,
        captions: [] as { lang: string; label: string; url: string }[],
        posterUrl: null as string | null,
        expiresAt: expiresAt.toISOString(),
      };
    },

    async masterPlaylist(talkId: string, token: string): Promise<string> {
      const { talk, uploadId } = await playingTalk(talkId, token);
      const renditions = await deps.talks.renditionsOf(talk.id, uploadId);
      return buildMasterPlaylist(
        renditions.map((r) => ({
          bandwidth: r.bandwidth,
          width: r.width,
          height: r.height,
          codecs: r.codecs,
          // Relative, so that the player asks the API for each media playlist and gets it rewritten.
          uri: `${r.height}/index.m3u8?token=${encodeURIComponent(token)}`,
        })),
      );
    },

    /** The media playlist with every URI swapped for a presigned S3 URL that dies with the token. */
    async mediaPlaylist(talkId: string, height: number, token: string): Promise<string> {
      const { talk, grant, now, uploadId } = await playingTalk(talkId, token);
      const renditions = await deps.talks.renditionsOf(talk.id, uploadId);
      const rendition = renditions.find((r) => r.height === height);
      if (!rendition) throw errors.notFound('That rendition');
      const folder = rendition.playlist.split('/').slice(0, -1).join('/');
      const text = await deps.storage.getText(keys.hlsFile(talk.id, uploadId, rendition.playlist));
      const map = new Map<string, string>();
      await Promise.all(
        playlistUris(text).map(async (uri) => {
          const key = keys.hlsFile(talk.id, uploadId, folder ? `${folder}/${uri}` : uri);
          map.set(uri, await deps.storage.presignGet(key, { expiresAt: grant.expiresAt, now }));
        }),
      );
      return rewritePlaylist(text, map);
    },
  };
}
export type PlaybackService = ReturnType<typeof playbackService>;
