import type { Clock } from '@timeshift/shared/clock';
import { keys } from '@timeshift/shared/storage/keys';
import type { ObjectStorage } from '@timeshift/shared/storage/s3';
import { storyboardVtt } from '@timeshift/shared/storyboard';
import { AppError, errors } from '../errors.ts';
import type { TalksRepository } from '../repositories/talks.ts';
import { buildMasterPlaylist, playlistUris, rewritePlaylist } from './hls-playlist.ts';
import type { MeetingAccess } from './meeting-access.ts';
import { signPlaybackToken, verifyPlaybackToken } from './playback-token.ts';
import type { Actor } from './policy.ts';

const invalidToken = () => new AppError('PLAYBACK_EXPIRED', 403, 'This playback link has expired or is not valid. Reload the page to get a fresh one.');

export function playbackService(deps: { talks: TalksRepository; access: MeetingAccess; storage: ObjectStorage; clock: Clock; secret: string }) {
  async function playingTalk(talkId: string, token: string) {
    const now = deps.clock.now();
    const grant = verifyPlaybackToken(token, talkId, now, deps.secret);
    if (!grant) throw invalidToken();
    const talk = await deps.talks.find(grant.orgId, talkId);
    if (!talk?.playing_upload_id) throw errors.notFound('A playable version of that talk');
    return { talk, grant, now, uploadId: talk.playing_upload_id };
  }

  return {
    /** Decides who may watch and until when; everything after rides on the token minted here. */
    async start(actor: Actor, talkId: string, apiOrigin: string) {
      const { talk, grant } = await deps.access.grantViewing(actor, talkId);
      const expiresAt = grant.expiresAt;
      // A talk whose replacement recording is being processed keeps playing its current version.
      if (!talk.playing_upload_id) {
        throw errors.conflict('NOT_PLAYABLE', `This talk cannot be played yet (it is ${talk.state}).`);
      }
      const token = signPlaybackToken({ talkId, userId: actor.userId, orgId: actor.orgId, expiresAt }, deps.secret);
      const assets = await deps.talks.assetsOf(talk.playing_upload_id);
      const now = deps.clock.now();
      return {
        masterPlaylistUrl: `${apiOrigin}/api/v1/talks/${talkId}/hls/master.m3u8?token=${token}`,
        // Served by the API from the cue rows, so an edit shows on the next load; the token guards them like the playlists.
        captions: (await deps.talks.captionTracksOf(talk.id)).map((c) => ({ lang: c.lang, label: c.label, url: `${apiOrigin}/api/v1/talks/${talkId}/captions/${c.lang}.vtt?token=${token}` })),
        posterUrl: assets?.has_poster ? await deps.storage.presignGet(keys.poster(talkId, talk.playing_upload_id), { expiresAt, now }) : null,
        ...(assets?.storyboard ? { storyboardUrl: `${apiOrigin}/api/v1/talks/${talkId}/storyboard.vtt?token=${token}` } : {}),
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

    /** The seek-bar thumbnails track, pointing into a presigned sprite that dies with the token. */
    async storyboardVtt(talkId: string, token: string): Promise<string> {
      const { talk, grant, now, uploadId } = await playingTalk(talkId, token);
      const assets = await deps.talks.assetsOf(uploadId);
      if (!assets?.storyboard) throw errors.notFound('A storyboard for that talk');
      const sprite = await deps.storage.presignGet(keys.storyboard(talk.id, uploadId), { expiresAt: grant.expiresAt, now });
      return storyboardVtt(assets.storyboard, talk.duration_seconds ?? assets.storyboard.count * assets.storyboard.interval, sprite);
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
